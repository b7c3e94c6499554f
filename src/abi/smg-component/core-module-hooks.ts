// How the runtime gets its say over every core module inside a component: it compiles each one
// (instrumented for deadlines and stack, memory capped, cached by sha256) and adds its own imports
// (`__wasmgate.fuel`, `__wasmgate.stack_overflow`) to each instantiation that asks for them.

export interface CoreModuleHooks {
  /**
   * Compiles one core module of the component (the runtime instruments it and caches by sha256).
   * Default: WebAssembly.compile. `sha256` (hex) of `bytes` is passed when known, so the runtime
   * need not hash an 11 MB module again for every instance.
   */
  compileCore(bytes: Uint8Array, sha256?: string): Promise<WebAssembly.Module>;
  /** Import objects added to every core instantiation, e.g. { __wasmgate: { fuel, stack_overflow } }; a fresh set per component instance. */
  coreImports(): Record<string, WebAssembly.ModuleImports>;
  /**
   * Called right before each core module is instantiated, when its start function is about to run:
   * the runtime arms the execution deadline here, so time spent compiling or waiting for V8's
   * background threads before it is not counted as guest time.
   */
  beforeInstantiate?(): void;
  /** The memory cap compileCore applied, in 64 KiB pages: a trap with memory at the cap is reported as a 'memory' fault. */
  readonly maxMemoryPages?: number;
}

const compiled = new WeakMap<Uint8Array, Promise<WebAssembly.Module>>();

/**
 * Modules up to this size are compiled synchronously: async compilation waits for V8's shared
 * background threads, which can be busy for hundreds of ms (e.g. tiering up jco's own wasm in the
 * transpile worker), while compiling a small module on the spot takes well under a millisecond.
 */
const SYNC_COMPILE_BYTES = 256 * 1024;

/**
 * No instrumentation and no extra imports: for tests and tools that run trusted components. A guest
 * run this way has no deadline and no memory cap beyond what it declares.
 */
export const plainCoreModuleHooks: CoreModuleHooks = Object.freeze({
  compileCore(bytes: Uint8Array): Promise<WebAssembly.Module> {
    let module = compiled.get(bytes);
    if (!module) {
      module = bytes.byteLength <= SYNC_COMPILE_BYTES ? Promise.resolve().then(() => new WebAssembly.Module(bytes)) : WebAssembly.compile(bytes);
      compiled.set(bytes, module);
    }
    return module;
  },
  coreImports: () => ({}),
});
