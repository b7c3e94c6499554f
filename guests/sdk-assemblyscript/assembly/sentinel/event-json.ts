// What Request and Response share: the event's JSON text, kept as the scan left it, and its
// headers, read from that text only when asked for.
//
// The text is a private copy of the host's input, not the input itself: the host frees its buffer
// as soon as the call returns, and a handler may keep the event for later. The copy lives in the
// event object itself, right after its fields (`allocate`), so reading an event costs one managed
// allocation, freed by the GC with the event. String fields are byte spans into the copy, decoded
// on first access and cached.
import { HeaderMap } from './header-map';
import { appendHeaders, findHeader } from './header-lookup';
import { decodeString } from './json-decode';
import { CLOSE_BRACE, COLON, COMMA, OPEN_BRACE, QUOTE, beginScan, byteAt, expect, fail, scanHeaders, scanString, scannedStringFlags, skipValue, skipWhitespace } from './json-scan';
import { isNull } from './nullable';
import { newZeroed } from './memory';

export class EventJson {
  // Every field's initial value is zero or null: `allocate` creates events without running
  // constructors (zero-filled memory), so keep it that way in this class and its subclasses.

  /** Where the JSON text is (inside this object) and where it ends; 0 for an event built with `new`. */
  protected text: usize = 0;
  protected textEnd: usize = 0;
  /** Offset of the `headers` object's `{` in the text, if `headerObjects` > 0. */
  protected headersAt: u32 = 0;
  /** How many `headers` members hold an object: 0, 1, or more in hand-written JSON. */
  protected headerObjects: u32 = 0;
  /** Offsets of the second and later `headers` objects, in input order. */
  protected moreHeaders: u32[] | null = null;
  /** The headers as a map, once built. */
  protected headerMap: HeaderMap | null = null;

  /**
   * The headers in the order the host sent them; names as sent (lower-case from the Sentinel
   * proxy). Built on first access; after that, `header(name)` reads this map.
   */
  get headers(): HeaderMap {
    let map = this.headerMap;
    if (map == null) {
      this.headerMap = map = new HeaderMap();
      const base = this.text;
      if (base != 0 && this.headerObjects > 0) {
        const end = this.textEnd;
        appendHeaders<HeaderMap>(base + this.headersAt, end, map);
        const more = this.moreHeaders;
        if (more != null) for (let i = 0; i < more.length; i++) appendHeaders<HeaderMap>(base + unchecked(more[i]), end, map);
      }
    }
    return map;
  }

  /**
   * The value of a header, looked up ignoring ASCII case; null if absent. Reads the JSON text in
   * place and decodes only the value it returns.
   */
  header(name: string): string | null {
    const map = this.headerMap;
    if (map != null) return map.get(name);
    if (this.headerObjects == 0) return null;
    const value = findHeader(this.text + this.headersAt, this.textEnd, name);
    if (!isNull(value) || this.headerObjects == 1) return value;
    return this.headers.get(name);
  }

  /**
   * Reads the `len` bytes of event JSON at `ptr` into a new event of class `T` (its own copy of
   * the text) and scans it: each member's key and value go to `T`'s `scanMember`, which returns
   * the position after a value it took, or 0 to have it skipped. `what` names the event in errors.
   */
  protected static scan<T extends EventJson>(ptr: usize, len: usize, what: string): T {
    const event = EventJson.allocate<T>(ptr, len);
    // The scan reads the event's own copy of the input: offsets are from its start.
    ptr = event.text;
    const end = ptr + len;
    beginScan(ptr, what);
    let p = skipWhitespace(expect(ptr, end, OPEN_BRACE), end);
    if (byteAt(p, end) == CLOSE_BRACE) p++;
    else {
      while (true) {
        if (byteAt(p, end) != QUOTE) fail(p, "expected '\"'");
        const key = p + 1;
        const keyEnd = scanString(key, end);
        const keyFlags = scannedStringFlags();
        p = skipWhitespace(expect(keyEnd + 1, end, COLON), end);
        const after = event.scanMember(key, keyEnd - key, keyFlags, p, end);
        p = skipWhitespace(after != 0 ? after : skipValue(p, end), end);
        const next = byteAt(p, end);
        if (next == COMMA) {
          p = skipWhitespace(p + 1, end);
          continue;
        }
        if (next != CLOSE_BRACE) fail(p, "expected '}'");
        p++;
        break;
      }
    }
    p = skipWhitespace(p, end);
    if (p != end) fail(p, 'unexpected data after the value');
    return event;
  }

  /**
   * Takes the value at `p` of the member whose key is the `n` bytes at `key` (with the scan's
   * HAS_ESCAPE | NON_ASCII `flags`): returns the position after the value, or 0 to skip it.
   */
  protected scanMember(key: usize, n: usize, flags: u32, p: usize, end: usize): usize {
    return 0;
  }

  /** Takes a `headers` member's value at `p` if it is an object; returns 0 otherwise (skipped). */
  protected scanHeadersMember(p: usize, end: usize): usize {
    if (byteAt(p, end) != OPEN_BRACE) return 0;
    this.addHeaderObject(<u32>(p - this.text));
    return scanHeaders(p, end);
  }

  /** The span ((offset << 32) | length) of the string value at `p` (its `"`), which the scan checks. */
  protected scanStringMember(p: usize, end: usize): u64 {
    const valueEnd = scanString(p + 1, end);
    return ((<u64>(p + 1 - this.text)) << 32) | <u64>(valueEnd - p - 1);
  }

  /**
   * Allocates an event of class `T` (all fields zero or null) with a copy of the `len` bytes at
   * `ptr` after its fields, and points `text` at the copy. The GC sees an ordinary `T`: it visits
   * the declared fields only, and frees the trailing bytes with the object.
   */
  protected static allocate<T extends EventJson>(ptr: usize, len: usize): T {
    const size = offsetof<T>();
    const event = changetype<T>(newZeroed(size + len, idof<T>(), size));
    const text = changetype<usize>(event) + size;
    memory.copy(text, ptr, len);
    event.text = text;
    event.textEnd = text + len;
    return event;
  }

  private addHeaderObject(offset: u32): void {
    if (this.headerObjects++ == 0) {
      this.headersAt = offset;
      return;
    }
    let more = this.moreHeaders;
    if (more == null) this.moreHeaders = more = new Array<u32>();
    more.push(offset);
  }

  /** Decodes the string field at `span` ((offset << 32) | length, 0 if absent). */
  protected decodeField(span: u64, flags: u32): string {
    const len = <usize><u32>span;
    if (len == 0) return '';
    return decodeString(this.text + <usize>(span >>> 32), len, flags);
  }
}
