// A JS stand-in for the smg:gateway component loader, so the gateway is testable on its own.
// "Component" bytes are the 8-byte component preamble followed by one line of JSON describing the
// guest's behaviour (a FakeSpec); the header is validated like the real loader does, so non-wasm
// and core modules are refused.
import { WasmgateError, type ErrorCode } from '../../src/errors.js';
import type { LoadSpec, LoadedModule, LoadedModuleMetrics, ModuleLoader, SmgAction, SmgRequest, SmgResponse } from '../../src/gateway/index.js';
import { GuestFault, expectWasmKind, sha256Hex, type GuestFaultKind } from '../../src/runtime/index.js';

/** `\0asm`, version 0x0d, layer 1: a component. */
export const COMPONENT_PREAMBLE = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00);
/** `\0asm`, version 1, layer 0: a core module. */
export const CORE_PREAMBLE = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);

/**
 * What a fake guest does on a call. Header values may use $requestId, $method, $path, $query,
 * $status, $now, $version (the spec's `version`).
 */
export type FakeBehaviour =
  | { do: 'continue' }
  | { do: 'reject'; status: number }
  | { do: 'modify'; status?: number; set?: Array<[string, string]>; add?: Array<[string, string]>; remove?: string[]; body?: string }
  /** body-replace with the JSON of the record the guest was given (body as text). */
  | { do: 'record' }
  | { do: 'fail'; kind: GuestFaultKind }
  /** Waits until the test opens gate `gate`, then behaves as `then`. */
  | { do: 'gate'; gate: string; then: FakeBehaviour };

export interface FakeSpec {
  /** Which interfaces the component exports (default both). */
  exports?: Array<'onRequest' | 'onResponse'>;
  onRequest?: FakeBehaviour;
  onResponse?: FakeBehaviour;
  /** The loader refuses the bytes with this error. */
  loadError?: { code: ErrorCode; message: string };
  /** Free text, e.g. to make two otherwise identical components differ. */
  version?: string;
}

export function fakeComponent(spec: FakeSpec): Uint8Array {
  const json = new TextEncoder().encode(`${JSON.stringify(spec)}\n`);
  const out = new Uint8Array(COMPONENT_PREAMBLE.length + json.length);
  out.set(COMPONENT_PREAMBLE);
  out.set(json, COMPONENT_PREAMBLE.length);
  return out;
}

interface Gate {
  arrived: Promise<void>;
  markArrived(): void;
  opened: Promise<void>;
  open(): void;
}

function makeGate(): Gate {
  let markArrived!: () => void;
  let open!: () => void;
  const arrived = new Promise<void>((r) => (markArrived = r));
  const opened = new Promise<void>((r) => (open = r));
  return { arrived, markArrived, opened, open };
}

function expand(value: string, vars: Record<string, string>): string {
  return value.replace(/\$(requestId|method|path|query|status|now|version)/g, (_, k: string) => vars[k] ?? '');
}

export class FakeModule implements LoadedModule {
  readonly sha256: string;
  readonly name: string;
  readonly spec: FakeSpec;
  readonly loadSpec: LoadSpec;
  readonly onRequest?: (request: SmgRequest) => Promise<SmgAction>;
  readonly onResponse?: (response: SmgResponse) => Promise<SmgAction>;
  readonly requests: SmgRequest[] = [];
  readonly responses: SmgResponse[] = [];
  closed = false;
  /** Resolves once close() has finished. */
  readonly whenClosed: Promise<void>;
  #markClosed!: () => void;
  /** Calls made after close() (must never happen if the registry holds modules correctly). */
  callsAfterClose = 0;
  #inFlight = 0;
  #idle: Array<() => void> = [];
  #metrics: LoadedModuleMetrics = { calls: 0, failures: 0, totalUs: 0, maxUs: 0 };
  readonly #loader: FakeLoader;

