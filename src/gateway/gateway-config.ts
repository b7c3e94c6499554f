// GatewayOptions (what a caller gives createGateway) → GatewayConfig (complete, checked, frozen).
import type { Logger } from 'pino';
import pino from 'pino';
import { WasmgateError } from '../errors.js';
import type { ModuleLoader } from '../registry/index.js';
import { DEFAULT_LIMITS, DEFAULT_POOL_SIZE, MAX_POOL_SIZE, resolveLimits, type GuestLimits } from '../runtime/index.js';
import { isValidHeaderName } from './header-list.js';
import { DEFAULT_REQUEST_ID_HEADERS } from './request-id.js';
import { HISTORY_BACKENDS, UNSUPPORTED_HISTORY_BACKENDS, type HistoryBackendName } from './storage/index.js';

export interface GatewayOptions {
  /** Turns component bytes into guests (the real one is abi's smg:gateway loader). */
  loader: ModuleLoader;
  /** Upstream workers (`http://host:port`), balanced round-robin. At least one. */
  workerUrls: readonly string[];
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Serve the admin API (/wasm, /metrics) on its own port; the main port then has no admin routes. */
  adminPort?: number;
  /** Default: `host`. */
  adminHost?: string;
  /** SMG's --enable-wasm: the module API and the middleware. Default false, as SMG. */
  enableWasm?: boolean;
  /** Admin routes then need `Authorization: Bearer <apiKey>`; without it they answer loopback clients only. */
  apiKey?: string;
  /** Where modules and their index persist. Undefined or null: in memory only. */
  dataDir?: string | null;
  /** Headers a request id is taken from, in order. Default SMG's four. */
  requestIdHeaders?: readonly string[];
  /** How long to wait for upstream response headers (and between body chunks). Default 60000. */
  upstreamTimeoutMs?: number;
  /** How long a worker that failed to connect is skipped. Default 5000. */
  upstreamCooldownMs?: number;
  /** SMG's --max-payload-size: the largest request body on proxied routes (413 beyond). Default 512 MiB. */
  maxPayloadSize?: number;
  /** Gateway-wide guest limits; a module's descriptor may override them. */
  limits?: Partial<GuestLimits>;
  /** Default instance pool size per module. */
  poolSize?: number;
  /** SMG's --storage-hook-wasm-path: the smg:storage hook wrapping every history operation (loaded by listen()). */
  storageHookWasmPath?: string;
  /** SMG's --storage-context-headers: request header → hook context key. */
  storageContextHeaders?: Readonly<Record<string, string>>;
  /**
   * SMG's --history-backend (memory, none). The history API (/v1/conversations*, stored
   * /v1/responses*) is served when this or a storage hook is set; default then memory.
   */
  historyBackend?: string;
  /** SMG's policy: a failing storage hook call is logged and skipped. Default false (the operation fails). */
  storageHookFailOpen?: boolean;
  /** Storage hook limits; default SMG's (10 MiB memory, 5 s per call). */
  storageHookLimits?: Partial<GuestLimits>;
  /** Where the storage hook's transpiled form is cached (default: in memory only). */
  storageHookCacheDir?: string;
  /** How long close() lets in-flight requests finish before cutting connections. Default 5000. */
  shutdownGraceMs?: number;
  logger?: Logger;
}

export interface GatewayConfig {
  readonly loader: ModuleLoader;
  readonly workerUrls: readonly string[];
  readonly port: number;
  readonly host: string;
  readonly adminPort: number | undefined;
  readonly adminHost: string;
  readonly enableWasm: boolean;
  readonly apiKey: string | undefined;
  readonly dataDir: string | undefined;
  readonly requestIdHeaders: readonly string[];
  readonly upstreamTimeoutMs: number;
  readonly upstreamCooldownMs: number;
  readonly maxPayloadSize: number;
  readonly limits: GuestLimits;
  readonly poolSize: number;
  readonly storageHookWasmPath: string | undefined;
  readonly storageContextHeaders: Readonly<Record<string, string>>;
  /** Undefined: the history API is off (those paths are proxied like any other). */
  readonly historyBackend: HistoryBackendName | undefined;
  readonly storageHookFailOpen: boolean;
  readonly storageHookLimits: Partial<GuestLimits>;
  readonly storageHookCacheDir: string | undefined;
  readonly shutdownGraceMs: number;
  readonly logger: Logger;
}

export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 60_000;
export const DEFAULT_UPSTREAM_COOLDOWN_MS = 5_000;
/** SMG's --max-payload-size default (512 MiB). */
export const DEFAULT_MAX_PAYLOAD_SIZE = 536_870_912;
export const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;

function invalid(message: string): never {
  throw new WasmgateError('WG_ERR_CONFIG_INVALID', message);
}

