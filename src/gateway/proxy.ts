// The reverse proxy with the middleware chain around it:
//   receive → [buffer body → OnRequest chain] → upstream (round-robin, failover) →
//   [OnResponse chain: buffered, or header-only for streams] → client.
// Bodies are buffered only when a module needs them; everything else streams through.
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Dispatcher } from 'undici';
import { WasmgateError } from '../errors.js';
import { EMPTY_CHAIN, type ChainLease, type ChainSnapshot, type ModuleRegistry } from '../registry/index.js';
import { ClientGoneError, declaredLength, readBody } from './body-reader.js';
import { discard, pipeResponse, sendBufferedResponse, type ReplyContext } from './client-response.js';
import { errorPayload, errorStatus } from './error-status.js';
import type { ExchangeTap } from './exchange-tap.js';
import { statusClass, type GatewayMetrics } from './gateway-metrics.js';
import { HeaderList } from './header-list.js';
import { removeHopByHop } from './hop-by-hop.js';
import { PAYLOAD_TOO_LARGE_TEXT, PayloadLimit, payloadTooLarge } from './payload-limit.js';
import { runOnError, runOnRequest, runOnResponse, type ChainContext, type ChainObserver, type WorkingResponse } from './middleware-chain.js';
import { classifyUpstreamError } from './upstream-error.js';
import type { Upstream, UpstreamSet } from './upstream-set.js';

const EMPTY = Buffer.alloc(0);

/** A 413 whose body is still arriving is answered on a closing connection beyond this many bytes. */
const MAX_DRAIN_BYTES = 1024 * 1024;

export const REQUEST_BODY_TOO_LARGE = { error: 'Failed to read request body: length limit exceeded' };
export const RESPONSE_BODY_UNREADABLE = { error: 'Failed to read response body' };

export interface ProxyOptions {
  upstreams: UpstreamSet;
  registry: ModuleRegistry;
  wasmEnabled: boolean;
  upstreamTimeoutMs: number;
  /** SMG's --max-payload-size: the largest request body accepted. */
  maxPayloadSize: number;
  metrics: GatewayMetrics;
  observer: ChainObserver;
  log: Logger;
}

interface RequestState extends ReplyContext {
  readonly requestId: string;
  /** Origin-form request target as received (path + query), sent upstream unchanged. */
  readonly target: string;
  readonly path: string;
  readonly query: string;
  /** Client gone: undici takes an EventEmitter as its abort signal ('abort' event), far cheaper than an AbortController per request. */
  readonly abort: RequestAbort;
  readonly snapshot: ChainSnapshot;
  readonly chain: ChainContext;
  readonly tap: ExchangeTap | undefined;
  readonly log: Logger;
}

class RequestAbort extends EventEmitter {
  aborted = false;

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.emit('abort');
  }
}

function requestHasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** SMG's rule plus ours: SSE / NDJSON (any case, any value), or no Content-Length. */
export function isStreamingResponse(headers: HeaderList): boolean {
  for (const value of headers.getAll('content-type')) {
    const lower = value.toLowerCase();
    if (lower.includes('text/event-stream') || lower.includes('application/x-ndjson')) return true;
  }
  return !headers.has('content-length');
}

