// A listener on one proxied exchange: what the proxy forwards upstream and the final response the
// client gets, after every module ran. The history API uses it to store POST /v1/responses; the
// proxy calls it at the points where it decides those things, so nothing is patched.
import type { HeaderList } from './header-list.js';

export interface ExchangeTap {
  /** Response bodies larger than this are not handed to `responded`. */
  readonly bodyCap: number;
  /** The request as sent upstream: flat [name, value, ...] headers; the body when the proxy had it buffered. */
  forwarded(headers: readonly string[], body: Buffer | undefined): void;
  /** The final status and headers of the response; true to be handed its body. */
  wantsResponse(status: number, headers: HeaderList): boolean;
  /** The complete response body (at most `bodyCap` bytes); the response ends once this settles. */
  responded(body: Buffer): Promise<void>;
}
