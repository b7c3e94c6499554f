// `request` of smg:gateway, as the on-request handler receives it.
import { takeBytes, takeString } from '../canonical/lift';
import { Message } from './message';

export class Request extends Message {
  /** As received: GET, POST, ... */
  method: string = '';
  /** The URI path, raw (percent-encoding kept), without the query. */
  path: string = '';
  /** The raw query string without `?`; empty when there is none. */
  query: string = '';
  /** The gateway's id for this request. */
  requestId: string = '';
  /** Wall-clock milliseconds since the Unix epoch when the gateway called the module. */
  nowEpochMs: u64 = 0;
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
  req.takeHeaders(headersPtr, headersLen);
  req.body = takeBytes(bodyPtr, bodyLen);
  req.requestId = takeString(requestIdPtr, requestIdLen);
  req.nowEpochMs = nowEpochMs;
  return req;
}