function peerAddress(address: string | undefined): string {
  if (!address) return 'unknown';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

export class ReverseProxy {
  readonly #upstreams: UpstreamSet;
  readonly #registry: ModuleRegistry;
  readonly #wasmEnabled: boolean;
  readonly #timeoutMs: number;
  readonly #maxPayloadSize: number;
  readonly #metrics: GatewayMetrics;
  readonly #observer: ChainObserver;
  readonly #log: Logger;

  constructor(options: ProxyOptions) {
    this.#upstreams = options.upstreams;
    this.#registry = options.registry;
    this.#wasmEnabled = options.wasmEnabled;
    this.#timeoutMs = options.upstreamTimeoutMs;
    this.#maxPayloadSize = options.maxPayloadSize;
    this.#metrics = options.metrics;
    this.#observer = options.observer;
    this.#log = options.log;
  }

  /** Proxies one request; `tap`, if given, is told what is forwarded and shown the final response. */
  handle(req: IncomingMessage, res: ServerResponse, requestId: string, target: string, tap?: ExchangeTap): void {
    const started = performance.now();
    const q = target.indexOf('?');
    const lease: ChainLease = this.#wasmEnabled ? this.#registry.acquire() : EMPTY_LEASE;
    const state: RequestState = {
      requestId,
      target,
      path: q < 0 ? target : target.slice(0, q),
      query: q < 0 ? '' : target.slice(q + 1),
      abort: new RequestAbort(),
      snapshot: lease.snapshot,
      chain: { log: this.#log, observer: this.#observer, requestId },
      tap,
      log: this.#log,
    };
    // The chain is held until both the handler and the response are done.
    let pending = 2;
    const done = (): void => {
      if (--pending === 0) lease.release();
    };
    res.once('close', () => {
      const finished = res.writableFinished;
      if (!finished) state.abort.abort();
      this.#metrics.proxyRequest(finished ? statusClass(res.statusCode) : 'aborted', performance.now() - started);
      done();
    });
    this.#run(req, res, state)
      .catch((err: unknown) => {
        if (err instanceof ClientGoneError || state.abort.aborted) return;
        this.#log.error({ err, requestId }, 'proxy failure (a wasmgate bug)');
        if (!res.headersSent) sendBufferedResponse(res, state, this.#errorResponse(new WasmgateError('WG_ERR_INTERNAL_BUG', 'internal error', { cause: err })));
        else res.destroy();
      })
      .finally(done);
  }

  async #run(req: IncomingMessage, res: ServerResponse, state: RequestState): Promise<void> {
    const { snapshot } = state;
    const declared = declaredLength(req.headers['content-length']);
    // SMG's outer limit comes first, before any module (tower-http's RequestBodyLimitLayer).
    if (declared !== undefined && declared > this.#maxPayloadSize) return this.#rejectPayloadTooLarge(res, state);
    const headers = HeaderList.fromRaw(req.rawHeaders);
    const hasBody = requestHasBody(req);
    let body: Buffer | undefined;
    if (snapshot.onRequest.length > 0) {
      const cap = Math.min(snapshot.requestBodyCap, this.#maxPayloadSize);
      try {
        body = hasBody ? await readBody(req, cap, declared) : EMPTY;
      } catch (err) {
        if (!WasmgateError.is(err, 'WG_ERR_BODY_TOO_LARGE')) throw err;
        if (cap === this.#maxPayloadSize) return this.#rejectPayloadTooLarge(res, state);
        return this.#rejectTooLarge(req, res, state);
      }
      const work = { method: req.method ?? 'GET', path: state.path, query: state.query, headers, body };
      const outcome = await runOnRequest(snapshot.onRequest, work, state.chain);
      if (outcome.kind === 'reject') return sendBufferedResponse(res, state, { status: outcome.status, headers: new HeaderList(), body: EMPTY });
      if (outcome.kind === 'fail') return this.#sendError(res, state, outcome.error, `module ${outcome.module} failed: ${outcome.error.message}`);
      body = work.body;
    }
    if (state.abort.aborted) return;
    const forwarded = this.#forwardHeaders(req, headers, state.requestId, body !== undefined);
    state.tap?.forwarded(forwarded, body);
    let response: Dispatcher.ResponseData;
    try {
      response = await this.#dispatch(req, state, forwarded, body, hasBody);
    } catch (err) {
      if (err instanceof ClientGoneError || state.abort.aborted) return;
      if (WasmgateError.is(err, 'WG_ERR_BODY_TOO_LARGE')) return this.#rejectPayloadTooLarge(res, state);
      return this.#sendError(res, state, err);
    }
    await this.#respond(req, res, state, response);
  }

  #rejectTooLarge(req: IncomingMessage, res: ServerResponse, state: RequestState): void {
    const declared = declaredLength(req.headers['content-length']);
    const headers = new HeaderList([['content-type', 'application/json']]);
    // Small leftovers are drained so the connection stays usable; big or unbounded ones are cut.
    if (declared === undefined || declared > MAX_DRAIN_BYTES) headers.set('connection', 'close');
    sendBufferedResponse(res, state, { status: 413, headers, body: Buffer.from(JSON.stringify(REQUEST_BODY_TOO_LARGE)) });
  }

  /** SMG's --max-payload-size answer: 413 text/plain, and the connection closes (the rest of the body is not read). */
  #rejectPayloadTooLarge(res: ServerResponse, state: RequestState): void {
    if (res.headersSent) return void res.destroy();
    const headers = new HeaderList([
      ['content-type', 'text/plain; charset=utf-8'],
      ['connection', 'close'],
    ]);
    sendBufferedResponse(res, state, { status: 413, headers, body: Buffer.from(PAYLOAD_TOO_LARGE_TEXT) });
  }

  #forwardHeaders(req: IncomingMessage, headers: HeaderList, requestId: string, buffered: boolean): string[] {
    const host = headers.get('host');
    removeHopByHop(headers);
    headers.removeWhere((name) => name === 'host' || name === 'expect' || (buffered && name === 'content-length'));
    const peer = peerAddress(req.socket.remoteAddress);
    const forwardedFor = headers.getAll('x-forwarded-for').join(', ');
    headers.set('x-forwarded-for', forwardedFor ? `${forwardedFor}, ${peer}` : peer);
    headers.set('x-forwarded-proto', (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http');
    if (host !== undefined) headers.set('x-forwarded-host', host);
    headers.set('x-request-id', requestId);
    return headers.toFlat();
  }

  /** Sends to the next healthy worker; a worker that refuses the connection is cooled down and, when the body can be replayed, the next one is tried. */
  async #dispatch(req: IncomingMessage, state: RequestState, headers: string[], body: Buffer | undefined, hasBody: boolean): Promise<Dispatcher.ResponseData> {
    const replayable = body !== undefined || !hasBody;
    const tried = new Set<Upstream>();
    let streamed: PayloadLimit | undefined;
    let lastError: WasmgateError | undefined;
    for (;;) {
      const upstream = this.#upstreams.pick(tried);
      if (!upstream) throw lastError ?? new WasmgateError('WG_ERR_UPSTREAM_UNREACHABLE', 'no upstream worker configured');
      tried.add(upstream);
      let requestBody: Buffer | Readable | undefined;
      if (body !== undefined) requestBody = body.length > 0 || hasBody ? body : undefined;
      else if (hasBody) requestBody = streamed ??= req.pipe(new PayloadLimit(this.#maxPayloadSize));
      try {
        const response = await upstream.pool.request({
          path: state.target,
          method: (req.method ?? 'GET') as Dispatcher.HttpMethod,
          headers,
          body: requestBody,
          signal: state.abort,
          headersTimeout: this.#timeoutMs,
          bodyTimeout: this.#timeoutMs,
        });
        upstream.downUntil = 0;
        return response;
      } catch (err) {
        if (state.abort.aborted) throw new ClientGoneError();
        if (streamed?.exceeded) {
          req.unpipe(streamed);
          throw payloadTooLarge(this.#maxPayloadSize);
        }
        const failure = classifyUpstreamError(err, upstream.origin, this.#timeoutMs);
        this.#metrics.upstreamError(upstream.origin, failure.kind);
        this.#log.warn({ requestId: state.requestId, upstream: upstream.origin, code: failure.error.code, reason: failure.error.message }, 'upstream request failed');
        if (failure.kind === 'unreachable') {
          this.#upstreams.markDown(upstream);
          if (replayable) {
            lastError = failure.error;
            continue;
          }
        }
        if (streamed) req.unpipe(streamed);
        throw failure.error;
      }
    }
  }

  async #respond(req: IncomingMessage, res: ServerResponse, state: RequestState, response: Dispatcher.ResponseData): Promise<void> {
    const { snapshot } = state;
    const headers = HeaderList.fromRecord(response.headers);
    removeHopByHop(headers);
    const work: WorkingResponse = { status: response.statusCode, headers, body: undefined };
    const bodyless = req.method === 'HEAD' || work.status === 204 || work.status === 304;
    const streaming = !bodyless && isStreamingResponse(headers);
    if (snapshot.onResponse.length === 0) return pipeResponse(res, state, work, response.body, streaming);
    if (bodyless) {
      response.body.on('error', () => {}).resume();
      work.body = EMPTY;
    } else if (!streaming && snapshot.onResponseBody.length > 0) {
      try {
        work.body = await readBody(response.body, snapshot.responseBodyCap, declaredLength(headers.get('content-length')));
      } catch (err) {
        discard(response.body);
        if (state.abort.aborted) return;
        this.#log.warn({ err, requestId: state.requestId }, 'could not buffer the upstream response for OnResponse modules');
        const errorHeaders = new HeaderList([['content-type', 'application/json']]);
        return sendBufferedResponse(res, state, { status: 500, headers: errorHeaders, body: Buffer.from(JSON.stringify(RESPONSE_BODY_UNREADABLE)) });
      }
    }
    const outcome = await runOnResponse(snapshot.onResponse, work, work.body === undefined, state.chain);
    if (outcome.kind === 'fail') {
      if (work.body === undefined) discard(response.body);
      return this.#sendError(res, state, outcome.error, `module ${outcome.module} failed: ${outcome.error.message}`);
    }
    if (work.body === undefined) return pipeResponse(res, state, work, response.body, streaming);
    // The final status decides: a module may turn a 204 into a 503 with a body (sent, with its length).
    const noBodyStatus = work.status === 204 || work.status === 304;
    // HEAD: a module that replaced the (empty) body sets the length a GET would carry, not the upstream's.
    if (req.method === 'HEAD' && !noBodyStatus && work.body !== EMPTY) work.headers.set('content-length', String(work.body.length));
    sendBufferedResponse(res, state, work, req.method === 'HEAD' || noBodyStatus);
  }

  #errorResponse(err: unknown, message?: string): WorkingResponse {
    return {
      status: errorStatus(err),
      headers: new HeaderList([['content-type', 'application/json']]),
      body: Buffer.from(JSON.stringify(errorPayload(err, message))),
    };
  }

  /** A gateway error (upstream failed, or a fail-closed module failed), shown to OnError modules first. */
  async #sendError(res: ServerResponse, state: RequestState, err: unknown, message?: string): Promise<void> {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const work = this.#errorResponse(err, message);
    if (state.snapshot.onError.length > 0) await runOnError(state.snapshot.onError, work, state.chain);
    if (state.abort.aborted) return;
    sendBufferedResponse(res, state, work);
  }
}

const EMPTY_LEASE: ChainLease = Object.freeze({ snapshot: EMPTY_CHAIN, release() {} });
