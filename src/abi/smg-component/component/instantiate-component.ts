// Instantiates a transpiled component through its generated glue, with the runtime's hooks applied
// to every core module and the sandboxed WASI as the component's imports. Keeps the core instances
// so a fast path can call a lifted export's core function directly.
import { WasmgateError, describeError } from '../../../errors.js';
import { GuestFault, toGuestFault } from '../../../runtime/index.js';
import type { CoreModuleHooks } from '../core-module-hooks.js';
import type { GuestConfig } from '../wasi/guest-config.js';
import { createWasiSandbox, type WasiSandbox } from '../wasi/wasi-sandbox.js';
import type { ComponentArtifact } from './component-loader.js';
import type { ComponentLog } from './component-log.js';
import type { LiftedExport } from './glue-analysis.js';

type CoreFunction = (...args: Array<number | bigint>) => number;

/** A lifted export's core function with the memory and allocator the canonical ABI says to use. */
export interface CoreEntry {
  readonly fn: CoreFunction;
  readonly memory: WebAssembly.Memory;
  readonly realloc: ((oldPtr: number, oldSize: number, align: number, newSize: number) => number) | undefined;
  readonly postReturn: ((ret: number) => void) | undefined;
}

export interface ComponentInstance {
  /** The glue's exports: `{ 'smg:gateway/middleware-on-request': { onRequest } }`. */
  readonly exports: Record<string, Record<string, (...args: never[]) => unknown>>;
  readonly wasi: WasiSandbox;
  /** The core entry of a lifted export, or undefined when the instance does not look as analysed. */
  core(lifted: LiftedExport, paramCount: number): CoreEntry | undefined;
}

/** The glue's imports for one core module plus the runtime's namespaces that module imports. */
export function mergeImports(module: WebAssembly.Module, given: WebAssembly.Imports | undefined, extra: Record<string, WebAssembly.ModuleImports>): WebAssembly.Imports {
  const merged: WebAssembly.Imports = { ...given };
  for (const { module: ns } of WebAssembly.Module.imports(module)) {
    // The runtime's namespaces win: a guest must never supply its own limit hooks.
    if (Object.hasOwn(extra, ns)) merged[ns] = extra[ns]!;
  }
  return merged;
}

export async function instantiateComponent(
  artifact: ComponentArtifact,
  hooks: CoreModuleHooks,
  moduleName: string,
  log: ComponentLog,
  config: GuestConfig = {},
): Promise<ComponentInstance> {
  const wasi = createWasiSandbox(moduleName, log, config);
  const extra = hooks.coreImports();
  const instances: WebAssembly.Instance[] = [];
  const getCoreModule = (name: string): Promise<WebAssembly.Module> => {
    const bytes = artifact.coreModules.get(name);
    if (!bytes) throw new WasmgateError('WG_ERR_INTERNAL_BUG', `component glue asked for unknown core module ${name}`);
    // The glue asks for every module up front and awaits them one by one: a module that fails to
    // compile before its turn must not count as an unhandled rejection (the glue still sees it).
    const compiled = hooks.compileCore(bytes, artifact.coreModuleSha256.get(name));
    compiled.catch(() => {});
    return compiled;
  };
  // Synchronous: the module is compiled already, and the asynchronous form waits for V8's shared
  // background threads (hundreds of ms while jco's wasm tiers up in the transpile worker), which
  // must not eat into the deadline armed just before the start function runs.
  const instantiateCore = async (module: WebAssembly.Module, imports?: WebAssembly.Imports): Promise<WebAssembly.Instance> => {
    const merged = mergeImports(module, imports, extra);
    hooks.beforeInstantiate?.();
    const instance = new WebAssembly.Instance(module, merged);
    instances.push(instance);
    return instance;
  };
  let exports: ComponentInstance['exports'];
  try {
    exports = await artifact.instantiate(getCoreModule, wasi.imports, instantiateCore);
  } catch (err) {
    if (err instanceof WasmgateError && !(err instanceof GuestFault)) throw err;
    if (err instanceof GuestFault || err instanceof RangeError) throw toGuestFault(err, { what: 'component initialisation' });
    throw new WasmgateError('WG_ERR_MODULE_INSTANTIATE', `component failed to instantiate: ${describeError(err)}`, { cause: err });
  } finally {
    wasi.endCall();
  }
  return {
    exports,
    wasi,
    core(lifted, paramCount) {
      const found = instances[lifted.instantiateCall]?.exports;
      if (!found) return undefined;
      const fn = found[lifted.coreExport];
      const memory = found[lifted.memoryExport];
      const realloc = lifted.reallocExport === undefined ? undefined : found[lifted.reallocExport];
      const postReturn = lifted.postReturnExport === undefined ? undefined : found[lifted.postReturnExport];
      if (typeof fn !== 'function' || fn.length !== paramCount || !(memory instanceof WebAssembly.Memory)) return undefined;
      if (realloc !== undefined && typeof realloc !== 'function') return undefined;
      if (postReturn !== undefined && typeof postReturn !== 'function') return undefined;
      return { fn: fn as CoreFunction, memory, realloc: realloc as CoreEntry['realloc'], postReturn: postReturn as CoreEntry['postReturn'] };
    },
  };
}
