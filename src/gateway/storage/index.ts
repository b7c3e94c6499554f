// SMG's history storage API served by the gateway, wrapped by the storage hook.
export { HistoryApi, HISTORY_BODY_CAP, HISTORY_DEBUG_PATH } from './history-api.js';
export type { HistoryApiOptions } from './history-api.js';
export { HISTORY_BACKENDS, UNSUPPORTED_HISTORY_BACKENDS, StorageError } from './history-store.js';
export type { HistoryBackendName, HistoryDump, HistoryStore, StorageFailure } from './history-store.js';
export type * from './history-types.js';
export { HookedHistoryStore } from './hooked-history-store.js';
export { columnsRecord, operationName } from './storage-hook-contract.js';
export type { HookedHistoryStoreOptions, StorageHookCaller, StorageObserver } from './storage-hook-contract.js';
export { MemoryHistoryStore } from './memory-history-store.js';
export { NoneHistoryStore } from './none-history-store.js';
export { loadStorageHook, SMG_STORAGE_HOOK_LIMITS } from './load-storage-hook.js';
export { storageContext } from './storage-context.js';
export { rfc3339 } from './history-json.js';
