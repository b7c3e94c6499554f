// `response` of smg:gateway, as the on-response handler receives it.
import { takeBytes } from '../canonical/lift';
import { Message } from './message';

export class Response extends Message {
  /** The HTTP status. */
  status: u16 = 0;
}

/** Lifts the 5 flat parameters of on-response (status, then two ptr/len pairs), freeing the buffers. */
export function takeResponse(status: u32, headersPtr: usize, headersLen: usize, bodyPtr: usize, bodyLen: usize): Response {
  const res = new Response();
  res.status = <u16>status;
  res.takeHeaders(headersPtr, headersLen);
  res.body = takeBytes(bodyPtr, bodyLen);
  return res;
}
