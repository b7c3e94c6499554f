// The registry layer's surface: modules registered, loaded through an injected loader, persisted
// in a store, and served to the front doors as immutable chain snapshots.
export { ATTACH_POINTS, RESPONSE_MODES, isAttachPoint } from './attach-point.js';
export type { AttachPoint, ResponseMode } from './attach-point.js';
export type { ChainEntry, ChainSnapshot } from './chain-snapshot.js';
export { EMPTY_CHAIN, buildChainSnapshot } from './chain-snapshot.js';
export type { ExecutionStatsSnapshot, FailureKind } from './execution-stats.js';
export { ExecutionStats } from './execution-stats.js';
export { epochNanos } from './epoch-nanos.js';
export type {
  LoadSpec,
  LoadedModule,
  LoadedModuleMetrics,
  ModuleLoader,
  SmgAction,
  SmgHeader,
  SmgMiddlewareGuest,
  SmgModifyAction,
  SmgRequest,
  SmgResponse,
} from './module-loader.js';
export { ModuleRecord } from './module-record.js';
export type { LoadFailure, ModuleStatus } from './module-record.js';
export { ModuleRegistry } from './module-registry.js';
export type { ChainLease, ModuleRegistryOptions, PutRequest, PutResult, RegisterRequest, RestoreReport } from './module-registry.js';
export { DEFAULT_MODULE_SETTINGS, MAX_PRIORITY, parseModuleSettings, settingsToJson } from './module-settings.js';
export type { ModuleSettings, ModuleSettingsJson } from './module-settings.js';
export type { ModuleStore, StoredIndex, StoredModule } from './module-store.js';
export { MemoryStore } from './memory-store.js';
export { FileStore } from './file-store.js';
