// An smg:storage hook ready to serve: validated and transpiled once, run on a pool of instances
// under limits, metered. SMG creates two fresh instances per storage operation and fails open on
// any error; here instances are reused (hook state persists) and errors surface as GuestFaults, so
// the caller chooses its policy (the gateway's storage layer fails closed on a tenancy hook).
import {
  DEFAULT_LIMITS,
  resolveLimits,
  type PooledGuest,
  type GuestLimits,
  type ModuleMetricsSnapshot,
} from '../../runtime/index.js';
import { createComponentPool, withinBudget, type ComponentModuleOptions, type PooledInstance } from '../smg-component/runtime-hooks.js';
import { loadStorageHookComponent, type LoadedStorageHookComponent, type StorageHookInstanceHandle } from './storage-hook-component.js';
import type { BeforeResult, ContextEntry, ExtraColumn, StorageOperation } from './types.js';

export interface StorageHookOptions extends ComponentModuleOptions {
  name?: string;
}

type PooledHook = PooledInstance<StorageHookInstanceHandle>;

export class StorageHook {
  readonly name: string;
  readonly sha256: string;
  readonly limits: GuestLimits;
  readonly component: LoadedStorageHookComponent;
  readonly #guest: PooledGuest<PooledHook>;

  private constructor(component: LoadedStorageHookComponent, limits: GuestLimits, guest: PooledGuest<PooledHook>) {
    this.name = component.name;
    this.sha256 = component.sha256;
    this.limits = limits;
    this.component = component;
    this.#guest = guest;
  }

  static async load(bytes: Uint8Array, options: StorageHookOptions = {}): Promise<StorageHook> {
    const limits = resolveLimits(DEFAULT_LIMITS, options.limits);
    const component = await loadStorageHookComponent(bytes, { name: options.name, cacheDir: options.cacheDir, log: options.log });
    const guest = await createComponentPool({
      ...options,
      name: component.name,
      limits,
      instantiate: (hooks, config) => component.instantiate(hooks, config),
    });
    return new StorageHook(component, limits, guest);
  }

  /** storage-hook-before.before: continue with extra columns, or reject with a reason. */
  before(op: StorageOperation, context: readonly ContextEntry[], payload: string): Promise<BeforeResult> {
    const timeout = this.limits.maxExecutionTimeMs;
    return this.#guest.call((inst, startedAt) => withinBudget(inst.runtime.budget, timeout, () => inst.handle.before(op, context, payload), startedAt));
  }

  /** storage-hook-after.after: the (possibly changed) extra columns. */
  after(op: StorageOperation, context: readonly ContextEntry[], payload: string, resultJson: string, extra: readonly ExtraColumn[]): Promise<ExtraColumn[]> {
    const timeout = this.limits.maxExecutionTimeMs;
    return this.#guest.call((inst, startedAt) =>
      withinBudget(inst.runtime.budget, timeout, () => inst.handle.after(op, context, payload, resultJson, extra), startedAt),
    );
  }

  get metrics(): ModuleMetricsSnapshot {
    return this.#guest.metrics.snapshot();
  }

  close(): Promise<void> {
    return this.#guest.close();
  }
}
