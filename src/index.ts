// Public API of the wasmgate package: explicit named exports only.
export { WasmgateError, ERROR_CODES } from './errors.js';
export type { ErrorCode } from './errors.js';
export { DEFAULT_LIMITS, resolveLimits, GuestFault, GUEST_FAULT_KINDS } from './runtime/index.js';
export type { GuestLimits, GuestFaultKind, ModuleMetricsSnapshot } from './runtime/index.js';
export { SentinelJsonModule, IsolatedSentinelModule, SmgMiddlewareModule, IsolatedSmgModule, StorageHook, STORAGE_OPERATIONS } from './abi/index.js';
export type {
  SentinelGuest,
  HeaderListGuest,
  SentinelHeaderLists,
  SentinelRequest,
  SentinelRequestInput,
  SentinelResponse,
  SentinelResponseInput,
  SentinelResult,
  SentinelEvent,
  SentinelModuleOptions,
  IsolatedSentinelOptions,
  SmgMiddlewareOptions,
  IsolatedSmgOptions,
  SmgAction,
  SmgRequest,
  SmgResponse,
  SmgHeader,
  SmgModifyAction,
  StorageHookOptions,
  StorageOperation,
  BeforeResult,
  ContextEntry,
  ExtraColumn,
  GuestConfig,
} from './abi/index.js';
export { createGateway } from './gateway/index.js';
export type { Gateway, GatewayOptions, GatewayConfig, GatewayAddress, ModuleLoader, LoadedModule, LoadSpec } from './gateway/index.js';
export { createSentinelAgent } from './sentinel/index.js';
export type { SentinelAgent, SentinelAgentOptions } from './sentinel/index.js';
