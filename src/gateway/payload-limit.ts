// SMG's --max-payload-size for request bodies that stream through to the upstream (no OnRequest
// module buffers them): the limit is checked against Content-Length before anything is sent, and
// counted as a body without one (chunked) passes; past it the stream fails, which aborts the
// upstream request, and the client gets a 413 if no answer has started.
import { Transform, type TransformCallback } from 'node:stream';
import { WasmgateError } from '../errors.js';

/** The body SMG's limit layer (tower-http) answers with: 413, text/plain. */
export const PAYLOAD_TOO_LARGE_TEXT = 'length limit exceeded';

/** The error a body over `limit` bytes fails with, here and where the proxy reports it. */
export function payloadTooLarge(limit: number): WasmgateError {
  return new WasmgateError('WG_ERR_BODY_TOO_LARGE', `request body is over --max-payload-size (${limit} bytes)`);
}

export class PayloadLimit extends Transform {
  readonly #limit: number;
  #seen = 0;
  /** Set once the limit was passed (the stream then fails with WG_ERR_BODY_TOO_LARGE). */
  exceeded = false;

  constructor(limit: number) {
    super();
    this.#limit = limit;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.#limit) {
      this.exceeded = true;
      callback(payloadTooLarge(this.#limit));
      return;
    }
    callback(null, chunk);
  }
}
