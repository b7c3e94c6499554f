// The host functions a core-module guest may import, and nothing else: AssemblyScript's `env`
// helpers (abort, trace, seed) and the limit hooks instrumentation adds. Any other import is
// refused at load with its name, so a guest can never reach the host beyond this list.
import { WasmgateError } from '../errors.js';
import { GuestFault } from './guest-fault.js';
import { LIMITS_IMPORT_MODULE } from './instrument/index.js';

export type GuestLog = (level: 'info' | 'warn', message: string) => void;

interface MemoryRef {
  memory?: WebAssembly.Memory;
}

/** Longest guest string (abort message, trace text) the host reads: blocks log flooding. */
const MAX_GUEST_STRING_BYTES = 4096;

const PROVIDED: Readonly<Record<string, ReadonlySet<string>>> = {
  env: new Set(['abort', 'trace', 'seed']),
};

/** Throws WG_ERR_MODULE_INVALID naming the first import the host does not provide. */
export function checkCoreImports(module: WebAssembly.Module): void {
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.module === LIMITS_IMPORT_MODULE) continue;
    if (imp.kind === 'function' && PROVIDED[imp.module]?.has(imp.name)) continue;
    const allowed = Object.entries(PROVIDED)
      .flatMap(([mod, names]) => [...names].map((n) => `${mod}.${n}`))
      .join(', ');
    throw new WasmgateError(
      'WG_ERR_MODULE_INVALID',
      `module imports ${imp.kind} "${imp.module}.${imp.name}", which wasmgate does not provide to core modules (allowed: ${allowed}; memory must be defined by the module)`,
    );
  }
}

/** Reads an AssemblyScript string (UTF-16, byte length stored 4 bytes before it). */
function readAsString(ref: MemoryRef, ptr: number): string {
  const memory = ref.memory;
  if (!memory || ptr < 4 || ptr > memory.buffer.byteLength) return '';
  const byteLength = new DataView(memory.buffer).getUint32(ptr - 4, true);
  const end = Math.min(ptr + Math.min(byteLength, MAX_GUEST_STRING_BYTES), memory.buffer.byteLength);
  return Buffer.from(memory.buffer, ptr, (end - ptr) & ~1).toString('utf16le');
}

/**
 * Builds the `env` namespace for one instance. `ref.memory` is filled in after instantiation
 * (imports exist before the memory they read from).
 */
export function coreHostImports(ref: MemoryRef, log: GuestLog): WebAssembly.Imports {
  return {
    env: {
      abort(msg: number, file: number, line: number, column: number): never {
        const text = readAsString(ref, msg) || 'abort';
        throw new GuestFault('trap', `guest aborted: ${text} at ${readAsString(ref, file)}:${line}:${column}`);
      },
      trace(msg: number, n: number, ...args: number[]): void {
        log('info', `${readAsString(ref, msg)}${n > 0 ? ' ' + args.slice(0, n).join(', ') : ''}`);
      },
      seed(): number {
        return Date.now() * Math.random();
      },
    },
  };
}
