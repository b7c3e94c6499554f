// The SMG-compatible gateway front door: a reverse proxy running smg:gateway WebAssembly
// middleware, with SMG's /wasm management API, persistence, metrics and health routes.
import { resolveGatewayConfig, type GatewayOptions } from './gateway-config.js';
import { GatewayServer, type GatewayAddress } from './server.js';
import type { ModuleRegistry } from '../registry/index.js';

export interface Gateway {
  /** Reloads persisted modules, then binds the listeners. */
  listen(): Promise<GatewayAddress>;
  /** Stops listening, drains in-flight requests, closes modules and the data dir. */
  close(): Promise<void>;
  /** Where it listens (after listen()). */
  readonly address: GatewayAddress;
  readonly registry: ModuleRegistry;
}

/** Checks the options (WG_ERR_CONFIG_INVALID) and builds the gateway; nothing is bound until listen(). */
export function createGateway(options: GatewayOptions): Gateway {
  return new GatewayServer(resolveGatewayConfig(options));
}

export type { GatewayAddress } from './server.js';
export type { GatewayConfig, GatewayOptions } from './gateway-config.js';
export {
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_UPSTREAM_COOLDOWN_MS,
  DEFAULT_UPSTREAM_TIMEOUT_MS,
  checkHistoryBackend,
  checkStorageContextHeaders,
  resolveGatewayConfig,
} from './gateway-config.js';
export { DEFAULT_REQUEST_ID_HEADERS } from './request-id.js';
export { DEFAULT_MODULE_SETTINGS } from '../registry/index.js';
export { MAX_MODULE_BYTES } from './wasm-api.js';
export { isLoopbackAddress } from './admin-auth.js';
export { HISTORY_BACKENDS, HISTORY_DEBUG_PATH, HookedHistoryStore, MemoryHistoryStore, NoneHistoryStore, StorageError } from './storage/index.js';
export type { HistoryBackendName, HistoryStore, StorageHookCaller } from './storage/index.js';
export type {
  AttachPoint,
  LoadSpec,
  LoadedModule,
  LoadedModuleMetrics,
  ModuleLoader,
  ModuleRecord,
  ModuleRegistry,
  ResponseMode,
  SmgAction,
  SmgMiddlewareGuest,
  SmgRequest,
  SmgResponse,
} from '../registry/index.js';
