// The request the host passes to `on_request_headers`:
// {"method", "uri", "client_ip", "correlation_id", "headers": {name: value}}.
import { HeaderMap, readHeaders } from './header-map';
import { JsonReader } from './json-reader';

export class Request {
  method: string = '';
  uri: string = '';
  clientIp: string = '';
  correlationId: string = '';
  /** In the order the host sent them; names as sent (lower-case from the Sentinel proxy). */
  readonly headers: HeaderMap = new HeaderMap();

  /** The value of a request header, looked up ignoring ASCII case; null if absent. */
  header(name: string): string | null {
    return this.headers.get(name);
  }
}

/** Parses the request JSON at `ptr`; unknown keys and values of unexpected types are skipped. */
export function readRequest(ptr: usize, len: usize): Request {
  const reader = new JsonReader(ptr, len, 'request');
  const request = new Request();
  let more = reader.beginObject();
  while (more) {
    const key = reader.key();
    if (key == 'headers') readHeaders(reader, request.headers);
    else if (!reader.isString()) reader.skipValue();
    else if (key == 'method') request.method = reader.string();
    else if (key == 'uri') request.uri = reader.string();
    else if (key == 'client_ip') request.clientIp = reader.string();
    else if (key == 'correlation_id') request.correlationId = reader.string();
    else reader.skipValue();
    more = reader.nextMember();
  }
  reader.finish();
  reader.dispose();
  return request;
}
