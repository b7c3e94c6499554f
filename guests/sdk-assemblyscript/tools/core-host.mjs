// A minimal canonical-ABI host for the core module of an SDK-built component (the
// `<name>.core.wasm` that build-component.mjs writes with `coreOutFile`): it lowers the arguments
// with the module's cabi_realloc, calls the export, lifts the result strictly (bounds, alignment,
// discriminants, UTF-8) and calls the post-return export, as a component host does. It also
// provides the two optional imports (wasmgate:guest/config from a plain object, the wall clock).
//
// For unit tests of a module's handlers in plain Node, without the gateway:
//   const guest = await instantiateCore(readFileSync('build/my-filter.core.wasm'), { config: { api_key: 'k' } });
//   guest.onRequest({ path: '/api/x', headers: [{ name: 'x-api-key', value: 'k' }] });  // { tag: 'continue' }
// Results have the shapes wasmgate's library uses (SmgAction, BeforeResult, ExtraColumn[]).

const EXPORTS = Object.freeze({
  onRequest: 'smg:gateway/middleware-on-request#on-request',
  onResponse: 'smg:gateway/middleware-on-response#on-response',
  before: 'smg:storage/storage-hook-before#before',
  after: 'smg:storage/storage-hook-after#after',
});

/** smg:storage `operation` cases, in WIT order (the discriminant is the index). */
export const OPERATIONS = Object.freeze([
  'create-conversation', 'get-conversation', 'update-conversation', 'delete-conversation',
  'create-item', 'link-item', 'link-items', 'list-items', 'get-item', 'is-item-linked',
  'delete-item', 'store-response', 'get-response', 'delete-response', 'get-response-chain',
  'list-identifier-responses', 'delete-identifier-responses',
]);

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

class CanonicalError extends Error {}

function fail(detail) {
  throw new CanonicalError(`guest broke the canonical ABI: ${detail}`);
}

export class CoreHost {
  #exports;
  #emptyWithoutRealloc;
  /** How many times the guest's cabi_realloc was called (by lowering or by an import). */
  reallocCalls = 0;

  /** Use instantiateCore(). */
  constructor(instance, options) {
    this.#exports = instance.exports;
    this.#emptyWithoutRealloc = options.emptyWithoutRealloc ?? true;
  }

  /** The module's memory, in bytes (for leak checks across calls). */
  get memoryBytes() {
    return this.#exports.memory.buffer.byteLength;
  }

  // ---- smg:gateway ----

  /** `on-request(request) -> action`. `body` may be a string (UTF-8) or bytes; missing fields get defaults. */
  onRequest(req) {
    const r = { method: 'GET', path: '/', query: '', headers: [], body: new Uint8Array(0), requestId: 'req-1', nowEpochMs: 0, ...req };
    const args = [
      ...this.#string(r.method), ...this.#string(r.path), ...this.#string(r.query),
      ...this.#pairs(r.headers.map((h) => [h.name, h.value])), ...this.#bytes(r.body),
      ...this.#string(r.requestId), BigInt(r.nowEpochMs),
    ];
    return this.#call('onRequest', args, (ret) => this.#action(ret));
  }

  /** `on-response(response) -> action`. */
  onResponse(res) {
    const r = { status: 200, headers: [], body: new Uint8Array(0), ...res };
    const args = [r.status & 0xffff, ...this.#pairs(r.headers.map((h) => [h.name, h.value])), ...this.#bytes(r.body)];
    return this.#call('onResponse', args, (ret) => this.#action(ret));
  }

  // ---- smg:storage ----

  /** `before(op, context, payload) -> before-result`; `op` is a name from OPERATIONS or an index. */
  before(op, context, payload) {
    const args = [opIndex(op), ...this.#pairs(context.map((e) => [e.key, e.value])), ...this.#string(payload)];
    return this.#call('before', args, (ret) => {
      this.#check(ret, 12, 4, 'before-result');
      const tag = this.#discriminant(ret, 2, 'before-result');
      const ptr = this.#u32(ret + 4);
      const len = this.#u32(ret + 8);
      return tag === 0
        ? { tag: 'do-continue', columns: this.#readPairs(ptr, len, 'columns').map(([name, value]) => ({ name, value })) }
        : { tag: 'reject', reason: this.#readString(ptr, len, 'reason') };
    });
  }

  /** `after(op, context, payload, result-json, extra) -> list<extra-column>`. */
  after(op, context, payload, resultJson, extra) {
    const args = [
      opIndex(op), ...this.#pairs(context.map((e) => [e.key, e.value])), ...this.#string(payload),
      ...this.#string(resultJson), ...this.#pairs(extra.map((c) => [c.name, c.value])),
    ];
    return this.#call('after', args, (ret) => {
      this.#check(ret, 8, 4, 'after result');
      return this.#readPairs(this.#u32(ret), this.#u32(ret + 4), 'columns').map(([name, value]) => ({ name, value }));
    });
  }

