// A fixed-size pool of guest instances of one module. Instances are created eagerly and reused, so
// guest state persists between calls; an instance whose call threw (trap, timeout, bad output...)
// is thrown away and replaced in the background. Callers beyond the pool size wait in FIFO order
// for a bounded time, then get WG_ERR_POOL_EXHAUSTED.
import { WasmgateError, describeError } from '../errors.js';
import { DEFAULT_POOL_ACQUIRE_TIMEOUT_MS, MAX_LIVE_INSTANCES, MAX_POOL_SIZE } from './limits.js';

/** Counts live instances process-wide: each wasm memory reserves ~10 GiB of address space. */
export class InstanceLimiter {
  #live = 0;
  readonly max: number;

  constructor(max = MAX_LIVE_INSTANCES) {
    this.max = max;
  }

  get live(): number {
    return this.#live;
  }

  take(what: string): void {
    if (this.#live >= this.max) {
      throw new WasmgateError(
        'WG_ERR_INSTANCE_LIMIT',
        `cannot create another instance of ${what}: ${this.#live} live instances is the process limit (${this.max}); lower pool sizes or unload modules`,
      );
    }
    this.#live++;
  }

  give(): void {
    this.#live--;
  }
}

/** The limiter every pool uses unless given another (tests pass their own). */
export const processInstanceLimiter = new InstanceLimiter();

export interface InstancePoolOptions<T> {
  /** For messages: the module name. */
  name: string;
  size: number;
  create(): Promise<T>;
  /** Frees what an instance holds; called once per instance when it is discarded or the pool closes. */
  destroy?(instance: T): void;
  acquireTimeoutMs?: number;
  limiter?: InstanceLimiter;
  /** Told when a faulted instance is replaced (metrics, logs). */
  onReplace?(cause: unknown): void;
  /** Told when creating a replacement failed (it is retried with back-off). */
  onCreateError?(err: unknown): void;
  /** Asked after each successful call: true retires the instance (replaced in the background, not a fault). */
  isWorn?(instance: T): boolean;
  /** Told when a worn instance is retired. */
  onRetire?(): void;
}

interface Waiter<T> {
  resolve(instance: T): void;
  reject(err: unknown): void;
  timer: NodeJS.Timeout;
}

const REPLACE_RETRY_MS = [10, 100, 1000, 5000];

export class InstancePool<T> {
  readonly #options: InstancePoolOptions<T>;
  readonly #limiter: InstanceLimiter;
  readonly #free: T[] = [];
  readonly #waiters: Waiter<T>[] = [];
  #total = 0;
  #busy = 0;
  #closed = false;
  #drained: (() => void) | undefined;
  #lastCreateError: unknown;

  private constructor(options: InstancePoolOptions<T>) {
    if (!Number.isInteger(options.size) || options.size < 1 || options.size > MAX_POOL_SIZE) {
      throw new WasmgateError('WG_ERR_CONFIG_INVALID', `pool_size must be a whole number in 1..${MAX_POOL_SIZE}, got ${options.size}`);
    }
    this.#options = options;
    this.#limiter = options.limiter ?? processInstanceLimiter;
  }

  /** Creates the pool and all its instances; fails (freeing what was made) if any instance fails. */
  static async create<T>(options: InstancePoolOptions<T>): Promise<InstancePool<T>> {
    const pool = new InstancePool(options);
    try {
      for (let i = 0; i < options.size; i++) pool.#free.push(await pool.#createOne());
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  get size(): number {
    return this.#options.size;
  }

  /** Instances currently running a call. */
  get busy(): number {
    return this.#busy;
  }

  /** Free instances: a `use` now runs at once, in the same synchronous step. */
  get idle(): number {
    return this.#free.length;
  }

  /** Callers waiting for an instance. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Runs `fn` on a free instance. If `fn` throws, the instance is discarded and replaced, and the
   * error is rethrown; otherwise the instance goes back to the pool.
   */
  use<R>(fn: (instance: T) => R): Promise<R> {
    const free = this.#free.pop();
    // Fast path without an async frame: most calls find a free instance.
    if (free !== undefined) return this.#run(free, fn);
    return this.#wait().then((instance) => this.#run(instance, fn));
  }

  #run<R>(instance: T, fn: (instance: T) => R): Promise<R> {
    this.#busy++;
    let result: R;
    try {
      result = fn(instance);
    } catch (err) {
      this.#busy--;
      this.#discard(instance, err);
      return Promise.reject(err);
    }
    this.#busy--;
    if (this.#options.isWorn?.(instance)) this.#retire(instance);
    else this.#release(instance);
    return Promise.resolve(result);
  }

  /** Rejects waiters, waits for running calls to finish, then destroys every instance. */
  async close(): Promise<void> {
    if (this.#closed && this.#total === 0) return;
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new WasmgateError('WG_ERR_POOL_CLOSED', `module ${this.#options.name} is being unloaded`));
    }
    for (const instance of this.#free.splice(0)) this.#destroy(instance);
    if (this.#busy > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
  }

  async #createOne(): Promise<T> {
    this.#limiter.take(this.#options.name);
    try {
      const instance = await this.#options.create();
      this.#total++;
      return instance;
    } catch (err) {
      this.#limiter.give();
      throw err;
    }
  }

  #destroy(instance: T): void {
    this.#total--;
    this.#limiter.give();
    try {
      this.#options.destroy?.(instance);
    } catch {
      // Destroying is best effort: the instance is unreachable from here on either way.
    }
  }

  #release(instance: T): void {
    if (this.#closed) {
      this.#destroy(instance);
      if (this.#busy === 0) this.#drained?.();
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(instance);
    } else {
      this.#free.push(instance);
    }
  }

  #discard(instance: T, cause: unknown): void {
    this.#destroy(instance);
    if (this.#closed) {
      if (this.#busy === 0) this.#drained?.();
      return;
    }
    this.#options.onReplace?.(cause);
    void this.#replace(0);
  }

  #retire(instance: T): void {
    this.#destroy(instance);
    if (this.#closed) {
      if (this.#busy === 0) this.#drained?.();
      return;
    }
    this.#options.onRetire?.();
    void this.#replace(0);
  }

  async #replace(attempt: number): Promise<void> {
    try {
      const fresh = await this.#createOne();
      this.#lastCreateError = undefined;
      this.#release(fresh);
    } catch (err) {
      this.#lastCreateError = err;
      this.#options.onCreateError?.(err);
      if (this.#closed) return;
      const delay = REPLACE_RETRY_MS[Math.min(attempt, REPLACE_RETRY_MS.length - 1)]!;
      setTimeout(() => void this.#replace(attempt + 1), delay).unref();
    }
  }

  #wait(): Promise<T> {
    if (this.#closed) {
      return Promise.reject(new WasmgateError('WG_ERR_POOL_CLOSED', `module ${this.#options.name} is being unloaded`));
    }
    const timeoutMs = this.#options.acquireTimeoutMs ?? DEFAULT_POOL_ACQUIRE_TIMEOUT_MS;
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        resolve,
        reject,
        timer: setTimeout(() => {
          const index = this.#waiters.indexOf(waiter);
          if (index >= 0) this.#waiters.splice(index, 1);
          const why =
            this.#lastCreateError === undefined
              ? `all ${this.#options.size} instances stayed busy`
              : `replacing a faulted instance keeps failing: ${describeError(this.#lastCreateError)}`;
          reject(
            new WasmgateError(
              'WG_ERR_POOL_EXHAUSTED',
              `pool exhausted for module ${this.#options.name}: no instance free within ${timeoutMs} ms (${why}); raise pool_size or lower load`,
            ),
          );
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }
}
