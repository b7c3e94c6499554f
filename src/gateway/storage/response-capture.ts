// POST /v1/responses with the history API on: the request goes through the ordinary proxy (wasm
// chain, failover, timeouts unchanged) with this tap on it, which keeps what storing the answer
// needs:
//   * the request as forwarded upstream — headers after OnRequest modules (the storage context is
//     read from them, so a module can set or strip context headers, as in SMG) and the body after
//     OnRequest body edits — as the proxy reports it;
//   * the client's body, read alongside the proxy (used when no module buffered it);
//   * the final response, when it is a 200 JSON object: stored before the response ends, so a GET
//     right after the POST finds it.
import type { IncomingMessage } from 'node:http';
import type { ExchangeTap } from '../exchange-tap.js';
import type { HeaderList } from '../header-list.js';

/** What the proxy sent upstream. */
export interface ForwardedRequest {
  /** Flat [name, value, ...] as sent. */
  headers: readonly string[];
  /** The body when the proxy had it buffered (OnRequest modules ran); undefined when streamed. */
  body: Buffer | undefined;
}

export interface CapturedExchange {
  readonly forwarded: ForwardedRequest;
  /** The client's request body; undefined when over the cap. */
  readonly requestBody: Buffer | undefined;
  /** The final response body (status 200, JSON content type). */
  readonly responseBody: Buffer;
}

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\b/;

export class ResponseCapture implements ExchangeTap {
  readonly bodyCap: number;
  readonly #store: (exchange: CapturedExchange) => Promise<void>;
  #forwarded: ForwardedRequest | undefined;
  #requestChunks: Buffer[] | undefined = [];

  /**
   * Starts reading the client's body alongside the proxy, which must be handed this tap in the same
   * synchronous step (both then see every chunk). `store` gets the exchange for a 200 JSON answer.
   */
  constructor(req: IncomingMessage, bodyCap: number, store: (exchange: CapturedExchange) => Promise<void>) {
    this.bodyCap = bodyCap;
    this.#store = store;
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (!this.#requestChunks) return;
      size += chunk.length;
      if (size > bodyCap) this.#requestChunks = undefined;
      else this.#requestChunks.push(chunk);
    });
  }

  forwarded(headers: readonly string[], body: Buffer | undefined): void {
    this.#forwarded = { headers, body };
  }

  wantsResponse(status: number, headers: HeaderList): boolean {
    const type = headers.get('content-type')?.toLowerCase();
    return this.#forwarded !== undefined && status === 200 && type !== undefined && JSON_TYPE.test(type);
  }

  responded(body: Buffer): Promise<void> {
    const requestChunks = this.#requestChunks;
    return this.#store({
      forwarded: this.#forwarded!,
      requestBody: requestChunks ? Buffer.concat(requestChunks) : undefined,
      responseBody: body,
    });
  }
}