  constructor(loader: FakeLoader, sha256: string, spec: FakeSpec, loadSpec: LoadSpec) {
    this.#loader = loader;
    this.sha256 = sha256;
    this.name = loadSpec.name;
    this.spec = spec;
    this.loadSpec = loadSpec;
    this.whenClosed = new Promise((resolve) => (this.#markClosed = resolve));
    const exports = spec.exports ?? ['onRequest', 'onResponse'];
    if (exports.includes('onRequest')) {
      this.onRequest = (req) => {
        this.requests.push(req);
        const text = Buffer.from(req.body).toString('utf8');
        const record = { method: req.method, path: req.path, query: req.query, headers: req.headers, body: text, requestId: req.requestId, nowEpochMs: req.nowEpochMs };
        return this.#call(spec.onRequest ?? { do: 'continue' }, record, { requestId: req.requestId, method: req.method, path: req.path, query: req.query });
      };
    }
    if (exports.includes('onResponse')) {
      this.onResponse = (res) => {
        this.responses.push(res);
        const record = { status: res.status, headers: res.headers, body: Buffer.from(res.body).toString('utf8') };
        return this.#call(spec.onResponse ?? { do: 'continue' }, record, { status: String(res.status) });
      };
    }
  }

  metrics(): LoadedModuleMetrics {
    return { ...this.#metrics };
  }

  async close(): Promise<void> {
    if (this.#inFlight > 0) await new Promise<void>((r) => this.#idle.push(r));
    this.closed = true;
    this.#markClosed();
  }

  async #call(behaviour: FakeBehaviour, record: unknown, vars: Record<string, string>): Promise<SmgAction> {
    if (this.closed) {
      this.callsAfterClose++;
      throw new WasmgateError('WG_ERR_POOL_CLOSED', `module ${this.name} is closed`);
    }
    this.#inFlight++;
    this.#metrics.calls++;
    try {
      return await this.#act(behaviour, record, { ...vars, now: String(Date.now()), version: this.spec.version ?? '' });
    } catch (err) {
      this.#metrics.failures++;
      throw err;
    } finally {
      if (--this.#inFlight === 0) for (const r of this.#idle.splice(0)) r();
    }
  }

  async #act(behaviour: FakeBehaviour, record: unknown, vars: Record<string, string>): Promise<SmgAction> {
    switch (behaviour.do) {
      case 'continue':
        return { tag: 'continue' };
      case 'reject':
        return { tag: 'reject', status: behaviour.status };
      case 'record':
        return { tag: 'modify', modify: { headersSet: [], headersAdd: [], headersRemove: [], bodyReplace: new TextEncoder().encode(JSON.stringify(record)) } };
      case 'fail':
        throw new GuestFault(behaviour.kind, `fake guest ${this.name} failed (${behaviour.kind})`);
      case 'gate': {
        const gate = this.#loader.gate(behaviour.gate);
        gate.markArrived();
        await gate.opened;
        return this.#act(behaviour.then, record, vars);
      }
      case 'modify': {
        const headers = (pairs: Array<[string, string]> | undefined) => (pairs ?? []).map(([name, value]) => ({ name, value: expand(value, vars) }));
        return {
          tag: 'modify',
          modify: {
            status: behaviour.status,
            headersSet: headers(behaviour.set),
            headersAdd: headers(behaviour.add),
            headersRemove: behaviour.remove ?? [],
            bodyReplace: behaviour.body === undefined ? undefined : new TextEncoder().encode(expand(behaviour.body, vars)),
          },
        };
      }
    }
  }
}

export class FakeLoader implements ModuleLoader {
  readonly modules: FakeModule[] = [];
  /** Module names this loader refuses (as a newer loader might refuse an old module). */
  readonly refuseNames = new Set<string>();
  readonly #gates = new Map<string, Gate>();

  async load(bytes: Uint8Array, spec: LoadSpec): Promise<LoadedModule> {
    if (this.refuseNames.has(spec.name)) throw new WasmgateError('WG_ERR_MODULE_WRONG_WORLD', `fake loader refuses ${spec.name}`);
    expectWasmKind(bytes, 'component', `module ${spec.name}`);
    const text = new TextDecoder().decode(bytes.subarray(COMPONENT_PREAMBLE.length));
    let parsed: FakeSpec;
    try {
      parsed = JSON.parse(text.split('\n', 1)[0]!) as FakeSpec;
    } catch {
      throw new WasmgateError('WG_ERR_MODULE_INVALID', 'failed to parse WebAssembly component: unexpected section (fake loader: no JSON behaviour line)');
    }
    if (parsed.loadError) throw new WasmgateError(parsed.loadError.code, parsed.loadError.message);
    const module = new FakeModule(this, sha256Hex(bytes), parsed, spec);
    this.modules.push(module);
    return module;
  }

  /** The gate `name` (created on first use by either side). */
  gate(name: string): Gate {
    let gate = this.#gates.get(name);
    if (!gate) {
      gate = makeGate();
      this.#gates.set(name, gate);
    }
    return gate;
  }

  /** Every loaded module named `name`, oldest first. */
  named(name: string): FakeModule[] {
    return this.modules.filter((m) => m.name === name);
  }
}