  // ---- calls ----

  #call(which, args, lift) {
    const name = EXPORTS[which];
    const fn = this.#exports[name];
    if (typeof fn !== 'function') throw new Error(`the module does not export ${name}`);
    const ret = fn(...args) >>> 0;
    const result = lift(ret);
    const post = this.#exports[`cabi_post_${name}`];
    if (typeof post === 'function') post(ret);
    return result;
  }

  // ---- lowering ----

  alloc(size, align) {
    this.reallocCalls++;
    const ptr = this.#exports.cabi_realloc(0, 0, align, size) >>> 0;
    if (ptr % align !== 0) fail(`cabi_realloc returned ${ptr}, not ${align}-byte aligned`);
    if (ptr + size > this.memoryBytes) fail(`cabi_realloc returned ${ptr} for ${size} bytes, past the end of memory`);
    return ptr;
  }

  #u8() {
    return new Uint8Array(this.#exports.memory.buffer);
  }

  #view() {
    return new DataView(this.#exports.memory.buffer);
  }

  #string(s) {
    return this.#bytes(encoder.encode(s));
  }

  #bytes(data) {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    if (bytes.length === 0 && this.#emptyWithoutRealloc) return [1, 0];
    const ptr = this.alloc(bytes.length, 1);
    this.#u8().set(bytes, ptr);
    return [ptr, bytes.length];
  }

  #pairs(pairs) {
    if (pairs.length === 0 && this.#emptyWithoutRealloc) return [4, 0];
    const base = this.alloc(pairs.length * 16, 4);
    pairs.forEach(([a, b], i) => {
      const [ap, al] = this.#string(a);
      const [bp, bl] = this.#string(b);
      const view = this.#view();
      view.setUint32(base + i * 16, ap, true);
      view.setUint32(base + i * 16 + 4, al, true);
      view.setUint32(base + i * 16 + 8, bp, true);
      view.setUint32(base + i * 16 + 12, bl, true);
    });
    return [base, pairs.length];
  }

  /** Writes `s` through cabi_realloc and stores (ptr, len) at `at` (for the config import). */
  writeStringAt(at, s) {
    const bytes = encoder.encode(s);
    const ptr = this.alloc(bytes.length, 1);
    this.#u8().set(bytes, ptr);
    this.#view().setUint32(at, ptr, true);
    this.#view().setUint32(at + 4, bytes.length, true);
  }

  // ---- lifting ----

  #check(ptr, size, align, what) {
    if (ptr % align !== 0) fail(`${what} at ${ptr} is not ${align}-byte aligned`);
    if (ptr + size > this.memoryBytes) fail(`${what} at ${ptr} (${size} bytes) is outside memory`);
  }

  #u32(ptr) {
    return this.#view().getUint32(ptr, true);
  }

  #discriminant(ptr, cases, what) {
    const d = this.#u8()[ptr];
    if (d >= cases) fail(`${what} has discriminant ${d}`);
    return d;
  }

  #readString(ptr, len, what) {
    this.#check(ptr, len, 1, what);
    try {
      return strictUtf8.decode(this.#u8().subarray(ptr, ptr + len));
    } catch {
      fail(`${what} is not valid UTF-8`);
    }
  }

  #readPairs(ptr, len, what) {
    this.#check(ptr, len * 16, 4, what);
    const out = [];
    for (let i = 0; i < len; i++) {
      const at = ptr + i * 16;
      out.push([this.#readString(this.#u32(at), this.#u32(at + 4), `${what}[${i}].0`), this.#readString(this.#u32(at + 8), this.#u32(at + 12), `${what}[${i}].1`)]);
    }
    return out;
  }

  #action(ret) {
    this.#check(ret, 44, 4, 'action');
    const view = this.#view();
    switch (this.#discriminant(ret, 3, 'action')) {
      case 0:
        return { tag: 'continue' };
      case 1:
        return { tag: 'reject', status: view.getUint16(ret + 4, true) };
      default: {
        const pairs = (at, what) => this.#readPairs(this.#u32(at), this.#u32(at + 4), what).map(([name, value]) => ({ name, value }));
        const removePtr = this.#u32(ret + 24);
        const removeLen = this.#u32(ret + 28);
        this.#check(removePtr, removeLen * 8, 4, 'headers-remove');
        const modify = {
          headersSet: pairs(ret + 8, 'headers-set'),
          headersAdd: pairs(ret + 16, 'headers-add'),
          headersRemove: Array.from({ length: removeLen }, (_, i) =>
            this.#readString(this.#u32(removePtr + i * 8), this.#u32(removePtr + i * 8 + 4), `headers-remove[${i}]`),
          ),
        };
        if (this.#discriminant(ret + 4, 2, 'status') === 1) modify.status = view.getUint16(ret + 6, true);
        if (this.#discriminant(ret + 32, 2, 'body-replace') === 1) {
          const ptr = this.#u32(ret + 36);
          const len = this.#u32(ret + 40);
          this.#check(ptr, len, 1, 'body-replace');
          modify.bodyReplace = this.#u8().slice(ptr, ptr + len);
        }
        return { tag: 'modify', modify };
      }
    }
  }
}

