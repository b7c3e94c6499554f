// A core module speaking the Sentinel JSON ABI, loaded once and called through a pool:
// the host writes the event JSON with the guest's `alloc`, calls the handler, decodes the
// `(ptr << 32) | len` it returns, reads and validates the result JSON, and frees both buffers
// with `dealloc`. Every guest-controlled number is bounds-checked before the host touches memory.
import { WasmgateError, describeError } from '../../errors.js';
import {
  CoreCompiler,
  DEFAULT_LIMITS,
  DEFAULT_POOL_SIZE,
  GuestFault,
  PooledGuest,
  callGuest,
  checkCoreImports,
  expectWasmKind,
  instantiateCore,
  readModuleFile,
  resolveLimits,
  sha256Hex,
  type CoreInstance,
  type GuestLimits,
  type GuestLog,
  type InstanceLimiter,
  type ModuleMetricsSnapshot,
} from '../../runtime/index.js';
import { encodeRequest, encodeResponse } from './event-encoder.js';
import { SentinelResultCache, allowResult } from './result-codec.js';
import type { HeaderListGuest, SentinelEvent, SentinelRequestInput, SentinelResponseInput, SentinelResult } from './types.js';

export const SENTINEL_EXPORTS = {
  alloc: 'alloc',
  dealloc: 'dealloc',
  request_headers: 'on_request_headers',
  response_headers: 'on_response_headers',
} as const;

export interface SentinelModuleOptions {
  /** For logs, metrics and messages; defaults to the file name or "module". */
  name?: string;
  limits?: Partial<GuestLimits>;
  poolSize?: number;
  acquireTimeoutMs?: number;
  log?: GuestLog;
  compiler?: CoreCompiler;
  limiter?: InstanceLimiter;
  onInstanceEvent?(event: 'replaced' | 'replace-failed', err: unknown): void;
}

type Handler = (ptr: number, len: number) => bigint;

interface SentinelInstance {
  readonly core: CoreInstance;
  readonly alloc: (size: number) => number;
  readonly dealloc: (ptr: number, size: number) => void;
  readonly handlers: Partial<Record<SentinelEvent, Handler>>;
  /** Shared by the module's instances. */
  readonly results: SentinelResultCache;
  /** Views of the guest's whole memory (bytes, and the same as 32-bit words); replaced when memory.grow detaches its buffer. */
  view: Uint8Array;
  words: Int32Array;
}

const defaultCompiler = new CoreCompiler();

/** Checks the module's exports against the ABI; names everything that is missing. */
function checkExports(module: WebAssembly.Module): Set<SentinelEvent> {
  const functions = new Set(WebAssembly.Module.exports(module).filter((e) => e.kind === 'function').map((e) => e.name));
  const hasMemory = WebAssembly.Module.exports(module).some((e) => e.kind === 'memory' && e.name === 'memory');
  const missing: string[] = [];
  if (!hasMemory) missing.push('memory');
  if (!functions.has('alloc')) missing.push('alloc(size: i32) -> i32');
  if (!functions.has('dealloc')) missing.push('dealloc(ptr: i32, size: i32)');
  const events = new Set<SentinelEvent>();
  if (functions.has(SENTINEL_EXPORTS.request_headers)) events.add('request_headers');
  if (functions.has(SENTINEL_EXPORTS.response_headers)) events.add('response_headers');
  if (events.size === 0) missing.push('at least one of on_request_headers(ptr: i32, len: i32) -> i64, on_response_headers(ptr: i32, len: i32) -> i64');
  if (missing.length > 0) {
    throw new WasmgateError('WG_ERR_MODULE_MISSING_EXPORT', `module does not implement the Sentinel JSON ABI; missing exports: ${missing.join('; ')}`);
  }
  return events;
}

export class SentinelJsonModule implements HeaderListGuest {
  readonly acceptsHeaderLists = true;
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly limits: GuestLimits;
  /** Events the module exports a handler for; the other event is answered with allow. */
  readonly events: ReadonlySet<SentinelEvent>;
  readonly #guest: PooledGuest<SentinelInstance>;

  private constructor(init: { name: string; sha256: string; size: number; limits: GuestLimits; events: Set<SentinelEvent>; guest: PooledGuest<SentinelInstance> }) {
    this.name = init.name;
    this.sha256 = init.sha256;
    this.size = init.size;
    this.limits = init.limits;
    this.events = init.events;
    this.#guest = init.guest;
  }

  /** Loads a module from bytes or a file path; every failure is a WasmgateError saying what is wrong. */
  static async load(source: Uint8Array | string, options: SentinelModuleOptions = {}): Promise<SentinelJsonModule> {
    const bytes = typeof source === 'string' ? await readModuleFile(source) : source;
    const name = options.name ?? (typeof source === 'string' ? source.split('/').pop()! : 'module');
    expectWasmKind(bytes, 'core', name);
    const limits = resolveLimits(DEFAULT_LIMITS, options.limits);
    const sha256 = sha256Hex(bytes);
    const { module } = await (options.compiler ?? defaultCompiler).compile(bytes, limits, sha256);
    const events = checkExports(module);
    checkCoreImports(module);
    const log = options.log ?? (() => {});
    const results = new SentinelResultCache();
    const guest = await PooledGuest.create<SentinelInstance>({
      name,
      poolSize: options.poolSize ?? DEFAULT_POOL_SIZE,
      acquireTimeoutMs: options.acquireTimeoutMs,
      limiter: options.limiter,
      onInstanceEvent: options.onInstanceEvent,
      // The kept view, not memory.buffer: that getter costs more than the rest of this check.
      memoryBytes: (inst) => memoryOf(inst).byteLength,
      maxMemoryPages: limits.maxMemoryPages,
      create: async () => bindInstance(await instantiateCore(module, limits, log), results),
    });
    return new SentinelJsonModule({ name, sha256, size: bytes.byteLength, limits, events, guest });
  }

