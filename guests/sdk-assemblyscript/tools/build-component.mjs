// Builds an AssemblyScript guest into a component for the smg:gateway or smg:storage world,
// with npm packages only (no Rust, no wasm-tools binary):
//   1. AssemblyScript -> core module, with the release flags plus `--use abort=` (abort traps
//      instead of importing env.abort, which a component cannot import);
//   2. the SDK's exports renamed to the component model's names (./core-exports.mjs);
//   3. jco's componentEmbed (the WIT of ../wit, world smg-guest or storage-guest) and
//      componentNew (wasm-tools compiled to wasm, in process).
// The result validates and is a few KB to a few tens of KB.
import { compileAssemblyScriptToBytes } from './compile-assemblyscript.mjs';
import { writeOutput } from './build-output.mjs';
import { renameExports } from './core-exports.mjs';
import { WORLDS, checkImports, witSource } from './component-world.mjs';

/** asc flags added for components: abort becomes `unreachable` (a trap) instead of an import. */
export const COMPONENT_FLAGS = Object.freeze(['--use', 'abort=']);

let jco;

/**
 * Wraps a core module built with the SDK into a component.
 * @param {Uint8Array} core the module as asc wrote it
 * @param {{ world: 'smg' | 'storage' }} options
 * @returns {Promise<{ component: Uint8Array, core: Uint8Array, imports: string[], dropped: string[] }>}
 *   `core` is the module with renamed exports (what the component contains); `imports` the
 *   interfaces it imports; `dropped` the exports that were not part of the world.
 */
export async function componentFromCore(core, { world }) {
  if (!Object.hasOwn(WORLDS, world)) throw new Error(`unknown world "${world}" (expected smg or storage)`);
  const renamed = renameExports(core, world);
  const imports = checkImports(renamed.bytes);
  jco ??= await import('@bytecodealliance/jco'); // loaded on first use (~0.3 s)
  const embedded = await jco.componentEmbed({ binary: renamed.bytes, witSource: witSource(), world: WORLDS[world] });
  const component = await jco.componentNew(embedded, []);
  return { component, core: renamed.bytes, imports, dropped: renamed.dropped };
}

/**
 * Compiles `entry` (AssemblyScript) and writes the component to `outFile`; with `coreOutFile`,
 * also writes the core module inside it (exports renamed), for tests that drive the canonical ABI
 * by hand. Throws an Error naming the entry file on a compile or componentisation failure.
 * @param {{ entry: string, outFile: string, root: string, world: 'smg' | 'storage', coreOutFile?: string, flags?: string[] }} options
 * @returns {Promise<{ size: number, coreSize: number, imports: string[], dropped: string[] }>}
 */
export async function buildComponent({ entry, outFile, root, world, coreOutFile, flags = [] }) {
  const core = await compileAssemblyScriptToBytes({ entry, root, flags: [...COMPONENT_FLAGS, ...flags] });
  let built;
  try {
    built = await componentFromCore(core, { world });
  } catch (err) {
    throw new Error(`${entry}: cannot make an ${world} component\n${err instanceof Error ? err.message : String(err)}`);
  }
  if (coreOutFile) writeOutput(coreOutFile, built.core);
  writeOutput(outFile, built.component);
  return { size: built.component.byteLength, coreSize: built.core.byteLength, imports: built.imports, dropped: built.dropped };
}