function port(name: string, value: number | undefined, fallback: number | undefined): number | undefined {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > 65535) invalid(`${name} must be a whole number in 0..65535, got ${value}`);
  return value;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) invalid(`${name} must be a whole number of at least 1, got ${value}`);
  return value;
}

export function checkWorkerUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return invalid(`worker URL ${JSON.stringify(url)} is not a URL (expected http://host:port)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') invalid(`worker URL ${url} must use http or https`);
  if ((parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search || parsed.hash || parsed.username) {
    invalid(`worker URL ${url} must be an origin only (scheme://host:port), without path, query or credentials`);
  }
  return parsed.origin;
}

/** SMG's storage_context_headers checks (reference §4.5). */
export function checkStorageContextHeaders(map: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  const seen = new Set<string>();
  for (const [header, key] of Object.entries(map)) {
    if (header.trim() === '') invalid('storage_context_headers must not contain empty header names');
    if (key.trim() === '') invalid('storage_context_headers must not contain empty context keys');
    if (seen.has(key)) invalid(`storage_context_headers must not map multiple headers to the same context key: '${key}'`);
    seen.add(key);
  }
  return Object.freeze({ ...map });
}

/** --history-backend: memory or none; SMG's database backends are refused by name. */
export function checkHistoryBackend(backend: string | undefined, storageHook: string | undefined): HistoryBackendName | undefined {
  if (backend === undefined) return storageHook === undefined ? undefined : 'memory';
  const name = backend.trim().toLowerCase();
  if ((HISTORY_BACKENDS as readonly string[]).includes(name)) return name as HistoryBackendName;
  if (UNSUPPORTED_HISTORY_BACKENDS.includes(name)) invalid(`history backend ${name} is not supported by wasmgate (supported: ${HISTORY_BACKENDS.join(', ')})`);
  return invalid(`history backend must be one of ${HISTORY_BACKENDS.join(', ')}, got ${JSON.stringify(backend)}`);
}

export function resolveGatewayConfig(options: GatewayOptions): GatewayConfig {
  if (!options.loader || typeof options.loader.load !== 'function') invalid('a module loader is required');
  if (!options.workerUrls || options.workerUrls.length === 0) invalid('at least one worker URL is required (--worker-urls http://host:port)');
  const workerUrls = options.workerUrls.map(checkWorkerUrl);
  const mainPort = port('port', options.port, DEFAULT_PORT)!;
  const adminPort = port('admin port', options.adminPort, undefined);
  if (adminPort !== undefined && adminPort !== 0 && adminPort === mainPort) invalid(`admin port ${adminPort} must differ from the main port`);
  const requestIdHeaders = (options.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS).map((h) => h.trim().toLowerCase());
  if (requestIdHeaders.length === 0) invalid('request id headers must not be empty');
  for (const h of requestIdHeaders) if (!isValidHeaderName(h)) invalid(`request id header ${JSON.stringify(h)} is not a valid header name`);
  if (options.apiKey !== undefined && options.apiKey.trim() === '') invalid('the API key must not be empty');
  const poolSize = positive('pool size', options.poolSize, DEFAULT_POOL_SIZE);
  if (poolSize > MAX_POOL_SIZE) invalid(`pool size must be at most ${MAX_POOL_SIZE}, got ${poolSize}`);
  const host = options.host ?? DEFAULT_HOST;
  return Object.freeze({
    loader: options.loader,
    workerUrls: Object.freeze(workerUrls),
    port: mainPort,
    host,
    adminPort,
    adminHost: options.adminHost ?? host,
    enableWasm: options.enableWasm ?? false,
    apiKey: options.apiKey,
    dataDir: options.dataDir ?? undefined,
    requestIdHeaders: Object.freeze(requestIdHeaders),
    upstreamTimeoutMs: positive('upstream timeout', options.upstreamTimeoutMs, DEFAULT_UPSTREAM_TIMEOUT_MS),
    upstreamCooldownMs: positive('upstream cool-down', options.upstreamCooldownMs, DEFAULT_UPSTREAM_COOLDOWN_MS),
    maxPayloadSize: positive('max payload size', options.maxPayloadSize, DEFAULT_MAX_PAYLOAD_SIZE),
    limits: resolveLimits(DEFAULT_LIMITS, options.limits ?? {}),
    poolSize,
    storageHookWasmPath: options.storageHookWasmPath,
    storageContextHeaders: checkStorageContextHeaders(options.storageContextHeaders ?? {}),
    historyBackend: checkHistoryBackend(options.historyBackend, options.storageHookWasmPath),
    storageHookFailOpen: options.storageHookFailOpen ?? false,
    storageHookLimits: Object.freeze({ ...options.storageHookLimits }),
    storageHookCacheDir: options.storageHookCacheDir,
    shutdownGraceMs: positive('shutdown grace', options.shutdownGraceMs, DEFAULT_SHUTDOWN_GRACE_MS),
    logger: options.logger ?? pino({ level: 'silent' }),
  });
}
