// Compiles WebAssembly text with wabt (the npm build), for hand-written guests.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { writeOutput } from './build-output.mjs';

let wabt;

/** Features beyond the MVP that hand-written guests may use. */
const FEATURES = Object.freeze({ bulk_memory: true, sign_extension: true, mutable_globals: true, reference_types: true });

/**
 * The binary for `source` (.wat). Throws an Error naming the file (relative to `root`) and the
 * line when the text does not parse or validate.
 * @param {{ source: string, root: string }} options
 * @returns {Promise<Uint8Array>}
 */
export async function watToBinary({ source, root }) {
  wabt ??= await (await import('wabt')).default(); // loaded on first use only
  const name = relative(root, source);
  let module;
  try {
    module = wabt.parseWat(name, readFileSync(source, 'utf8'), FEATURES);
    module.validate();
    return module.toBinary({ log: false, write_debug_names: false }).buffer;
  } catch (err) {
    throw new Error(`${name}: WebAssembly text does not compile\n${err instanceof Error ? err.message : String(err)}`);
  } finally {
    module?.destroy();
  }
}

/**
 * Compiles `source` (.wat) to `outFile`.
 * @param {{ source: string, outFile: string, root: string }} options
 * @returns {Promise<number>} the size of the module in bytes
 */
export async function compileWat({ source, outFile, root }) {
  const binary = await watToBinary({ source, root });
  writeOutput(outFile, binary);
  return binary.byteLength;
}
