// JS stand-ins for SentinelGuest, so the agent can be tested before (and independently of) the
// wasm runtime. Any object implementing SentinelGuest can be passed to startTestAgent().
import type {
  ClosableGuest,
  SentinelRequest,
  SentinelResponse,
  SentinelResult,
} from '../../../src/sentinel/index.js';

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * The sentinel-security behaviour: /admin is blocked 403 "Forbidden"; anything else is allowed,
 * marked X-Processed, stripped of X-Debug and tagged. Responses get security headers.
 */
export function securityGuest(): ClosableGuest & { requests: SentinelRequest[]; responses: SentinelResponse[] } {
  const requests: SentinelRequest[] = [];
  const responses: SentinelResponse[] = [];
  return {
    requests,
    responses,
    async onRequestHeaders(request) {
      requests.push(request);
      if (request.uri.includes('/admin')) return { decision: 'block', status: 403, body: 'Forbidden', tags: ['admin-blocked'] };
      return {
        decision: 'allow',
        add_request_headers: { 'X-Processed': 'true', 'X-Client-IP': request.client_ip },
        remove_request_headers: ['X-Debug'],
        tags: ['processed'],
      };
    },
    async onResponseHeaders(response) {
      responses.push(response);
      return {
        decision: 'allow',
        add_response_headers: { 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY' },
        remove_response_headers: ['Server', 'X-Powered-By'],
        tags: [`status-${response.status}`],
      };
    },
  };
}

/** Returns a fixed (possibly invalid) result for both hooks: for mapping tests. */
export function scriptedGuest(result: unknown): ClosableGuest {
  const answer = async (): Promise<SentinelResult> => result as SentinelResult;
  return { onRequestHeaders: answer, onResponseHeaders: answer };
}

export function throwingGuest(error: unknown): ClosableGuest {
  const fail = async (): Promise<SentinelResult> => {
    throw error;
  };
  return { onRequestHeaders: fail, onResponseHeaders: fail };
}

export interface PendingCall {
  kind: 'request' | 'response';
  input: SentinelRequest | SentinelResponse;
  resolve(result: SentinelResult): void;
  reject(err: unknown): void;
}

/** Every call waits until the test settles it; `nextCall()` hands them out in arrival order. */
export class SlowGuest implements ClosableGuest {
  readonly calls: PendingCall[] = [];
  readonly closed = deferred();
  #arrivals: Array<(call: PendingCall) => void> = [];
  #seen = 0;

  onRequestHeaders(input: SentinelRequest): Promise<SentinelResult> {
    return this.#wait('request', input);
  }

  onResponseHeaders(input: SentinelResponse): Promise<SentinelResult> {
    return this.#wait('response', input);
  }

  /** The next call not yet handed out (waits for it to arrive). */
  nextCall(): Promise<PendingCall> {
    const call = this.calls[this.#seen];
    if (call !== undefined) {
      this.#seen++;
      return Promise.resolve(call);
    }
    return new Promise((resolve) => this.#arrivals.push(resolve));
  }

  async close(): Promise<void> {
    this.closed.resolve();
  }

  #wait(kind: PendingCall['kind'], input: SentinelRequest | SentinelResponse): Promise<SentinelResult> {
    const result = deferred<SentinelResult>();
    const call: PendingCall = { kind, input, resolve: result.resolve, reject: result.reject };
    this.calls.push(call);
    const waiter = this.#arrivals.shift();
    if (waiter !== undefined) {
      this.#seen++;
      waiter(call);
    }
    return result.promise;
  }
}

/** Counts calls and closes; tags every answer with its name, so tests can tell guests apart. */
export class CountingGuest implements ClosableGuest {
  calls = 0;
  closes = 0;
  readonly closed = deferred();
  readonly name: string;

  constructor(name: string) {
    this.name = name;
  }

  async onRequestHeaders(): Promise<SentinelResult> {
    this.calls++;
    return { decision: 'allow', add_request_headers: { 'X-Guest': this.name, 'X-Count': String(this.calls) }, tags: [this.name] };
  }

  async onResponseHeaders(): Promise<SentinelResult> {
    this.calls++;
    return { decision: 'allow', tags: [this.name] };
  }

  async close(): Promise<void> {
    this.closes++;
    this.closed.resolve();
  }
}
