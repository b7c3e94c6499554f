// smg:storage hook components: load, instantiate, call before()/after().
export { loadStorageHookComponent } from './storage-hook-component.js';
export type { LoadedStorageHookComponent, StorageHookInstanceHandle, StorageHookLoadOptions } from './storage-hook-component.js';
export { AFTER_INTERFACE, BEFORE_INTERFACE } from './storage-world.js';
export { STORAGE_OPERATIONS } from './types.js';
export type { BeforeResult, ContextEntry, ExtraColumn, StorageOperation } from './types.js';
export { StorageHook } from './storage-hook.js';
export type { StorageHookOptions } from './storage-hook.js';
