// Admits at most `limit` guest calls at once (the pool size the agent advertises as its
// max_concurrency); the rest wait in FIFO order. A waiter can be dropped while still queued (v2
// cancel, client gone) and gives up after `maxWaitMs` so an overloaded agent answers by its fail
// policy instead of queueing without bound.
import { WasmgateError } from '../errors.js';

/** How long a call may wait for a free slot before it fails with WG_ERR_POOL_EXHAUSTED. */
export const DEFAULT_GATE_MAX_WAIT_MS = 5000;

/** Thrown by `acquire()` when its signal aborts while the call is still queued. */
export class CallCancelledError extends Error {
  constructor() {
    super('call cancelled while queued');
    this.name = 'CallCancelledError';
  }
}

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
  timer: NodeJS.Timeout;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export class CallGate {
  #limit: number;
  #active = 0;
  readonly #waiters = new Set<Waiter>();
  readonly #maxWaitMs: number;

  constructor(limit: number, maxWaitMs = DEFAULT_GATE_MAX_WAIT_MS) {
    this.#limit = limit;
    this.#maxWaitMs = maxWaitMs;
  }

  get limit(): number {
    return this.#limit;
  }

  get active(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#waiters.size;
  }

  /** Changes the limit; a larger limit admits waiters at once, a smaller one takes effect as calls end. */
  setLimit(limit: number): void {
    this.#limit = limit;
    this.#admit();
  }

  /** Resolves when the call may start; the caller must then call `release()` exactly once. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(new CallCancelledError());
    if (this.#active < this.#limit && this.#waiters.size === 0) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        timer: setTimeout(() => {
          this.#drop(waiter);
          reject(
            new WasmgateError(
              'WG_ERR_POOL_EXHAUSTED',
              `no free guest slot within ${this.#maxWaitMs} ms (${this.#active} running, limit ${this.#limit})`,
            ),
          );
        }, this.#maxWaitMs),
        onAbort: () => {
          this.#drop(waiter);
          reject(new CallCancelledError());
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }

  release(): void {
    this.#active--;
    this.#admit();
  }

  #drop(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    waiter.signal?.removeEventListener('abort', waiter.onAbort);
    this.#waiters.delete(waiter);
  }

  #admit(): void {
    for (const waiter of this.#waiters) {
      if (this.#active >= this.#limit) return;
      this.#drop(waiter);
      this.#active++;
      waiter.resolve();
    }
  }
}
