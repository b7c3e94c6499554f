// Runs the wasm middleware chain around a route the gateway answers itself (the history API),
// as SMG's route layer does on /v1/responses* and /v1/conversations*: OnRequest modules see and
// may change the request (headers the storage context is read from included) or answer it; the
// handler's reply then goes through OnResponse modules; fail-closed failures go to OnError.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { WasmgateError } from '../../errors.js';
import { EMPTY_CHAIN, type ChainLease, type ModuleRegistry } from '../../registry/index.js';
import { ClientGoneError, declaredLength, readBody } from '../body-reader.js';
import { errorPayload, errorStatus } from '../error-status.js';
import { HeaderList } from '../header-list.js';
import { runOnError, runOnRequest, runOnResponse, type ChainContext, type ChainObserver, type WorkingResponse } from '../middleware-chain.js';
import { REQUEST_BODY_TOO_LARGE } from '../proxy.js';
import type { LocalHandler } from './local-reply.js';

const EMPTY = Buffer.alloc(0);
const EMPTY_LEASE: ChainLease = Object.freeze({ snapshot: EMPTY_CHAIN, release() {} });

export interface LocalChainOptions {
  readonly registry: ModuleRegistry;
  readonly wasmEnabled: boolean;
  readonly observer: ChainObserver;
  readonly log: Logger;
  /** Largest request body the history routes read (a smaller OnRequest max_body_size wins). */
  readonly bodyCap: number;
}

function send(res: ServerResponse, requestId: string, work: WorkingResponse, log: Logger): void {
  if (res.headersSent || res.destroyed) return;
  let { status, headers } = work;
  let body = work.body ?? EMPTY;
  if (status < 200) {
    log.warn({ requestId, status }, 'a module set a 1xx final status; answering 500');
    status = 500;
    headers = new HeaderList();
    body = EMPTY;
  }
  headers.set('content-length', String(body.length));
  headers.set('x-request-id', requestId);
  res.writeHead(status, headers.toFlat());
  res.end(body);
}

export class LocalChain {
  readonly #options: LocalChainOptions;

  constructor(options: LocalChainOptions) {
    this.#options = options;
  }

  /** Serves one request with `handler` inside the chain. Never rejects. */
  async serve(req: IncomingMessage, res: ServerResponse, requestId: string, target: string, handler: LocalHandler): Promise<void> {
    const { registry, wasmEnabled, log } = this.#options;
    const lease = wasmEnabled ? registry.acquire() : EMPTY_LEASE;
    const ctx: ChainContext = { log, observer: this.#options.observer, requestId };
    try {
      await this.#serve(req, res, requestId, target, handler, lease, ctx);
    } catch (err) {
      if (err instanceof ClientGoneError || res.destroyed) return;
      log.error({ err, requestId }, 'history route failed (a wasmgate bug)');
      if (!res.headersSent) send(res, requestId, errorResponse(new WasmgateError('WG_ERR_INTERNAL_BUG', 'internal error', { cause: err })), log);
      else res.destroy();
    } finally {
      lease.release();
    }
  }

  async #serve(req: IncomingMessage, res: ServerResponse, requestId: string, target: string, handler: LocalHandler, lease: ChainLease, ctx: ChainContext): Promise<void> {
    const { snapshot } = lease;
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    const query = q < 0 ? '' : target.slice(q + 1);
    const headers = HeaderList.fromRaw(req.rawHeaders);
    const cap = snapshot.onRequest.length > 0 ? Math.min(snapshot.requestBodyCap, this.#options.bodyCap) : this.#options.bodyCap;
    let body: Buffer;
    try {
      body = await readBody(req, cap, declaredLength(req.headers['content-length']));
    } catch (err) {
      if (!WasmgateError.is(err, 'WG_ERR_BODY_TOO_LARGE')) throw err;
      const tooLarge = new HeaderList([['content-type', 'application/json'], ['connection', 'close']]);
      return send(res, requestId, { status: 413, headers: tooLarge, body: Buffer.from(JSON.stringify(REQUEST_BODY_TOO_LARGE)) }, ctx.log);
    }
    const work = { method: req.method ?? 'GET', path, query, headers, body };
    if (snapshot.onRequest.length > 0) {
      const outcome = await runOnRequest(snapshot.onRequest, work, ctx);
      if (outcome.kind === 'reject') return send(res, requestId, { status: outcome.status, headers: new HeaderList(), body: EMPTY }, ctx.log);
      if (outcome.kind === 'fail') return this.#sendError(res, requestId, lease, ctx, outcome.error, `module ${outcome.module} failed: ${outcome.error.message}`);
    }
    const reply = await handler({ method: work.method, path, query, headers: work.headers, body: work.body });
    const response: WorkingResponse = { status: reply.status, headers: new HeaderList([...reply.headers]), body: reply.body };
    if (snapshot.onResponse.length > 0) {
      const outcome = await runOnResponse(snapshot.onResponse, response, false, ctx);
      if (outcome.kind === 'fail') return this.#sendError(res, requestId, lease, ctx, outcome.error, `module ${outcome.module} failed: ${outcome.error.message}`);
    }
    send(res, requestId, response, ctx.log);
  }

  async #sendError(res: ServerResponse, requestId: string, lease: ChainLease, ctx: ChainContext, err: unknown, message: string): Promise<void> {
    const work = errorResponse(err, message);
    if (lease.snapshot.onError.length > 0) await runOnError(lease.snapshot.onError, work, ctx);
    send(res, requestId, work, ctx.log);
  }
}

function errorResponse(err: unknown, message?: string): WorkingResponse {
  return {
    status: errorStatus(err),
    headers: new HeaderList([['content-type', 'application/json']]),
    body: Buffer.from(JSON.stringify(errorPayload(err, message))),
  };
}
