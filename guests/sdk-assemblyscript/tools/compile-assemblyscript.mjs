// Compiles an AssemblyScript guest with wasmgate's release flags. Module authors use the same
// flags (see ../README.md): the incremental GC runtime, full optimisation, assertions removed.
import { relative } from 'node:path';
import { writeOutput } from './build-output.mjs';

/** The flags every AssemblyScript guest is built with. */
export const RELEASE_FLAGS = Object.freeze(['--runtime', 'incremental', '-O3', '--noAssert', '--noColors']);

/**
 * Compiles `entry` to `outFile`. Throws an Error naming the entry file and carrying the compiler's
 * diagnostics when the source does not compile.
 * @param {{ entry: string, outFile: string, root: string, flags?: string[] }} options
 * @returns {Promise<number>} the size of the module in bytes
 */
export async function compileAssemblyScript({ entry, outFile, root, flags = [] }) {
  // Loaded on first use: the compiler (with binaryen) takes ~0.5 s to load, which an
  // up-to-date build should not pay.
  const { default: asc } = await import('assemblyscript/asc');
  let binary;
  const diagnostics = [];
  const sink = { write: (chunk) => diagnostics.push(String(chunk)) };
  const { error } = await asc.main([relative(root, entry), '--outFile', 'module.wasm', ...RELEASE_FLAGS, ...flags], {
    baseDir: root,
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
  writeOutput(outFile, binary);
  return binary.byteLength;
}