  get metrics(): ModuleMetricsSnapshot {
    return this.#guest.metrics.snapshot();
  }

  /** Same as `metrics`, with the signature of IsolatedSentinelModule. */
  readMetrics(): Promise<ModuleMetricsSnapshot> {
    return Promise.resolve(this.metrics);
  }

  get poolSize(): number {
    return this.#guest.poolSize;
  }

  onRequestHeaders(request: SentinelRequestInput): Promise<SentinelResult> {
    return this.call('request_headers', request);
  }

  onResponseHeaders(response: SentinelResponseInput): Promise<SentinelResult> {
    return this.call('response_headers', response);
  }

  /** Runs one event through the module; a handler the module lacks means allow. */
  call(event: SentinelEvent, input: SentinelRequestInput | SentinelResponseInput): Promise<SentinelResult> {
    if (!this.events.has(event)) return Promise.resolve(allowResult());
    let bytes: Uint8Array;
    try {
      bytes = event === 'request_headers' ? encodeRequest(input as SentinelRequestInput) : encodeResponse(input as SentinelResponseInput);
    } catch (err) {
      return Promise.reject(new WasmgateError('WG_ERR_SENTINEL_EVENT', `${event} input cannot be written as JSON: ${describeError(err)}`, { cause: err }));
    }
    if (bytes.length > this.limits.maxBodySize) {
      return Promise.reject(
        new WasmgateError('WG_ERR_BODY_TOO_LARGE', `${event} input is ${bytes.length} bytes, over max_body_size (${this.limits.maxBodySize})`),
      );
    }
    // The bytes are a view of the encoder's scratch buffer: keep a copy if the call must wait.
    if (!this.#guest.idle) bytes = bytes.slice();
    return this.#guest.call((instance, startedAt) => invoke(instance, event, bytes, startedAt));
  }

  close(): Promise<void> {
    return this.#guest.close();
  }
}

function bindInstance(core: CoreInstance, results: SentinelResultCache): SentinelInstance {
  const e = core.exports as Record<string, unknown>;
  const handlers: SentinelInstance['handlers'] = {};
  if (typeof e.on_request_headers === 'function') handlers.request_headers = e.on_request_headers as Handler;
  if (typeof e.on_response_headers === 'function') handlers.response_headers = e.on_response_headers as Handler;
  return {
    core,
    alloc: e.alloc as SentinelInstance['alloc'],
    dealloc: e.dealloc as SentinelInstance['dealloc'],
    handlers,
    results,
    view: new Uint8Array(core.memory.buffer),
    words: new Int32Array(core.memory.buffer),
  };
}

/** The instance's memory view, renewed after the guest grew its memory (the old one reads as empty). */
function memoryOf(instance: SentinelInstance): Uint8Array {
  if (instance.view.byteLength === 0) {
    instance.view = new Uint8Array(instance.core.memory.buffer);
    instance.words = new Int32Array(instance.core.memory.buffer);
  }
  return instance.view;
}

function checkRange(memory: Uint8Array, ptr: number, len: number, what: string): void {
  if (ptr + len > memory.byteLength) {
    throw new GuestFault('bad-output', `${what} [${ptr}, ${ptr + len}) lies outside guest memory (${memory.byteLength} bytes)`);
  }
}

// A handler's i64 result `(ptr << 32) | len` is split by storing it in a 64-bit cell and reading
// the two 32-bit halves back: BigInt shifts and masks allocate a BigInt each (~80 ns a call).
const packedCell = new BigUint64Array(1);
const packedHalves = new Uint32Array(packedCell.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LOW_HALF = LITTLE_ENDIAN ? 0 : 1;
const HIGH_HALF = LITTLE_ENDIAN ? 1 : 0;

/** One ABI call. Runs inside the pool: a throw discards the instance. */
function invoke(instance: SentinelInstance, event: SentinelEvent, input: Uint8Array, startedAt: number): SentinelResult {
  const { core } = instance;
  const exportName = SENTINEL_EXPORTS[event];
  const length = input.length;
  return callGuest(core, exportName, () => {
    const inPtr = instance.alloc(length) >>> 0;
    let memory = memoryOf(instance);
    checkRange(memory, inPtr, length, `alloc(${length}) returned a buffer that`);
    memory.set(input, inPtr);
    const packed = instance.handlers[event]!(inPtr, length);
    instance.dealloc(inPtr, length);
    packedCell[0] = packed;
    const outPtr = packedHalves[HIGH_HALF]!;
    const outLen = packedHalves[LOW_HALF]!;
    if (outPtr === 0 || outLen === 0) return allowResult();
    if (outLen > core.limits.maxBodySize) {
      throw new GuestFault('bad-output', `${exportName} returned ${outLen} bytes, over max_body_size (${core.limits.maxBodySize})`);
    }
    memory = memoryOf(instance);
    checkRange(memory, outPtr, outLen, `${exportName} returned a result that`);
    const result = instance.results.read(memory, instance.words, outPtr, outLen, exportName);
    instance.dealloc(outPtr, outLen);
    return result;
  }, startedAt);
}
