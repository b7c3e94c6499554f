// Compiles core modules once per (bytes, limits): the bytes are instrumented for the limits
// (instrument/), then compiled by V8. Results are cached by sha256 and the limits baked into them,
// so registering the same module twice, or instantiating it many times, costs nothing more.
import { setFlagsFromString } from 'node:v8';
import { WasmgateError, describeError } from '../errors.js';
import { instrumentModule, type InstrumentStats } from './instrument/index.js';
import { deserializeError, type SerializedError } from './isolated-guest.js';
import { siblingEntry, spawnWorker } from './spawn-worker.js';
import { MAX_TABLE_ELEMENTS, type GuestLimits } from './limits.js';
import { sha256Hex } from './wasm-binary.js';

export interface CompiledCore {
  readonly sha256: string;
  readonly module: WebAssembly.Module;
  readonly stats: InstrumentStats;
  /** Milliseconds spent instrumenting and compiling (0 on a cache hit). */
  readonly compileMs: number;
}

/** Modules at least this big are instrumented on a worker thread so a server keeps serving. */
const OFF_THREAD_BYTES = 512 * 1024;
/** Modules up to this size are compiled synchronously (see compileUncached). */
const SYNC_COMPILE_BYTES = 256 * 1024;
/** Compiled modules kept; a gateway rarely runs more distinct modules than this at once. */
const CACHE_ENTRIES = 256;

type InstrumentResult = ReturnType<typeof instrumentModule>;

let eagerCompilation = false;

/**
 * V8 compiles wasm functions lazily, on their first call, by default: for a big guest (an 11 MB
 * componentize-js component) that puts seconds of JIT time inside its first calls' deadlines under
 * load. Compiling every function when the module is compiled moves that work onto V8's background
 * threads, before any deadline is armed. Process-wide, set once by the first compiler.
 */
function compileWasmEagerly(): void {
  if (eagerCompilation) return;
  setFlagsFromString('--no-wasm-lazy-compilation');
  eagerCompilation = true;
}

export class CoreCompiler {
  readonly #cache = new Map<string, Promise<CompiledCore>>();

  constructor() {
    compileWasmEagerly();
  }

  /** Instruments and compiles `bytes` for `limits`; concurrent calls for the same key share one job. */
  compile(bytes: Uint8Array, limits: GuestLimits, sha256 = sha256Hex(bytes)): Promise<CompiledCore> {
    const key = `${sha256}:${limits.maxMemoryPages}:${limits.maxStackSize}`;
    const hit = this.#cache.get(key);
    if (hit) {
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      return hit.then((c) => ({ ...c, compileMs: 0 }));
    }
    const job = compileUncached(bytes, limits, sha256);
    this.#cache.set(key, job);
    job.catch(() => this.#cache.delete(key));
    if (this.#cache.size > CACHE_ENTRIES) this.#cache.delete(this.#cache.keys().next().value!);
    return job;
  }
}

async function compileUncached(bytes: Uint8Array, limits: GuestLimits, sha256: string): Promise<CompiledCore> {
  const started = performance.now();
  const options = {
    maxMemoryPages: limits.maxMemoryPages,
    maxStackSize: limits.maxStackSize,
    maxTableElements: MAX_TABLE_ELEMENTS,
  };
  const instrumented = bytes.byteLength >= OFF_THREAD_BYTES ? await instrumentOffThread(bytes, options) : instrumentModule(bytes, options);
  let module: WebAssembly.Module;
  try {
    // Small modules compile synchronously: V8's async compile can queue for hundreds of ms behind
    // its background threads (seen right after a jco transpile), while a sync compile takes ~1 ms.
    module =
      instrumented.bytes.byteLength <= SYNC_COMPILE_BYTES
        ? new WebAssembly.Module(instrumented.bytes)
        : await WebAssembly.compile(instrumented.bytes);
  } catch (err) {
    throw new WasmgateError('WG_ERR_MODULE_INVALID', `module failed to compile: ${describeError(err)}`, { cause: err });
  }
  return { sha256, module, stats: instrumented.stats, compileMs: performance.now() - started };
}

/** Runs one instrumentation on a short-lived worker thread (big modules take about a second). */
function instrumentOffThread(bytes: Uint8Array, options: Parameters<typeof instrumentModule>[1]): Promise<InstrumentResult> {
  const copy = bytes.slice();
  const worker = spawnWorker(siblingEntry('instrument-worker', import.meta.url), { workerData: { bytes: copy, options }, transferList: [copy.buffer] });
  return new Promise((resolve, reject) => {
    worker.once('message', (msg: { ok: true; out: InstrumentResult } | { ok: false; error: SerializedError }) => {
      void worker.terminate();
      if (msg.ok) resolve(msg.out);
      else reject(deserializeError(msg.error));
    });
    worker.once('error', (err) => reject(new WasmgateError('WG_ERR_INTERNAL_BUG', `instrumentation worker failed: ${describeError(err)}`, { cause: err })));
  });
}
