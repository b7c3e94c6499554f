// The upstream workers: one keep-alive undici Pool each, picked round-robin. Health is passive: a
// worker that refuses or times out a connection is skipped for a cool-down, then tried again.
import { Pool } from 'undici';

export interface UpstreamSetOptions {
  urls: readonly string[];
  /** How long a worker that failed to connect is skipped. */
  cooldownMs: number;
  connectTimeoutMs: number;
  /** Clock in milliseconds (tests); default performance.now. */
  now?: () => number;
}

export class Upstream {
  readonly origin: string;
  readonly pool: Pool;
  /** Clock time until which the worker is skipped (0: healthy). */
  downUntil = 0;

  constructor(origin: string, connectTimeoutMs: number) {
    this.origin = origin;
    this.pool = new Pool(origin, {
      connect: { timeout: connectTimeoutMs },
      keepAliveTimeout: 4_000,
      keepAliveMaxTimeout: 600_000,
    });
  }
}

export class UpstreamSet {
  readonly upstreams: readonly Upstream[];
  readonly #cooldownMs: number;
  readonly #now: () => number;
  #next = 0;

  constructor(options: UpstreamSetOptions) {
    this.upstreams = options.urls.map((url) => new Upstream(new URL(url).origin, options.connectTimeoutMs));
    this.#cooldownMs = options.cooldownMs;
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * The next worker in round-robin order that is neither cooling down nor in `tried`. When every
   * untried worker is cooling down, the one whose cool-down ends first (better a try than a
   * certain 502). Undefined when every worker was tried.
   */
  pick(tried?: ReadonlySet<Upstream>): Upstream | undefined {
    const list = this.upstreams;
    const now = this.#now();
    let fallback: Upstream | undefined;
    for (let i = 0; i < list.length; i++) {
      const index = (this.#next + i) % list.length;
      const upstream = list[index]!;
      if (tried?.has(upstream)) continue;
      if (upstream.downUntil <= now) {
        this.#next = (index + 1) % list.length;
        return upstream;
      }
      if (!fallback || upstream.downUntil < fallback.downUntil) fallback = upstream;
    }
    return fallback;
  }

  markDown(upstream: Upstream): void {
    upstream.downUntil = this.#now() + this.#cooldownMs;
  }

  markUp(upstream: Upstream): void {
    upstream.downUntil = 0;
  }

  healthyCount(): number {
    const now = this.#now();
    return this.upstreams.filter((u) => u.downUntil <= now).length;
  }

  async close(): Promise<void> {
    await Promise.all(this.upstreams.map((u) => u.pool.destroy().catch(() => undefined)));
  }
}
