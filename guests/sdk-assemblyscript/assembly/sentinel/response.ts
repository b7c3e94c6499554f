// The response the host passes to `on_response_headers`:
// {"status", "correlation_id", "headers": {name: value}}.
// Read like the request (request.ts): one checking scan, fields decoded on first access.
import { EventJson } from './event-json';
import { decodeString } from './json-decode';
import { MINUS, QUOTE, byteAt, scanInteger, scannedInteger, scannedStringFlags } from './json-scan';
import { isNull } from './nullable';

export class Response extends EventJson {
  status: i32 = 0;
  private _correlationId: string | null = null;
  /** (offset << 32) | length of the correlation id in the text; 0 when absent or empty. */
  private correlationIdSpan: u64 = 0;
  private correlationIdFlags: u32 = 0;

  get correlationId(): string {
    const s = this._correlationId;
    if (!isNull(s)) return changetype<string>(s);
    const decoded = this.decodeField(this.correlationIdSpan, this.correlationIdFlags);
    this._correlationId = decoded;
    return decoded;
  }

  set correlationId(value: string) {
    this._correlationId = value;
  }

  /** Scans the response JSON at `ptr`; unknown keys and values of unexpected types are skipped. */
  static read(ptr: usize, len: usize): Response {
    return EventJson.scan<Response>(ptr, len, 'response');
  }

  protected scanMember(key: usize, n: usize, flags: u32, p: usize, end: usize): usize {
    const field = flags == 0 ? responseKey(key, n) : responseKeyDecoded(key, n, flags);
    if (field == HEADERS) return this.scanHeadersMember(p, end);
    const c = byteAt(p, end);
    if (field == CORRELATION_ID && c == QUOTE) {
      const span = this.scanStringMember(p, end);
      this.correlationIdSpan = span;
      this.correlationIdFlags = scannedStringFlags();
      return p + 2 + <usize><u32>span;
    }
    if (field == STATUS && (c == MINUS || c - 0x30 < 10)) {
      p = scanInteger(p, end);
      this.status = scannedInteger();
      return p;
    }
    return 0;
  }
}

const NONE = 0;
const STATUS = 1;
const CORRELATION_ID = 2;
const HEADERS = 3;

/** Which field a key names, from its raw bytes (a key without escapes or non-ASCII). */
function responseKey(p: usize, n: usize): i32 {
  if (n == 6) return load<u32>(p) == 0x74617473 && load<u16>(p + 4) == 0x7375 ? STATUS : NONE; // "stat" "us"
  if (n == 7) return load<u32>(p) == 0x64616568 && load<u32>(p + 3) == 0x73726564 ? HEADERS : NONE; // "head" "ders"
  if (n == 14) return load<u64>(p) == 0x74616c6572726f63 && load<u64>(p + 6) == 0x64695f6e6f697461 ? CORRELATION_ID : NONE; // "correlat" "ation_id"
  return NONE;
}

/** The same for a key written with escapes or non-ASCII characters: decoded, then compared. */
function responseKeyDecoded(p: usize, n: usize, flags: u32): i32 {
  const key = decodeString(p, n, flags);
  if (key == 'status') return STATUS;
  if (key == 'correlation_id') return CORRELATION_ID;
  if (key == 'headers') return HEADERS;
  return NONE;
}

/** Parses the response JSON at `ptr`; unknown keys and values of unexpected types are skipped. */
export function readResponse(ptr: usize, len: usize): Response {
  return Response.read(ptr, len);
}
