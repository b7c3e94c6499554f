// The response the host passes to `on_response_headers`:
// {"status", "correlation_id", "headers": {name: value}}.
import { HeaderMap, readHeaders } from './header-map';
import { JsonReader } from './json-reader';

export class Response {
  status: i32 = 0;
  correlationId: string = '';
  /** In the order the host sent them; names as sent (lower-case from the Sentinel proxy). */
  readonly headers: HeaderMap = new HeaderMap();

  /** The value of a response header, looked up ignoring ASCII case; null if absent. */
  header(name: string): string | null {
    return this.headers.get(name);
  }
}

/** Parses the response JSON at `ptr`; unknown keys and values of unexpected types are skipped. */
export function readResponse(ptr: usize, len: usize): Response {
  const reader = new JsonReader(ptr, len, 'response');
  const response = new Response();
  let more = reader.beginObject();
  while (more) {
    const key = reader.key();
    if (key == 'headers') readHeaders(reader, response.headers);
    else if (key == 'status' && reader.isNumber()) response.status = reader.integer();
    else if (key == 'correlation_id' && reader.isString()) response.correlationId = reader.string();
    else reader.skipValue();
    more = reader.nextMember();
  }
  reader.finish();
  reader.dispose();
  return response;
}