function opIndex(op) {
  const index = typeof op === 'number' ? op : OPERATIONS.indexOf(op);
  if (index < 0) throw new Error(`unknown storage operation ${JSON.stringify(op)}`);
  return index;
}

/**
 * Instantiates a core module built by the SDK.
 * @param {Uint8Array | WebAssembly.Module} core
 * @param {{ config?: Record<string, unknown>, nowMs?: () => number, emptyWithoutRealloc?: boolean }} [options]
 *   `config`: what wasmgate:guest/config returns; `nowMs`: the wall clock; `emptyWithoutRealloc`
 *   (default true): pass empty strings and lists as (align, 0) without calling cabi_realloc, as
 *   wasmgate does (false: allocate 0 bytes, as jco's glue does).
 * @returns {Promise<CoreHost>}
 */
export async function instantiateCore(core, options = {}) {
  const module = core instanceof WebAssembly.Module ? core : await WebAssembly.compile(core);
  const config = options.config ?? {};
  const nowMs = options.nowMs ?? Date.now;
  let host;
  const view = () => new DataView(instance.exports.memory.buffer);
  const imports = {
    'wasmgate:guest/config@0.1.0': {
      'get-json': (ret) => host.writeStringAt(ret >>> 0, JSON.stringify(config)),
      get: (keyPtr, keyLen, ret) => {
        const key = strictUtf8.decode(new Uint8Array(instance.exports.memory.buffer, keyPtr >>> 0, keyLen >>> 0));
        const value = Object.hasOwn(config, key) ? config[key] : undefined;
        view().setUint8(ret >>> 0, value === undefined ? 0 : 1);
        if (value !== undefined) host.writeStringAt((ret >>> 0) + 4, typeof value === 'string' ? value : JSON.stringify(value));
      },
    },
    'wasi:clocks/wall-clock@0.2.0': {
      now: (ret) => {
        const ms = nowMs();
        view().setBigUint64(ret >>> 0, BigInt(Math.floor(ms / 1000)), true);
        view().setUint32((ret >>> 0) + 8, (ms % 1000) * 1_000_000, true);
      },
      resolution: (ret) => {
        view().setBigUint64(ret >>> 0, 0n, true);
        view().setUint32((ret >>> 0) + 8, 1_000_000, true);
      },
    },
  };
  const instance = await WebAssembly.instantiate(module, imports);
  host = new CoreHost(instance, options);
  return host;
}
