// The gateway process: the main listener (proxy + health, and the admin API unless it has its
// own port), the optional admin listener, the registry and the upstream pools. Routes:
//   /health /liveness /readiness      → 200 JSON, never proxied, no middleware
//   /wasm, /wasm/*, /metrics          → admin (auth first)   [main port only without --admin-port]
//   /debug/history                    → admin, when the history API is on
//   /v1/conversations*, /v1/responses/{id}[/input_items]
//                                     → history API (storage/), in the middleware chain, when on
//   everything else                   → proxy with the middleware chain
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { FileStore, MemoryStore, ModuleRegistry } from '../registry/index.js';
import { GuestFault } from '../runtime/index.js';
import { FORBIDDEN_MESSAGE, checkAdminAccess } from './admin-auth.js';
import type { GatewayConfig } from './gateway-config.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { sendEmpty, sendJson, sendText } from './http-reply.js';
import type { ChainObserver } from './middleware-chain.js';
import { ReverseProxy } from './proxy.js';
import { resolveRequestId } from './request-id.js';
import { UpstreamSet } from './upstream-set.js';
import { WasmApi, isWasmApiPath } from './wasm-api.js';
import { HISTORY_DEBUG_PATH, HistoryApi, loadStorageHook } from './storage/index.js';

export interface GatewayAddress {
  readonly host: string;
  readonly port: number;
  /** `http://host:port` of the main listener. */
  readonly url: string;
  readonly adminPort: number | undefined;
  /** `http://host:port` of the admin listener, when there is one. */
  readonly adminUrl: string | undefined;
}

const HEALTH_PATHS = new Set(['/health', '/liveness', '/readiness']);

function pathOf(target: string): string {
  const q = target.indexOf('?');
  return q < 0 ? target : target.slice(0, q);
}

function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

