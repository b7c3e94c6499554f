// An smg:gateway component ready to serve: loaded (validated, transpiled, cached) once, run on a pool
// of instances under the module's limits, metered per module. This is what the gateway's registry
// loads; `onRequest` / `onResponse` exist only when the component exports that interface.
import {
  DEFAULT_LIMITS,
  resolveLimits,
  type PooledGuest,
  type GuestLimits,
  type ModuleMetricsSnapshot,
} from '../../runtime/index.js';
import { createComponentPool, withinBudget, type ComponentModuleOptions, type PooledInstance } from './runtime-hooks.js';
import { loadSmgComponent, type ComponentInstanceHandle, type LoadedComponent } from './smg-component.js';
import type { SmgAction, SmgMiddlewareGuest, SmgRequest, SmgResponse } from './types.js';

export interface SmgMiddlewareOptions extends ComponentModuleOptions {
  name: string;
}

type PooledComponent = PooledInstance<ComponentInstanceHandle>;

export class SmgMiddlewareModule implements SmgMiddlewareGuest {
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly limits: GuestLimits;
  readonly component: LoadedComponent;
  readonly onRequest?: (request: SmgRequest) => Promise<SmgAction>;
  readonly onResponse?: (response: SmgResponse) => Promise<SmgAction>;
  readonly #guest: PooledGuest<PooledComponent>;

  private constructor(component: LoadedComponent, limits: GuestLimits, guest: PooledGuest<PooledComponent>) {
    this.name = component.name;
    this.sha256 = component.sha256;
    this.size = component.size;
    this.limits = limits;
    this.component = component;
    this.#guest = guest;
    const timeout = limits.maxExecutionTimeMs;
    if (component.exportsOnRequest) {
      this.onRequest = (request) =>
        guest.call((inst, startedAt) => withinBudget(inst.runtime.budget, timeout, () => inst.handle.onRequest!(request), startedAt));
    }
    if (component.exportsOnResponse) {
      this.onResponse = (response) =>
        guest.call((inst, startedAt) => withinBudget(inst.runtime.budget, timeout, () => inst.handle.onResponse!(response), startedAt));
    }
  }

  /**
   * Whether a call made now runs to completion before it returns (an instance is free): the time
   * the call takes synchronously is then exactly the guest's time, with no queueing in it.
   */
  get idle(): boolean {
    return this.#guest.idle;
  }

  /** Validates, transpiles (cached by sha256) and instantiates `poolSize` instances; throws WasmgateError. */
  static async load(bytes: Uint8Array, options: SmgMiddlewareOptions): Promise<SmgMiddlewareModule> {
    const limits = resolveLimits(DEFAULT_LIMITS, options.limits);
    const component = await loadSmgComponent(bytes, {
      name: options.name,
      maxBodySize: limits.maxBodySize,
      cacheDir: options.cacheDir,
      log: options.log,
    });
    const guest = await createComponentPool({
      ...options,
      limits,
      instantiate: (hooks, config) => component.instantiate(hooks, config),
    });
    return new SmgMiddlewareModule(component, limits, guest);
  }

  get metrics(): ModuleMetricsSnapshot {
    return this.#guest.metrics.snapshot();
  }

  get poolSize(): number {
    return this.#guest.poolSize;
  }

  close(): Promise<void> {
    return this.#guest.close();
  }
}
