// An smg:storage hook component: loaded once (both interfaces required), instantiated per pool
// slot, called synchronously. Calls throw GuestFault; after a fault the instance is unusable.
import { WasmgateError, describeError } from '../../errors.js';
import type { GuestFault } from '../../runtime/index.js';
import { CanonicalMemory } from '../smg-component/canonical/canonical-memory.js';
import { ComponentLoader, type ComponentArtifact } from '../smg-component/component/component-loader.js';
import { silentLog, type ComponentLog } from '../smg-component/component/component-log.js';
import { bindExport, planExport, type BoundExport, type CallPath, type ExportPlan } from '../smg-component/component/export-binding.js';
import { GuestCallGuard } from '../smg-component/component/guest-call-guard.js';
import { instantiateComponent } from '../smg-component/component/instantiate-component.js';
import { componentInfo, type LoadedComponentInfo } from '../smg-component/component/loaded-component-info.js';
import { checkWorld } from '../smg-component/component/world-check.js';
import type { CoreModuleHooks } from '../smg-component/core-module-hooks.js';
import type { GuestConfig } from '../smg-component/wasi/guest-config.js';
import { AFTER_PARAMS, BEFORE_PARAMS, beforeFromGlue, callAfter, callBefore, columnsFromGlue, operationIndex } from './storage-codec.js';
import { AFTER_EXPORT, AFTER_INTERFACE, BEFORE_EXPORT, BEFORE_INTERFACE, STORAGE_WORLD } from './storage-world.js';
import type { BeforeResult, ContextEntry, ExtraColumn, StorageOperation } from './types.js';

export interface StorageHookLoadOptions {
  name?: string;
  cacheDir?: string;
  log?: ComponentLog;
  loader?: ComponentLoader;
  callPath?: CallPath;
}

export interface StorageHookInstanceHandle {
  /** storage-hook-before.before. Throws GuestFault. */
  before(op: StorageOperation, context: readonly ContextEntry[], payload: string): BeforeResult;
  /** storage-hook-after.after. Throws GuestFault. */
  after(op: StorageOperation, context: readonly ContextEntry[], payload: string, resultJson: string, extra: readonly ExtraColumn[]): ExtraColumn[];
  /** Set once a call faulted: the instance is then unusable and every call throws. */
  readonly fault: GuestFault | undefined;
  /** Bytes of the guest's main memory now: the pool retires instances that near the cap. */
  readonly memoryBytes: number;
}

export interface LoadedStorageHookComponent extends LoadedComponentInfo {
  instantiate(hooks: CoreModuleHooks, config?: GuestConfig): Promise<StorageHookInstanceHandle>;
}

const SPECS = {
  before: { iface: BEFORE_INTERFACE, coreExport: BEFORE_EXPORT, jsName: 'before', paramCount: BEFORE_PARAMS },
  after: { iface: AFTER_INTERFACE, coreExport: AFTER_EXPORT, jsName: 'after', paramCount: AFTER_PARAMS },
} as const;

/** Loads an smg:storage hook: WG_ERR_MODULE_INVALID, _KIND_MISMATCH or _WRONG_WORLD when it is not one. */
export async function loadStorageHookComponent(bytes: Uint8Array, options: StorageHookLoadOptions = {}): Promise<LoadedStorageHookComponent> {
  const log = options.log ?? silentLog;
  const loader = options.loader ?? ComponentLoader.shared(options.cacheDir);
  const artifact = await loader.load(bytes, { what: options.name ?? 'storage hook', log });
  checkWorld(STORAGE_WORLD, artifact.shape);
  const wanted = options.callPath ?? 'direct';
  const plans = { before: planExport(artifact, SPECS.before, wanted, log), after: planExport(artifact, SPECS.after, wanted, log) };
  const name = options.name ?? `storage-hook:${artifact.sha256.slice(0, 12)}`;
  return {
    ...componentInfo(artifact, name, plans.before.lifted && plans.after.lifted ? 'direct' : 'glue'),
    instantiate: (hooks, config) => instantiateStorageHook(artifact, plans, hooks, name, log, config),
  };
}

function memoryOf(bound: BoundExport): CanonicalMemory | undefined {
  return bound.path === 'direct' ? new CanonicalMemory(bound.entry.memory, bound.entry.realloc) : undefined;
}

async function instantiateStorageHook(
  artifact: ComponentArtifact,
  plans: { before: ExportPlan; after: ExportPlan },
  hooks: CoreModuleHooks,
  name: string,
  log: ComponentLog,
  config?: GuestConfig,
): Promise<StorageHookInstanceHandle> {
  const instance = await instantiateComponent(artifact, hooks, name, log, config);
  const guard = new GuestCallGuard(instance.wasi, hooks.maxMemoryPages);
  let before: BoundExport;
  let after: BoundExport;
  try {
    before = bindExport(instance, plans.before, artifact.sha256, log);
    after = bindExport(instance, plans.after, artifact.sha256, log);
  } catch (err) {
    throw new WasmgateError('WG_ERR_INTERNAL_BUG', `could not bind storage hook exports: ${describeError(err)}`, { cause: err });
  }
  const beforeMem = memoryOf(before);
  const afterMem = memoryOf(after);
  if (before.path === 'direct') guard.watchMemory(before.entry.memory);
  return {
    get fault() {
      return guard.fault;
    },
    get memoryBytes() {
      return guard.memoryBytes;
    },
    before(op, context, payload) {
      const index = operationIndex(op);
      return guard.run('before', () =>
        before.path === 'direct' ? callBefore(beforeMem!, before.entry, index, context, payload) : beforeFromGlue(before.call(op, context, payload)),
      );
    },
    after(op, context, payload, resultJson, extra) {
      const index = operationIndex(op);
      return guard.run('after', () =>
        after.path === 'direct'
          ? callAfter(afterMem!, after.entry, index, context, payload, resultJson, extra)
          : columnsFromGlue(after.call(op, context, payload, resultJson, extra)),
      );
    },
  };
}
