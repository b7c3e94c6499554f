// smg:gateway components (SMG-compatible WebAssembly middleware): load, instantiate, call.
export { loadSmgComponent } from './smg-component.js';
export type { ComponentInstanceHandle, ComponentLoadOptions, LoadedComponent } from './smg-component.js';
export { plainCoreModuleHooks } from './core-module-hooks.js';
export type { CoreModuleHooks } from './core-module-hooks.js';
export { ComponentLoader } from './component/component-loader.js';
export type { ArtifactSource, ComponentLoaderOptions } from './component/component-loader.js';
export type { ComponentLog } from './component/component-log.js';
export type { CallPath } from './component/export-binding.js';
export { ON_REQUEST_INTERFACE, ON_RESPONSE_INTERFACE } from './smg-world.js';
export { actionToJson, requestFromJson, responseFromJson } from './json-form.js';
export type { SmgAction, SmgHeader, SmgMiddlewareGuest, SmgModifyAction, SmgRequest, SmgResponse } from './types.js';
export type { GuestConfig } from './wasi/guest-config.js';
export { SmgMiddlewareModule } from './smg-middleware-module.js';
export type { SmgMiddlewareOptions } from './smg-middleware-module.js';
export { createComponentPool, createRuntimeHooks, withinBudget } from './runtime-hooks.js';
export type { ComponentPoolOptions, InstanceHooks, PooledInstance } from './runtime-hooks.js';
export { prewarmTranspiler } from './component/transpile-worker.js';
