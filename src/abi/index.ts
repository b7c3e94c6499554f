// The ABI layer's surface: one adapter per guest contract.
export * as sentinelJson from './sentinel-json/index.js';
export { SentinelJsonModule, IsolatedSentinelModule, isSharedResult, acceptsHeaderLists, joinHeaderLists } from './sentinel-json/index.js';
export type { HeaderListGuest, SentinelGuest, SentinelHeaderLists, SentinelRequest, SentinelRequestInput, SentinelResponse, SentinelResponseInput } from './sentinel-json/index.js';
export type { SentinelResult, SentinelEvent, SentinelModuleOptions, IsolatedSentinelOptions } from './sentinel-json/index.js';
export { loadSmgComponent, plainCoreModuleHooks, ComponentLoader, requestFromJson, responseFromJson, actionToJson, prewarmTranspiler, transpilerWarmedUp } from './smg-component/index.js';
export type {
  CoreModuleHooks,
  LoadedComponent,
  ComponentInstanceHandle,
  ComponentLoadOptions,
  ComponentLog,
  SmgAction,
  SmgHeader,
  SmgMiddlewareGuest,
  SmgModifyAction,
  SmgRequest,
  SmgResponse,
} from './smg-component/index.js';
export { loadStorageHookComponent, STORAGE_OPERATIONS } from './storage-hook/index.js';
export type { LoadedStorageHookComponent, StorageHookInstanceHandle, BeforeResult, ContextEntry, ExtraColumn, StorageOperation } from './storage-hook/index.js';
export { IsolatedSmgModule, SmgMiddlewareModule } from './smg-component/index.js';
export type { IsolatedSmgOptions, SmgMiddlewareOptions, GuestConfig } from './smg-component/index.js';
export { StorageHook } from './storage-hook/index.js';
export type { StorageHookOptions } from './storage-hook/index.js';
