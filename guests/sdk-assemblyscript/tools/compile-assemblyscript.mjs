// Compiles an AssemblyScript guest with wasmgate's release flags. Module authors use the same
// flags (see ../README.md): the incremental GC runtime, full optimisation, assertions removed.
import { relative } from 'node:path';
import { writeOutput } from './build-output.mjs';

/** The flags every AssemblyScript guest is built with. */
export const RELEASE_FLAGS = Object.freeze(['--runtime', 'incremental', '-O3', '--noAssert', '--noColors']);

/**
 * Compiles `entry` and returns the module's bytes. Throws an Error naming the entry file and
 * carrying the compiler's diagnostics when the source does not compile.
 * @param {{ entry: string, root: string, flags?: string[] }} options
 * @returns {Promise<Uint8Array>}
 */
export async function compileAssemblyScriptToBytes({ entry, root, flags = [] }) {
  // Loaded on first use: the compiler (with binaryen) takes ~0.5 s to load, which an
  // up-to-date build should not pay.
  const { default: asc } = await import('assemblyscript/asc');
  let binary;
  const diagnostics = [];
  const sink = { write: (chunk) => diagnostics.push(String(chunk)) };
  // `--baseDir` (a command-line option, not an API one) makes paths relative to `root` whatever the
  // working directory.
  const args = [relative(root, entry), '--baseDir', root, '--outFile', 'module.wasm', ...RELEASE_FLAGS, ...flags];
  const { error } = await asc.main(args, {
    stdout: sink,
    stderr: sink,
    writeFile(name, contents) {
      if (name.endsWith('.wasm')) binary = contents;
    },
  });
  if (error || !binary) {
    const detail = diagnostics.join('').trim() || String(error?.message ?? 'no output');
    throw new Error(`${relative(root, entry)}: AssemblyScript compilation failed\n${detail}`);
  }
  return binary;
}

/**
 * Compiles `entry` to `outFile`. Throws an Error naming the entry file and carrying the compiler's
 * diagnostics when the source does not compile.
 * @param {{ entry: string, outFile: string, root: string, flags?: string[] }} options
 * @returns {Promise<number>} the size of the module in bytes
 */
export async function compileAssemblyScript({ entry, outFile, root, flags = [] }) {
  const binary = await compileAssemblyScriptToBytes({ entry, root, flags });
  writeOutput(outFile, binary);
  return binary.byteLength;
}
