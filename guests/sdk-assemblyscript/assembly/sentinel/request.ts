// The request the host passes to `on_request_headers`:
// {"method", "uri", "client_ip", "correlation_id", "headers": {name: value}}.
//
// Reading it is one scan that checks the JSON and records where each field's bytes are; a field is
// decoded to a string the first time the handler reads it, and a header lookup decodes only the
// value it finds (see json-scan.ts and header-lookup.ts). A handler that reads the URI pays for one string.
import { EventJson } from './event-json';
import { decodeString } from './json-decode';
import { QUOTE, byteAt, scannedStringFlags } from './json-scan';
import { isNull } from './nullable';

export class Request extends EventJson {
  private _method: string | null = null;
  private _uri: string | null = null;
  private _clientIp: string | null = null;
  private _correlationId: string | null = null;
  /** Where each field's string is in the text: (offset << 32) | length; 0 when absent or empty. */
  private methodSpan: u64 = 0;
  private uriSpan: u64 = 0;
  private clientIpSpan: u64 = 0;
  private correlationIdSpan: u64 = 0;
  /** HAS_ESCAPE | NON_ASCII of each field, 2 bits each: method, uri, client_ip, correlation_id. */
  private stringFlags: u32 = 0;

  get method(): string {
    const s = this._method;
    if (!isNull(s)) return changetype<string>(s);
    const decoded = this.decodeField(this.methodSpan, this.stringFlags & 3);
    this._method = decoded;
    return decoded;
  }

  set method(value: string) {
    this._method = value;
  }

  get uri(): string {
    const s = this._uri;
    if (!isNull(s)) return changetype<string>(s);
    const decoded = this.decodeField(this.uriSpan, (this.stringFlags >> 2) & 3);
    this._uri = decoded;
    return decoded;
  }

  set uri(value: string) {
    this._uri = value;
  }

  get clientIp(): string {
    const s = this._clientIp;
    if (!isNull(s)) return changetype<string>(s);
    const decoded = this.decodeField(this.clientIpSpan, (this.stringFlags >> 4) & 3);
    this._clientIp = decoded;
    return decoded;
  }

  set clientIp(value: string) {
    this._clientIp = value;
  }

  get correlationId(): string {
    const s = this._correlationId;
    if (!isNull(s)) return changetype<string>(s);
    const decoded = this.decodeField(this.correlationIdSpan, (this.stringFlags >> 6) & 3);
    this._correlationId = decoded;
    return decoded;
  }

  set correlationId(value: string) {
    this._correlationId = value;
  }

  /** Scans the request JSON at `ptr`; unknown keys and values of unexpected types are skipped. */
  static read(ptr: usize, len: usize): Request {
    return EventJson.scan<Request>(ptr, len, 'request');
  }

  protected scanMember(key: usize, n: usize, flags: u32, p: usize, end: usize): usize {
    const field = flags == 0 ? requestKey(key, n) : requestKeyDecoded(key, n, flags);
    if (field == HEADERS) return this.scanHeadersMember(p, end);
    if (field == NONE || byteAt(p, end) != QUOTE) return 0;
    const span = this.scanStringMember(p, end);
    this.setSpan(field, span, scannedStringFlags());
    return p + 2 + <usize><u32>span;
  }

  private setSpan(field: i32, span: u64, flags: u32): void {
    const shift = <u32>(field - METHOD) << 1;
    this.stringFlags = (this.stringFlags & ~(3 << shift)) | (flags << shift);
    if (field == METHOD) this.methodSpan = span;
    else if (field == URI) this.uriSpan = span;
    else if (field == CLIENT_IP) this.clientIpSpan = span;
    else this.correlationIdSpan = span;
  }
}

const NONE = 0;
const METHOD = 1;
const URI = 2;
const CLIENT_IP = 3;
const CORRELATION_ID = 4;
const HEADERS = 5;

/** Which field a key names, from its raw bytes (a key without escapes or non-ASCII). */
function requestKey(p: usize, n: usize): i32 {
  if (n == 3) return load<u16>(p) == 0x7275 && load<u8>(p + 2) == 0x69 ? URI : NONE; // "ur" "i"
  if (n == 6) return load<u32>(p) == 0x6874656d && load<u16>(p + 4) == 0x646f ? METHOD : NONE; // "meth" "od"
  if (n == 7) return load<u32>(p) == 0x64616568 && load<u32>(p + 3) == 0x73726564 ? HEADERS : NONE; // "head" "ders"
  if (n == 9) return load<u64>(p) == 0x695f746e65696c63 && load<u8>(p + 8) == 0x70 ? CLIENT_IP : NONE; // "client_i" "p"
  if (n == 14) return load<u64>(p) == 0x74616c6572726f63 && load<u64>(p + 6) == 0x64695f6e6f697461 ? CORRELATION_ID : NONE; // "correlat" "ation_id"
  return NONE;
}

/** The same for a key written with escapes or non-ASCII characters: decoded, then compared. */
function requestKeyDecoded(p: usize, n: usize, flags: u32): i32 {
  const key = decodeString(p, n, flags);
  if (key == 'method') return METHOD;
  if (key == 'uri') return URI;
  if (key == 'client_ip') return CLIENT_IP;
  if (key == 'correlation_id') return CORRELATION_ID;
  if (key == 'headers') return HEADERS;
  return NONE;
}

/** Parses the request JSON at `ptr`; unknown keys and values of unexpected types are skipped. */
export function readRequest(ptr: usize, len: usize): Request {
  return Request.read(ptr, len);
}
