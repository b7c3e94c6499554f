// `response` of smg:gateway, as the on-response handler receives it.
import { takeBytes } from '../canonical/lift';
import { Header, findHeader, findHeaders, takeHeaders } from './header';

export class Response {
  /** The HTTP status. */
  status: u16 = 0;
  /** Names in lower case, one entry per value. */
  headers: Header[] = [];
  /** The whole response body. */
  body: Uint8Array = new Uint8Array(0);

  /** The first value of header `name` (ASCII case ignored), or null. */
  header(name: string): string | null {
    return findHeader(this.headers, name);
  }

  /** Every value of header `name` (ASCII case ignored), in order. */
  headerValues(name: string): string[] {
    return findHeaders(this.headers, name);
  }

  /** True when at least one header is named `name` (ASCII case ignored). */
  hasHeader(name: string): bool {
    return findHeader(this.headers, name) != null;
  }

  /** The body decoded as UTF-8. */
  bodyText(): string {
    return String.UTF8.decodeUnsafe(this.body.dataStart, <usize>this.body.length);
  }
}

/** Lifts the 5 flat parameters of on-response (status, then two ptr/len pairs), freeing the buffers. */
export function takeResponse(status: u32, headersPtr: usize, headersLen: usize, bodyPtr: usize, bodyLen: usize): Response {
  const res = new Response();
  res.status = <u16>status;
  res.headers = takeHeaders(headersPtr, headersLen);
  res.body = takeBytes(bodyPtr, bodyLen);
  return res;
}
