// Writing the final response to the client: piped from the upstream (streamed, unbuffered) or sent
// whole from a buffer, with the request id, a Content-Length that matches what is sent, and the
// exchange tap (exchange-tap.ts) shown the body before the response ends when it asks for it.
import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { ExchangeTap } from './exchange-tap.js';
import { HeaderList } from './header-list.js';
import type { WorkingResponse } from './middleware-chain.js';

const EMPTY = Buffer.alloc(0);

/** What writing one request's response needs to know about it. */
export interface ReplyContext {
  readonly requestId: string;
  /** Client gone (the request's abort signal). */
  readonly abort: { readonly aborted: boolean };
  readonly tap: ExchangeTap | undefined;
  readonly log: Logger;
}

/** Drops an upstream body: undici's body emits 'error' when destroyed, which must not go unheard. */
export function discard(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}

/** Streams the upstream's body to the client (a 1xx final status is answered as sendBufferedResponse does). */
export function pipeResponse(res: ServerResponse, ctx: ReplyContext, work: WorkingResponse, body: Readable, streaming: boolean): void {
  if (work.status < 200) {
    discard(body);
    return sendBufferedResponse(res, ctx, work);
  }
  work.headers.set('x-request-id', ctx.requestId);
  const tap = ctx.tap?.wantsResponse(work.status, work.headers) ? ctx.tap : undefined;
  res.writeHead(work.status, work.headers.toFlat());
  if (streaming) res.flushHeaders();
  // body.pipe() rather than stream.pipeline(): on Node 20 pipeline() builds an AbortController
  // and a DOMException for every response, a measurable share of a proxied request.
  body.on('error', (err) => {
    if (!ctx.abort.aborted) ctx.log.warn({ err, requestId: ctx.requestId }, 'upstream response body failed mid-stream');
    res.destroy();
  });
  res.once('close', () => {
    if (!res.writableFinished) body.destroy();
  });
  if (tap) return pipeTapped(res, body, tap);
  body.pipe(res);
}

/** Pipes `body` to the client while keeping a copy for `tap` (up to its cap); ends once `tap` settles. */
function pipeTapped(res: ServerResponse, body: Readable, tap: ExchangeTap): void {
  let chunks: Buffer[] | undefined = [];
  let size = 0;
  body.on('data', (chunk: Buffer) => {
    if (!chunks) return;
    size += chunk.length;
    if (size > tap.bodyCap) chunks = undefined;
    else chunks.push(chunk);
  });
  body.once('end', () => {
    if (!chunks) return void res.end();
    void tap
      .responded(Buffer.concat(chunks))
      .catch(() => undefined)
      .then(() => res.end());
  });
  body.pipe(res, { end: false });
}

/** Sends a complete response; Content-Length always matches the body sent (none when `bodyless`). */
export function sendBufferedResponse(res: ServerResponse, ctx: ReplyContext, work: WorkingResponse, bodyless = false): void {
  let { status, headers } = work;
  let body = work.body ?? EMPTY;
  if (status < 200) {
    // A 1xx cannot be a final response; hyper (SMG's server) answers 500 with no body instead.
    ctx.log.warn({ requestId: ctx.requestId, status }, 'a module set a 1xx final status; answering 500');
    status = 500;
    headers = new HeaderList();
    body = EMPTY;
  }
  if (!bodyless) headers.set('content-length', String(body.length));
  headers.set('x-request-id', ctx.requestId);
  const tap = !bodyless && ctx.tap !== undefined && body.length <= ctx.tap.bodyCap && ctx.tap.wantsResponse(status, headers) ? ctx.tap : undefined;
  res.writeHead(status, headers.toFlat());
  if (!tap) return void res.end(bodyless ? undefined : body);
  void tap
    .responded(body)
    .catch(() => undefined)
    .then(() => res.end(body));
}
