// `request` of smg:gateway, as the on-request handler receives it.
import { takeBytes, takeString } from '../canonical/lift';
import { Header, findHeader, findHeaders, takeHeaders } from './header';

export class Request {
  /** As received: GET, POST, ... */
  method: string = '';
  /** The URI path, raw (percent-encoding kept), without the query. */
  path: string = '';
  /** The raw query string without `?`; empty when there is none. */
  query: string = '';
  /** Names in lower case, one entry per value. */
  headers: Header[] = [];
  /** The whole request body. */
  body: Uint8Array = new Uint8Array(0);
  /** The gateway's id for this request. */
  requestId: string = '';
  /** Wall-clock milliseconds since the Unix epoch when the gateway called the module. */
  nowEpochMs: u64 = 0;

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

/** Lifts the 13 flat parameters of on-request (six ptr/len pairs and the u64), freeing the buffers. */
export function takeRequest(
  methodPtr: usize, methodLen: usize,
  pathPtr: usize, pathLen: usize,
  queryPtr: usize, queryLen: usize,
  headersPtr: usize, headersLen: usize,
  bodyPtr: usize, bodyLen: usize,
  requestIdPtr: usize, requestIdLen: usize,
  nowEpochMs: u64,
): Request {
  const req = new Request();
  req.method = takeString(methodPtr, methodLen);
  req.path = takeString(pathPtr, pathLen);
  req.query = takeString(queryPtr, queryLen);
  req.headers = takeHeaders(headersPtr, headersLen);
  req.body = takeBytes(bodyPtr, bodyLen);
  req.requestId = takeString(requestIdPtr, requestIdLen);
  req.nowEpochMs = nowEpochMs;
  return req;
}
