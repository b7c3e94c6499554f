// An instance pool plus the bookkeeping every ABI needs around a guest call: timing, per-module
// metrics by fault kind, and replacement of faulted instances. ABIs (sentinel-json, smg-component,
// storage-hook) supply how to create an instance and what one call does.
import { GuestFault } from './guest-fault.js';
import { InstancePool, type InstanceLimiter } from './instance-pool.js';
import { RECYCLE_MEMORY_FRACTION, WASM_PAGE_SIZE } from './limits.js';
import { ModuleMetrics } from './module-metrics.js';

export interface PooledGuestOptions<I> {
  name: string;
  poolSize: number;
  create(): Promise<I>;
  destroy?(instance: I): void;
  limiter?: InstanceLimiter;
  acquireTimeoutMs?: number;
  /** Told about each replaced instance and each failed replacement, for logs. */
  onInstanceEvent?(event: 'replaced' | 'replace-failed', err: unknown): void;
  /** Bytes of guest memory an instance uses now; with `maxMemoryPages`, worn instances are recycled. */
  memoryBytes?(instance: I): number;
  maxMemoryPages?: number;
}

function wornCheck<I>(options: PooledGuestOptions<I>): ((instance: I) => boolean) | undefined {
  const { memoryBytes, maxMemoryPages } = options;
  if (!memoryBytes || maxMemoryPages === undefined) return undefined;
  const threshold = maxMemoryPages * WASM_PAGE_SIZE * RECYCLE_MEMORY_FRACTION;
  return (instance) => memoryBytes(instance) > threshold;
}

export class PooledGuest<I> {
  readonly metrics = new ModuleMetrics();
  readonly #pool: InstancePool<I>;

  private constructor(pool: InstancePool<I>) {
    this.#pool = pool;
  }

  static async create<I>(options: PooledGuestOptions<I>): Promise<PooledGuest<I>> {
    let guest: PooledGuest<I> | undefined;
    const pool = await InstancePool.create<I>({
      name: options.name,
      size: options.poolSize,
      create: options.create,
      destroy: options.destroy,
      limiter: options.limiter,
      acquireTimeoutMs: options.acquireTimeoutMs,
      onReplace: (cause) => {
        guest?.metrics.recordReplacement();
        options.onInstanceEvent?.('replaced', cause);
      },
      onCreateError: (err) => options.onInstanceEvent?.('replace-failed', err),
      isWorn: wornCheck(options),
      onRetire: () => guest?.metrics.recordRecycle(),
    });
    guest = new PooledGuest(pool);
    return guest;
  }

  get poolSize(): number {
    return this.#pool.size;
  }

  /** Whether a `call` now runs at once, in the same synchronous step (an instance is free). */
  get idle(): boolean {
    return this.#pool.idle > 0;
  }

  /**
   * Runs one synchronous guest call on a pooled instance, timed and counted. `fn` gets the start
   * timestamp so it can arm the deadline without reading the clock again.
   */
  call<R>(fn: (instance: I, startedAt: number) => R): Promise<R> {
    return this.#pool.use((instance) => {
      const started = performance.now();
      try {
        const result = fn(instance, started);
        this.metrics.record((performance.now() - started) * 1000);
        return result;
      } catch (err) {
        this.metrics.record((performance.now() - started) * 1000, err instanceof GuestFault ? err.kind : 'trap');
        throw err;
      }
    });
  }

  /** Waits for running calls, then frees every instance. */
  close(): Promise<void> {
    return this.#pool.close();
  }
}
