// An smg:gateway component with every instance on executor threads (runtime/isolated-guest): the
// same behaviour as SmgMiddlewareModule, but a component that loops until its deadline holds one
// executor thread, never the event loop, so the gateway keeps serving other requests meanwhile.
// Each thread loads the component itself (the transpile cache on disk makes the later ones fast).
import {
  DEFAULT_LIMITS,
  DEFAULT_POOL_SIZE,
  GuestFault,
  IsolatedGuest,
  ModuleMetrics,
  executorLayout,
  resolveLimits,
  siblingEntry,
  sumMetricsSnapshots,
  type ExecutorThreadOptions,
  type GuestLimits,
  type ModuleMetricsSnapshot,
} from '../../runtime/index.js';
import type { IsolatedSmgArgs, IsolatedSmgInfo } from './isolated-factory.js';
import type { SmgMiddlewareOptions } from './smg-middleware-module.js';
import type { SmgAction, SmgMiddlewareGuest, SmgRequest, SmgResponse } from './types.js';

export interface IsolatedSmgOptions extends Pick<SmgMiddlewareOptions, 'name' | 'limits' | 'poolSize' | 'config' | 'cacheDir' | 'acquireTimeoutMs'>, ExecutorThreadOptions {}

const factoryUrl = siblingEntry('isolated-factory', import.meta.url).href;

export class IsolatedSmgModule implements SmgMiddlewareGuest {
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly limits: GuestLimits;
  readonly threads: number;
  readonly onRequest?: (request: SmgRequest) => Promise<SmgAction>;
  readonly onResponse?: (response: SmgResponse) => Promise<SmgAction>;
  /** Calls as the main thread sees them (the hop to the executor thread included). */
  readonly #calls = new ModuleMetrics();
  readonly #guest: IsolatedGuest;

  private constructor(guest: IsolatedGuest, name: string, limits: GuestLimits, threads: number, info: IsolatedSmgInfo) {
    this.#guest = guest;
    this.name = name;
    this.sha256 = info.sha256;
    this.size = info.size;
    this.limits = limits;
    this.threads = threads;
    if (info.exportsOnRequest) this.onRequest = (request) => this.#call('onRequest', request);
    if (info.exportsOnResponse) this.onResponse = (response) => this.#call('onResponse', response);
  }

  /** Starts the executor threads, each of which validates, transpiles (cached) and instantiates its share of the pool. */
  static async load(bytes: Uint8Array, options: IsolatedSmgOptions): Promise<IsolatedSmgModule> {
    const limits = resolveLimits(DEFAULT_LIMITS, options.limits);
    const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
    const { threads, instancesPerThread } = executorLayout(poolSize, options.threads);
    const { threads: _threads, onWorkerExit, ...moduleOptions } = options;
    const args: IsolatedSmgArgs = { bytes, options: { ...moduleOptions, poolSize: instancesPerThread } };
    const guest = await IsolatedGuest.create({ name: options.name, factoryUrl, factoryArgs: args, threads, onWorkerExit });
    const info = (await guest.call('info', undefined)) as IsolatedSmgInfo;
    return new IsolatedSmgModule(guest, options.name, limits, threads, info);
  }

  async #call(method: 'onRequest' | 'onResponse', arg: SmgRequest | SmgResponse): Promise<SmgAction> {
    const started = performance.now();
    try {
      const action = (await this.#guest.call(method, arg)) as SmgAction;
      this.#calls.record((performance.now() - started) * 1000);
      return action;
    } catch (err) {
      this.#calls.record((performance.now() - started) * 1000, err instanceof GuestFault ? err.kind : 'trap');
      throw err;
    }
  }

  /** Calls, failures and times as the main thread saw them. */
  get metrics(): ModuleMetricsSnapshot {
    return this.#calls.snapshot();
  }

  /** The executor threads' own figures (guest time only, instances replaced and recycled), added up. */
  async readMetrics(): Promise<ModuleMetricsSnapshot> {
    return sumMetricsSnapshots((await this.#guest.broadcast('metrics', undefined)) as ModuleMetricsSnapshot[]);
  }

  close(): Promise<void> {
    return this.#guest.close();
  }
}
