// What a handler returns: a decision plus optional status, body, header changes and audit tags.
// Absent fields are left out of the JSON, and header maps keep insertion order.
import { HeaderMap } from './header-map';
import { JsonWriter } from './json-writer';

export class Result {
  /** "allow", "block", "deny" or "redirect" (the host lower-cases it; anything else is refused). */
  decision: string;
  /** HTTP status; 0 leaves it out, so the host applies its default (403 block/deny, 302 redirect). */
  status: i32 = 0;
  /** Block/deny: the response body. Redirect: the target URL. */
  body: string | null = null;
  addRequestHeaders: HeaderMap | null = null;
  removeRequestHeaders: string[] | null = null;
  addResponseHeaders: HeaderMap | null = null;
  removeResponseHeaders: string[] | null = null;
  tags: string[] | null = null;

  constructor(decision: string) {
    this.decision = decision;
  }

  /** Sets a header on the request sent upstream; the same name again (any case) replaces it. */
  addRequestHeader(name: string, value: string): Result {
    let headers = this.addRequestHeaders;
    if (headers == null) this.addRequestHeaders = headers = new HeaderMap();
    headers.set(name, value);
    return this;
  }

  /** Removes a header from the request sent upstream. */
  removeRequestHeader(name: string): Result {
    this.removeRequestHeaders = pushed(this.removeRequestHeaders, name);
    return this;
  }

  /** Sets a header on the response sent to the client; the same name again replaces it. */
  addResponseHeader(name: string, value: string): Result {
    let headers = this.addResponseHeaders;
    if (headers == null) this.addResponseHeaders = headers = new HeaderMap();
    headers.set(name, value);
    return this;
  }

  /** Removes a header from the response sent to the client. */
  removeResponseHeader(name: string): Result {
    this.removeResponseHeaders = pushed(this.removeResponseHeaders, name);
    return this;
  }

  /** Adds an audit tag. */
  tag(tag: string): Result {
    this.tags = pushed(this.tags, tag);
    return this;
  }

  /** Serialises to the ABI's result JSON in a fresh block the host frees; returns it packed. */
  encode(): i64 {
    const w = new JsonWriter();
    w.raw('{"decision":');
    w.string(this.decision);
    if (this.status != 0) {
      w.raw(',"status":');
      w.integer(this.status);
    }
    const body = this.body;
    if (body != null) {
      w.raw(',"body":');
      w.string(body);
    }
    writeHeaders(w, ',"add_request_headers":', this.addRequestHeaders);
    writeStrings(w, ',"remove_request_headers":', this.removeRequestHeaders);
    writeHeaders(w, ',"add_response_headers":', this.addResponseHeaders);
    writeStrings(w, ',"remove_response_headers":', this.removeResponseHeaders);
    writeStrings(w, ',"tags":', this.tags);
    w.byte(0x7d); // }
    return w.finish();
  }
}

/** Let the request or response through. */
export function allow(): Result {
  return new Result('allow');
}

/** Answer the client with `status` and `body` instead of proxying. */
export function block(status: i32 = 403, body: string | null = null): Result {
  const result = new Result('block');
  result.status = status;
  result.body = body;
  return result;
}

/** Same as block; with status 0 (the default) the host answers 403. */
export function deny(status: i32 = 0, body: string | null = null): Result {
  const result = new Result('deny');
  result.status = status;
  result.body = body;
  return result;
}

/** Redirect the client to `url`; status 0 leaves it to the host's default, 302. */
export function redirect(url: string, status: i32 = 302): Result {
  const result = new Result('redirect');
  result.status = status;
  result.body = url;
  return result;
}

function pushed(list: string[] | null, value: string): string[] {
  if (list == null) return [value];
  list.push(value);
  return list;
}

function writeHeaders(w: JsonWriter, key: string, headers: HeaderMap | null): void {
  if (headers == null) return;
  w.raw(key);
  w.byte(0x7b); // {
  const names = headers.names;
  const values = headers.values;
  for (let i = 0, n = names.length; i < n; i++) {
    if (i > 0) w.byte(0x2c); // ,
    w.string(unchecked(names[i]));
    w.byte(0x3a); // :
    w.string(unchecked(values[i]));
  }
  w.byte(0x7d); // }
}

function writeStrings(w: JsonWriter, key: string, list: string[] | null): void {
  if (list == null) return;
  w.raw(key);
  w.byte(0x5b); // [
  for (let i = 0, n = list.length; i < n; i++) {
    if (i > 0) w.byte(0x2c); // ,
    w.string(unchecked(list[i]));
  }
  w.byte(0x5d); // ]
}
