// POST /v1/responses with the history API on: the request goes through the ordinary proxy (wasm
// chain, failover, timeouts unchanged); this file only watches it, to store the answer:
//   * the request as forwarded upstream — headers after OnRequest modules (the storage context is
//     read from them, so a module can set or strip context headers, as in SMG) and the body after
//     OnRequest body edits — is picked up where the proxy calls the upstream pool, matched to its
//     request through an AsyncLocalStorage scope (SMG uses a task-local the same way);
//   * the client's body is also teed (used when no module buffered it);
//   * the response the client gets is teed at res.writeHead/write/end; when it is a 200 JSON
//     object with an id, it is stored before res.end() completes, so a GET right after the POST
//     finds it.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UpstreamSet } from '../upstream-set.js';

/** What the proxy sent upstream for the request in scope. */
export interface ForwardedRequest {
  /** Flat [name, value, ...] as sent. */
  headers: readonly string[] | undefined;
  /** The body when the proxy had it buffered (OnRequest modules ran); undefined when streamed. */
  body: Buffer | undefined;
}

export interface CapturedExchange {
  readonly forwarded: ForwardedRequest | undefined;
  /** The client's request body; undefined when over the cap. */
  readonly requestBody: Buffer | undefined;
  /** The final response body (status 200, JSON content type). */
  readonly responseBody: Buffer;
}

const scope = new AsyncLocalStorage<{ forwarded?: ForwardedRequest }>();
const instrumented = new WeakSet<object>();

type RequestFn = (this: unknown, options: unknown, ...rest: unknown[]) => unknown;

/** Wraps each upstream pool's request() to record, in scope, what is forwarded. Idempotent. */
export function watchUpstreamRequests(upstreams: UpstreamSet): void {
  for (const upstream of upstreams.upstreams) {
    const pool = upstream.pool as unknown as { request: RequestFn };
    if (instrumented.has(pool)) continue;
    instrumented.add(pool);
    const original = pool.request;
    pool.request = function watchedRequest(this: unknown, options: unknown, ...rest: unknown[]) {
      const state = scope.getStore();
      if (state && options !== null && typeof options === 'object') {
        const o = options as { headers?: unknown; body?: unknown };
        state.forwarded = { headers: Array.isArray(o.headers) ? (o.headers as string[]) : undefined, body: Buffer.isBuffer(o.body) ? o.body : undefined };
      }
      return original.call(this, options, ...rest);
    };
  }
}

function contentTypeOf(headers: unknown): string | undefined {
  if (Array.isArray(headers)) {
    const flat = headers.flat() as unknown[];
    for (let i = 0; i + 1 < flat.length; i += 2) if (String(flat[i]).toLowerCase() === 'content-type') return String(flat[i + 1]);
  } else if (headers !== null && typeof headers === 'object') {
    for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() === 'content-type') return String(value);
  }
  return undefined;
}

/**
 * Runs `proxy` for one POST /v1/responses and calls `store` with the exchange when the client's
 * answer is a 200 JSON; the response ends once `store` settles. Bodies over `cap` are not kept.
 */
export function captureExchange(
  req: IncomingMessage,
  res: ServerResponse,
  cap: number,
  proxy: () => void,
  store: (exchange: CapturedExchange) => Promise<void>,
): void {
  const state: { forwarded?: ForwardedRequest } = {};
  let requestChunks: Buffer[] | undefined = [];
  let requestSize = 0;
  req.on('data', (chunk: Buffer) => {
    if (!requestChunks) return;
    requestSize += chunk.length;
    if (requestSize > cap) requestChunks = undefined;
    else requestChunks.push(chunk);
  });

  let keep = false;
  let responseChunks: Buffer[] | undefined = [];
  let responseSize = 0;
  const collect = (chunk: unknown, encoding: unknown): void => {
    if (!keep || !responseChunks || chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const buffer = Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array);
    responseSize += buffer.length;
    if (responseSize > cap) responseChunks = undefined;
    else responseChunks.push(buffer);
  };
  const writeHead = res.writeHead;
  const write = res.write;
  const end = res.end;
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    const type = contentTypeOf(rest.find((r) => typeof r === 'object'))?.toLowerCase();
    keep = status === 200 && type !== undefined && /^application\/([a-z0-9.+-]*\+)?json\b/.test(type);
    return (writeHead as (...a: unknown[]) => ServerResponse).call(this, status, ...rest);
  } as typeof res.writeHead;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    collect(chunk, rest[0]);
    return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof res.write;
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    collect(args[0], args[1]);
    const finish = (): ServerResponse => (end as (...a: unknown[]) => ServerResponse).apply(this, args);
    if (!keep || !responseChunks || !state.forwarded) return finish();
    const exchange: CapturedExchange = {
      forwarded: state.forwarded,
      requestBody: requestChunks ? Buffer.concat(requestChunks) : undefined,
      responseBody: Buffer.concat(responseChunks),
    };
    keep = false;
    void store(exchange)
      .catch(() => undefined)
      .then(finish);
    return this;
  } as typeof res.end;
  scope.run(state, proxy);
}
