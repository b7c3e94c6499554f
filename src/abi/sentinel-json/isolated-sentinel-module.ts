// The Sentinel JSON ABI with every instance on executor threads (runtime/isolated-guest): same
// behaviour as SentinelJsonModule, but a runaway guest never holds the event loop.
import {
  DEFAULT_POOL_SIZE,
  IsolatedGuest,
  executorLayout,
  expectWasmKind,
  readModuleFile,
  siblingEntry,
  sumMetricsSnapshots,
  type ExecutorThreadOptions,
  type GuestLimits,
  type ModuleMetricsSnapshot,
} from '../../runtime/index.js';
import type { IsolatedSentinelArgs } from './isolated-factory.js';
import type { SentinelModuleOptions } from './sentinel-json-module.js';
import type { HeaderListGuest, SentinelEvent, SentinelRequestInput, SentinelResponseInput, SentinelResult } from './types.js';

export interface IsolatedSentinelOptions extends Pick<SentinelModuleOptions, 'name' | 'limits' | 'poolSize' | 'acquireTimeoutMs'>, ExecutorThreadOptions {}

const factoryUrl = siblingEntry('isolated-factory', import.meta.url).href;

export class IsolatedSentinelModule implements HeaderListGuest {
  readonly acceptsHeaderLists = true;
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly limits: GuestLimits;
  readonly events: ReadonlySet<SentinelEvent>;
  readonly poolSize: number;
  readonly threads: number;
  readonly #guest: IsolatedGuest;

  private constructor(guest: IsolatedGuest, info: { name: string; sha256: string; size: number; limits: GuestLimits; events: SentinelEvent[]; poolSize: number; threads: number }) {
    this.#guest = guest;
    this.name = info.name;
    this.sha256 = info.sha256;
    this.size = info.size;
    this.limits = info.limits;
    this.events = new Set(info.events);
    this.poolSize = info.poolSize;
    this.threads = info.threads;
  }

  static async load(source: Uint8Array | string, options: IsolatedSentinelOptions = {}): Promise<IsolatedSentinelModule> {
    const bytes = typeof source === 'string' ? await readModuleFile(source) : source;
    const name = options.name ?? (typeof source === 'string' ? source.split('/').pop()! : 'module');
    expectWasmKind(bytes, 'core', name);
    const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
    const { threads, instancesPerThread } = executorLayout(poolSize, options.threads);
    const args: IsolatedSentinelArgs = {
      bytes,
      options: { name, limits: options.limits, poolSize: instancesPerThread, acquireTimeoutMs: options.acquireTimeoutMs },
    };
    const guest = await IsolatedGuest.create({ name, factoryUrl, factoryArgs: args, threads, onWorkerExit: options.onWorkerExit });
    const info = (await guest.call('info', undefined)) as { sha256: string; size: number; limits: GuestLimits; events: SentinelEvent[] };
    return new IsolatedSentinelModule(guest, { ...info, name, poolSize, threads });
  }

  onRequestHeaders(request: SentinelRequestInput): Promise<SentinelResult> {
    return this.call('request_headers', request);
  }

  onResponseHeaders(response: SentinelResponseInput): Promise<SentinelResult> {
    return this.call('response_headers', response);
  }

  call(event: SentinelEvent, input: SentinelRequestInput | SentinelResponseInput): Promise<SentinelResult> {
    return this.#guest.call('call', { event, input }) as Promise<SentinelResult>;
  }

  async readMetrics(): Promise<ModuleMetricsSnapshot> {
    return sumMetricsSnapshots((await this.#guest.broadcast('metrics', undefined)) as ModuleMetricsSnapshot[]);
  }

  close(): Promise<void> {
    return this.#guest.close();
  }
}
