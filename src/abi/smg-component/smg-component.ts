// An smg:gateway component, loaded once and instantiated as often as the pool above needs:
// loadSmgComponent validates the world and prepares the calls; each instance then answers
// onRequest / onResponse synchronously. A call that faults throws a GuestFault and leaves the
// instance unusable (every later call throws too): throw it away and instantiate another.
import { WasmgateError, describeError } from '../../errors.js';
import { resolveLimits, type GuestFault } from '../../runtime/index.js';
import { CanonicalMemory } from './canonical/canonical-memory.js';
import { ComponentLoader, type ComponentArtifact } from './component/component-loader.js';
import { silentLog, type ComponentLog } from './component/component-log.js';
import { bindExport, planExport, type CallPath, type ExportPlan } from './component/export-binding.js';
import { GuestCallGuard } from './component/guest-call-guard.js';
import { instantiateComponent } from './component/instantiate-component.js';
import { componentInfo, type LoadedComponentInfo } from './component/loaded-component-info.js';
import { checkWorld } from './component/world-check.js';
import type { CoreModuleHooks } from './core-module-hooks.js';
import type { GuestConfig } from './wasi/guest-config.js';
import { ON_REQUEST_PARAMS, ON_RESPONSE_PARAMS, actionFromGlue, callOnRequest, callOnResponse, nowToU64, requestToGlue } from './smg-codec.js';
import { ON_REQUEST_EXPORT, ON_REQUEST_INTERFACE, ON_RESPONSE_EXPORT, ON_RESPONSE_INTERFACE, SMG_WORLD } from './smg-world.js';
import type { SmgAction, SmgRequest, SmgResponse } from './types.js';

export interface ComponentLoadOptions {
  /** Largest body-replace accepted from the guest (max_body_size). */
  maxBodySize: number;
  /** Names the module in logs and messages. */
  name?: string;
  /** Where transpiled output is kept across processes (used with the shared loader). */
  cacheDir?: string;
  log?: ComponentLog;
  /** A specific loader (and its memory cache); default: the process-wide one for `cacheDir`. */
  loader?: ComponentLoader;
  /** 'direct' (default): our own canonical ABI into the core exports; 'glue': jco's generated code. */
  callPath?: CallPath;
}

export interface ComponentInstanceHandle {
  /** Present when the component exports smg:gateway/middleware-on-request. Throws GuestFault. */
  onRequest?(req: SmgRequest): SmgAction;
  /** Present when the component exports smg:gateway/middleware-on-response. Throws GuestFault. */
  onResponse?(res: SmgResponse): SmgAction;
  /** Set once a call faulted: the instance is then unusable and every call throws. */
  readonly fault: GuestFault | undefined;
  /** Bytes of the guest's main memory now: the pool retires instances that near the cap. */
  readonly memoryBytes: number;
}

export interface LoadedComponent extends LoadedComponentInfo {
  readonly exportsOnRequest: boolean;
  readonly exportsOnResponse: boolean;
  /** A fresh instance with its own memory and WASI state; throws WG_ERR_MODULE_INSTANTIATE or a GuestFault. */
  instantiate(hooks: CoreModuleHooks, config?: GuestConfig): Promise<ComponentInstanceHandle>;
}

const SPECS = {
  onRequest: { iface: ON_REQUEST_INTERFACE, coreExport: ON_REQUEST_EXPORT, jsName: 'onRequest', paramCount: ON_REQUEST_PARAMS },
  onResponse: { iface: ON_RESPONSE_INTERFACE, coreExport: ON_RESPONSE_EXPORT, jsName: 'onResponse', paramCount: ON_RESPONSE_PARAMS },
} as const;

/** Checks maxBodySize like the config does (1..100 MiB). */
export function checkMaxBodySize(value: number): number {
  return resolveLimits(undefined, { maxBodySize: value }).maxBodySize;
}

/** Loads an smg:gateway component: WG_ERR_MODULE_INVALID, _KIND_MISMATCH or _WRONG_WORLD when it is not one. */
export async function loadSmgComponent(bytes: Uint8Array, options: ComponentLoadOptions): Promise<LoadedComponent> {
  const maxBodySize = checkMaxBodySize(options.maxBodySize);
  const log = options.log ?? silentLog;
  const loader = options.loader ?? ComponentLoader.shared(options.cacheDir);
  const artifact = await loader.load(bytes, { what: options.name ?? 'component', log });
  const present = checkWorld(SMG_WORLD, artifact.shape);
  const wanted = options.callPath ?? 'direct';
  const plans = {
    onRequest: present.has(ON_REQUEST_INTERFACE) ? planExport(artifact, SPECS.onRequest, wanted, log) : undefined,
    onResponse: present.has(ON_RESPONSE_INTERFACE) ? planExport(artifact, SPECS.onResponse, wanted, log) : undefined,
  };
  const name = options.name ?? `component:${artifact.sha256.slice(0, 12)}`;
  const direct = [plans.onRequest, plans.onResponse].every((p) => p === undefined || p.lifted !== undefined);
  return {
    ...componentInfo(artifact, name, direct ? 'direct' : 'glue'),
    exportsOnRequest: plans.onRequest !== undefined,
    exportsOnResponse: plans.onResponse !== undefined,
    instantiate: (hooks, config) => instantiateSmg(artifact, plans, hooks, name, maxBodySize, log, config),
  };
}

async function instantiateSmg(
  artifact: ComponentArtifact,
  plans: { onRequest: ExportPlan | undefined; onResponse: ExportPlan | undefined },
  hooks: CoreModuleHooks,
  name: string,
  maxBodySize: number,
  log: ComponentLog,
  config?: GuestConfig,
): Promise<ComponentInstanceHandle> {
  const instance = await instantiateComponent(artifact, hooks, name, log, config);
  const guard = new GuestCallGuard(instance.wasi, hooks.maxMemoryPages);
  const handle: { -readonly [K in keyof ComponentInstanceHandle]: ComponentInstanceHandle[K] } = {
    get fault() {
      return guard.fault;
    },
    get memoryBytes() {
      return guard.memoryBytes;
    },
  };
  try {
    if (plans.onRequest) {
      const bound = bindExport(instance, plans.onRequest, artifact.sha256, log);
      if (bound.path === 'direct') {
        const { entry } = bound;
        const mem = new CanonicalMemory(entry.memory, entry.realloc);
        guard.watchMemory(entry.memory);
        handle.onRequest = (req) => {
          const now = nowToU64(req.nowEpochMs);
          return guard.run('on-request', () => callOnRequest(mem, entry, req, now, maxBodySize));
        };
      } else {
        const { call } = bound;
        handle.onRequest = (req) => {
          const glueReq = requestToGlue(req, nowToU64(req.nowEpochMs));
          return guard.run('on-request', () => actionFromGlue(call(glueReq), maxBodySize));
        };
      }
    }
    if (plans.onResponse) {
      const bound = bindExport(instance, plans.onResponse, artifact.sha256, log);
      if (bound.path === 'direct') {
        const { entry } = bound;
        const mem = new CanonicalMemory(entry.memory, entry.realloc);
        guard.watchMemory(entry.memory);
        handle.onResponse = (res) => guard.run('on-response', () => callOnResponse(mem, entry, res, maxBodySize));
      } else {
        const { call } = bound;
        handle.onResponse = (res) => guard.run('on-response', () => actionFromGlue(call(res), maxBodySize));
      }
    }
  } catch (err) {
    throw new WasmgateError('WG_ERR_INTERNAL_BUG', `could not bind component exports: ${describeError(err)}`, { cause: err });
  }
  return handle;
}