function listenOn(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export class GatewayServer {
  readonly registry: ModuleRegistry;
  readonly #config: GatewayConfig;
  readonly #log: Logger;
  readonly #metrics: GatewayMetrics;
  readonly #upstreams: UpstreamSet;
  readonly #proxy: ReverseProxy;
  readonly #wasmApi: WasmApi;
  readonly #observer: ChainObserver;
  #history: HistoryApi | undefined;
  readonly #servers: Server[] = [];
  #address: GatewayAddress | undefined;
  #closing: Promise<void> | undefined;

  constructor(config: GatewayConfig) {
    this.#config = config;
    this.#log = config.logger;
    this.registry = new ModuleRegistry({
      loader: config.loader,
      store: config.dataDir === undefined ? new MemoryStore() : new FileStore(config.dataDir),
      defaultLimits: config.limits,
      defaultPoolSize: config.poolSize,
      logger: this.#log,
    });
    this.#upstreams = new UpstreamSet({
      urls: config.workerUrls,
      cooldownMs: config.upstreamCooldownMs,
      connectTimeoutMs: Math.min(10_000, config.upstreamTimeoutMs),
    });
    this.#metrics = new GatewayMetrics({
      modulesLoaded: () => this.registry.list().filter((r) => r.status === 'loaded').length,
      modulesFailed: () => this.registry.list().filter((r) => r.status === 'failed').length,
      upstreamsHealthy: () => this.#upstreams.healthyCount(),
    });
    const registry = this.registry;
    const metrics = this.#metrics;
    const observer: ChainObserver = {
      onCall(entry, point, durationUs, outcome, error) {
        const kind = error === undefined ? undefined : error instanceof GuestFault ? error.kind : 'other';
        registry.recordExecution(entry.record, durationUs, kind);
        metrics.moduleCall(entry.name, point, outcome, durationUs, kind);
      },
    };
    this.#observer = observer;
    this.#proxy = new ReverseProxy({
      upstreams: this.#upstreams,
      registry,
      wasmEnabled: config.enableWasm,
      upstreamTimeoutMs: config.upstreamTimeoutMs,
      maxPayloadSize: config.maxPayloadSize,
      metrics,
      observer,
      log: this.#log,
    });
    this.#wasmApi = new WasmApi({ registry, enabled: config.enableWasm, log: this.#log });
  }

  /** Loads the storage hook (SMG's startup errors) and builds the history API, when configured. */
  async #openHistory(): Promise<void> {
    const config = this.#config;
    if (config.historyBackend === undefined) return;
    const path = config.storageHookWasmPath;
    const hook =
      path === undefined
        ? undefined
        : await loadStorageHook(path, {
            name: 'storage-hook',
            limits: config.storageHookLimits,
            poolSize: config.poolSize,
            cacheDir: config.storageHookCacheDir,
            log: (event, fields) => this.#log.info({ storageHook: path, ...fields }, event),
          });
    this.#history = new HistoryApi({
      backend: config.historyBackend,
      hook,
      hookPath: path,
      failOpen: config.storageHookFailOpen,
      contextHeaders: config.storageContextHeaders,
      registry: this.registry,
      wasmEnabled: config.enableWasm,
      observer: this.#observer,
      log: this.#log,
      metricsRegistry: this.#metrics.registry,
    });
    this.#log.info({ backend: config.historyBackend, storageHook: path ?? null, failOpen: config.storageHookFailOpen }, 'history API ready');
  }

  get address(): GatewayAddress {
    if (!this.#address) throw new Error('the gateway is not listening; call listen() first');
    return this.#address;
  }

  /** Reloads persisted modules, then starts listening. */
  async listen(): Promise<GatewayAddress> {
    const config = this.#config;
    try {
      await this.#openHistory();
    } catch (err) {
      await this.close();
      throw err;
    }
    const report = await this.registry.open();
    this.#log.info({ dataDir: this.registry.storeDescription, ...report }, 'module registry ready');
    try {
      const main = createServer((req, res) => this.#onMain(req, res));
      this.#servers.push(main);
      const mainAddress = await listenOn(main, config.port, config.host);
      let adminAddress: AddressInfo | undefined;
      if (config.adminPort !== undefined) {
        const admin = createServer((req, res) => this.#onAdmin(req, res));
        this.#servers.push(admin);
        adminAddress = await listenOn(admin, config.adminPort, config.adminHost);
      }
      this.#address = Object.freeze({
        host: config.host,
        port: mainAddress.port,
        url: urlOf(config.host, mainAddress.port),
        adminPort: adminAddress?.port,
        adminUrl: adminAddress ? urlOf(config.adminHost, adminAddress.port) : undefined,
      });
      this.#log.info({ ...this.#address, upstreams: config.workerUrls, wasm: config.enableWasm }, 'gateway listening');
      return this.#address;
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  /** Stops listening, lets in-flight requests finish (up to the grace period), then frees everything. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.all(this.#servers.map((server) => this.#closeServer(server)));
      await this.#upstreams.close();
      await this.#history?.close();
      await this.registry.close();
    })();
    return this.#closing;
  }

  async #closeServer(server: Server): Promise<void> {
    if (!server.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        server.closeAllConnections();
        resolve();
      }, this.#config.shutdownGraceMs);
      timer.unref();
    });
    await Promise.race([closed, grace]);
    clearTimeout(timer);
    await closed;
  }

  #onMain(req: IncomingMessage, res: ServerResponse): void {
    const target = req.url ?? '/';
    const path = pathOf(target);
    if (HEALTH_PATHS.has(path)) return this.#health(req, res);
    if (this.#config.adminPort === undefined && this.#isAdminPath(path)) return this.#admin(req, res, target, path);
    if (!target.startsWith('/')) {
      return sendJson(res, 400, { error: { code: 'WG_ERR_CONFIG_INVALID', message: 'request target must be a path (origin-form)' } });
    }
    const requestId = resolveRequestId(req.rawHeaders, path, this.#config.requestIdHeaders);
    const history = this.#history?.match(req.method, path);
    if (history) return this.#history!.handle(req, res, requestId, target, history, (tap) => this.#proxy.handle(req, res, requestId, target, tap));
    this.#proxy.handle(req, res, requestId, target);
  }

  #isAdminPath(path: string): boolean {
    return isWasmApiPath(path) || path === '/metrics' || (this.#history !== undefined && path === HISTORY_DEBUG_PATH);
  }

  #onAdmin(req: IncomingMessage, res: ServerResponse): void {
    const target = req.url ?? '/';
    const path = pathOf(target);
    if (HEALTH_PATHS.has(path)) return this.#health(req, res);
    if (this.#isAdminPath(path)) return this.#admin(req, res, target, path);
    sendEmpty(res, 404);
  }

  #health(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendEmpty(res, 405, { allow: 'GET,HEAD' });
    sendJson(res, 200, { status: 'ok' });
  }

  #admin(req: IncomingMessage, res: ServerResponse, target: string, path: string): void {
    res.setHeader('x-request-id', resolveRequestId(req.rawHeaders, path, this.#config.requestIdHeaders));
    const verdict = checkAdminAccess(req, this.#config.apiKey);
    if (verdict === 'unauthorized') return sendEmpty(res, 401);
    if (verdict === 'forbidden') return sendJson(res, 403, { error: { code: 'WG_ERR_ADMIN_FORBIDDEN', message: FORBIDDEN_MESSAGE } });
    if (path === HISTORY_DEBUG_PATH && this.#history) return this.#history.serveDebug(req, res);
    const work = path === '/metrics' ? this.#serveMetrics(req, res) : this.#wasmApi.handle(req, res, path, target.slice(path.length + 1));
    work.catch((err: unknown) => {
      this.#log.error({ err, path }, 'admin request failed (a wasmgate bug)');
      if (!res.headersSent) sendEmpty(res, 500);
      else res.destroy();
    });
  }

  async #serveMetrics(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendEmpty(res, 405, { allow: 'GET,HEAD' });
    const text = await this.#metrics.registry.metrics();
    sendText(res, 200, text, { 'content-type': this.#metrics.registry.contentType });
  }
}
