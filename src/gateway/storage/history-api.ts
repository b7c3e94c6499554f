// The history API as the gateway serves it: the backend (memory / none), wrapped by the storage
// hook when one is configured, the routes (conversations and stored responses answered here,
// inside the wasm chain; POST /v1/responses proxied and its answer stored), metrics and the admin
// debug listing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { StorageHook } from '../../abi/index.js';
import { describeError } from '../../errors.js';
import type { ModuleRegistry } from '../../registry/index.js';
import { LIMIT_FIELD_NAMES } from '../../runtime/index.js';
import type { ExchangeTap } from '../exchange-tap.js';
import { sendEmpty, sendJson } from '../http-reply.js';
import type { ChainObserver } from '../middleware-chain.js';
import type { HistoryBackendName, HistoryStore } from './history-store.js';
import { HookedHistoryStore } from './hooked-history-store.js';
import { matchHistoryRoute, type RouteMatch } from './history-routes.js';
import { LocalChain } from './local-chain.js';
import { MemoryHistoryStore } from './memory-history-store.js';
import { NoneHistoryStore } from './none-history-store.js';
import { ResponseCapture, type CapturedExchange } from './response-capture.js';
import { persistResponse, storedResponseFrom } from './response-persistence.js';
import { firstValueFromFlat, storageContext, type ContextHeaderMap } from './storage-context.js';
import { StorageMetrics } from './storage-metrics.js';

const snakeCase = (value: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));

/** Admin route listing everything stored, extra columns included. */
export const HISTORY_DEBUG_PATH = '/debug/history';

/** Largest request body a history route reads, and largest response POST /v1/responses stores. */
export const HISTORY_BODY_CAP = 10 * 1024 * 1024;

export interface HistoryApiOptions {
  readonly backend: HistoryBackendName;
  /** Loaded storage hook; the API owns it from here (close() closes it). */
  readonly hook: StorageHook | undefined;
  readonly hookPath: string | undefined;
  readonly failOpen: boolean;
  readonly contextHeaders: ContextHeaderMap;
  readonly registry: ModuleRegistry;
  readonly wasmEnabled: boolean;
  readonly observer: ChainObserver;
  readonly log: Logger;
  readonly metricsRegistry: Registry;
  readonly bodyCap?: number;
}

export class HistoryApi {
  readonly backend: HistoryStore;
  readonly #hooked: HookedHistoryStore | undefined;
  readonly #options: HistoryApiOptions;
  readonly #chain: LocalChain;
  readonly #metrics: StorageMetrics;
  readonly #bodyCap: number;

  constructor(options: HistoryApiOptions) {
    this.#options = options;
    this.#bodyCap = options.bodyCap ?? HISTORY_BODY_CAP;
    this.backend = options.backend === 'none' ? new NoneHistoryStore() : new MemoryHistoryStore();
    this.#metrics = new StorageMetrics(options.metricsRegistry, () => options.hook?.metrics);
    this.#hooked = options.hook
      ? new HookedHistoryStore(this.backend, options.hook, { failOpen: options.failOpen, log: options.log, observer: this.#metrics })
      : undefined;
    this.#chain = new LocalChain({
      registry: options.registry,
      wasmEnabled: options.wasmEnabled,
      observer: options.observer,
      log: options.log,
      bodyCap: this.#bodyCap,
    });
  }

  /** The store for one request: hooked with the request's context when there is a hook. */
  storeFor(firstValue: (name: string) => string | undefined): HistoryStore {
    return this.#hooked ? this.#hooked.withContext(storageContext(this.#options.contextHeaders, firstValue)) : this.backend;
  }

  /** What the API does with this request; undefined: proxy it as any other. */
  match(method: string | undefined, path: string): RouteMatch {
    return matchHistoryRoute(method ?? 'GET', path);
  }

  /** Serves a history route; POST /v1/responses goes to `proxy` with a tap that stores the answer. */
  handle(req: IncomingMessage, res: ServerResponse, requestId: string, target: string, match: NonNullable<RouteMatch>, proxy: (tap: ExchangeTap) => void): void {
    if (match.kind === 'create-response') {
      proxy(new ResponseCapture(req, this.#bodyCap, (exchange) => this.#storeExchange(exchange, requestId)));
      return;
    }
    const group = target.startsWith('/v1/conversations') ? 'conversations' : 'responses';
    res.once('finish', () => this.#metrics.request(group, res.statusCode));
    void this.#chain.serve(req, res, requestId, target, (request) => match.handler(this.storeFor((name) => request.headers.get(name)), request));
  }

  async #storeExchange(exchange: CapturedExchange, requestId: string): Promise<void> {
    const { log } = this.#options;
    const requestBody = exchange.forwarded.body ?? exchange.requestBody;
    let requestJson: unknown;
    let responseJson: unknown;
    try {
      requestJson = requestBody === undefined ? undefined : JSON.parse(requestBody.toString('utf8'));
      responseJson = JSON.parse(exchange.responseBody.toString('utf8'));
    } catch (err) {
      log.warn({ requestId, err: describeError(err) }, 'POST /v1/responses: the request or response is not JSON; not stored');
      this.#metrics.storeFailure('other');
      return;
    }
    if (requestJson === undefined) {
      log.warn({ requestId }, `POST /v1/responses: request body over ${this.#bodyCap} bytes; response not stored`);
      this.#metrics.storeFailure('other');
      return;
    }
    const stored = storedResponseFrom(requestJson, responseJson, Date.now());
    if (typeof stored === 'string') {
      log.debug({ requestId }, `POST /v1/responses: not stored: ${stored}`);
      return;
    }
    const store = this.storeFor(firstValueFromFlat(exchange.forwarded.headers));
    const outcome = await persistResponse(store, stored, log, requestId);
    if (outcome !== 'stored') this.#metrics.storeFailure(outcome);
  }

  /** GET /debug/history (admin). */
  serveDebug(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendEmpty(res, 405, { allow: 'GET,HEAD' });
    const { hook } = this.#options;
    sendJson(res, 200, {
      backend: this.#options.backend,
      storage_hook: hook
        ? {
            path: this.#options.hookPath,
            name: hook.name,
            sha256: hook.sha256,
            fail_open: this.#options.failOpen,
            limits: Object.fromEntries(Object.entries(hook.limits).map(([k, v]) => [LIMIT_FIELD_NAMES[k as keyof typeof LIMIT_FIELD_NAMES], v])),
            metrics: snakeCase(hook.metrics),
          }
        : null,
      storage_context_headers: this.#options.contextHeaders,
      ...(this.backend.dump?.() ?? {}),
    });
  }

  async close(): Promise<void> {
    await this.#options.hook?.close();
  }
}
