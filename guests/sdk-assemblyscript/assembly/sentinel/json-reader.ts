// A small JSON reader over UTF-8 bytes in linear memory, for the host's event objects. It reads
// strings (every escape, `\uXXXX` and surrogate pairs included), integers, objects and arrays,
// and skips any value it is not asked for, so unknown keys and key order do not matter.
// Malformed input aborts naming the byte offset: the host always sends valid JSON, so that is a
// host bug, and a trap is the honest answer.
//
// The reader is @unmanaged (a raw block, invisible to the GC): with a managed `this`, the
// incremental runtime spills the reference to its shadow stack around every field access, which
// made parsing about 60% slower. Whoever creates one frees it with `dispose()`.

const QUOTE: u32 = 0x22; // "
const BACKSLASH: u32 = 0x5c; // \
const COMMA: u32 = 0x2c;
const COLON: u32 = 0x3a;
const OPEN_BRACE: u32 = 0x7b;
const CLOSE_BRACE: u32 = 0x7d;
const OPEN_BRACKET: u32 = 0x5b;
const CLOSE_BRACKET: u32 = 0x5d;
const MINUS: u32 = 0x2d;

// @ts-ignore: decorator
@unmanaged
export class JsonReader {
  private pos: usize;
  private readonly start: usize;
  private readonly end: usize;

  constructor(ptr: usize, len: usize, private readonly what: string) {
    this.pos = ptr;
    this.start = ptr;
    this.end = ptr + len;
  }

  /** Frees the reader (it is not garbage-collected). */
  dispose(): void {
    heap.free(changetype<usize>(this));
  }

  /** The next non-whitespace byte without consuming it; 0 at the end of input. */
  peek(): u32 {
    this.skipWhitespace();
    return this.pos < this.end ? <u32>load<u8>(this.pos) : 0;
  }

  isString(): bool {
    return this.peek() == QUOTE;
  }

  isObject(): bool {
    return this.peek() == OPEN_BRACE;
  }

  isArray(): bool {
    return this.peek() == OPEN_BRACKET;
  }

  isNumber(): bool {
    const c = this.peek();
    return c == MINUS || (c >= 0x30 && c <= 0x39);
  }

  /** Consumes `{`; true if the object has a first member (then read its key). */
  beginObject(): bool {
    this.expect(OPEN_BRACE);
    return !this.consumeIf(CLOSE_BRACE);
  }

  /** After a member's value: true if another member follows, false after the closing `}`. */
  nextMember(): bool {
    if (this.consumeIf(COMMA)) return true;
    this.expect(CLOSE_BRACE);
    return false;
  }

  /** Reads a member's key and the `:` after it. */
  key(): string {
    const key = this.string();
    this.expect(COLON);
    return key;
  }

  /** Consumes `[`; true if the array has a first element. */
  beginArray(): bool {
    this.expect(OPEN_BRACKET);
    return !this.consumeIf(CLOSE_BRACKET);
  }

  /** After an element: true if another element follows, false after the closing `]`. */
  nextElement(): bool {
    if (this.consumeIf(COMMA)) return true;
    this.expect(CLOSE_BRACKET);
    return false;
  }

  /** Only whitespace may follow the top-level value. */
  finish(): void {
    if (this.peek() != 0) this.fail('unexpected data after the value');
  }

  /** Reads a JSON number's integer part (fraction and exponent are consumed and dropped). */
  integer(): i32 {
    this.skipWhitespace();
    const negative = this.consumeIf(MINUS);
    let value: i64 = 0;
    let digits = 0;
    while (this.pos < this.end) {
      const c = <u32>load<u8>(this.pos);
      if (c < 0x30 || c > 0x39) break;
      if (value < 0x80000000) value = value * 10 + <i64>(c - 0x30);
      this.pos++;
      digits++;
    }
    if (digits == 0) this.fail('expected a number');
    this.skipNumberTail();
    if (negative) value = -value;
    return <i32>min(max(value, <i64>i32.MIN_VALUE), <i64>i32.MAX_VALUE);
  }

  /** Reads a string value, decoding UTF-8 and escapes into an AssemblyScript (UTF-16) string. */
  string(): string {
    this.expect(QUOTE);
    const first = this.pos;
    let p = first;
    while (p < this.end) {
      const c = <u32>load<u8>(p);
      if (c == QUOTE) {
        this.pos = p + 1;
        return String.UTF8.decodeUnsafe(first, p - first);
      }
      if (c == BACKSLASH) return this.escapedString(first);
      p++;
    }
    this.pos = p;
    return this.fail('unterminated string');
  }

  /** Skips one value of any type, nested ones included, without recursion. */
  skipValue(): void {
    const c = this.peek();
    if (c == QUOTE) {
      this.skipString();
    } else if (c == OPEN_BRACE || c == OPEN_BRACKET) {
      this.skipContainer();
    } else if (c == MINUS || (c >= 0x30 && c <= 0x39)) {
      this.integer();
    } else if (!this.consumeWord('true') && !this.consumeWord('false') && !this.consumeWord('null')) {
      this.fail('expected a value');
    }
  }

  private skipContainer(): void {
    let depth = 0;
    do {
      const c = this.peek();
      if (c == QUOTE) {
        this.skipString();
        continue;
      }
      if (c == 0) this.fail('unterminated object or array');
      if (c == OPEN_BRACE || c == OPEN_BRACKET) depth++;
      else if (c == CLOSE_BRACE || c == CLOSE_BRACKET) depth--;
      this.pos++;
    } while (depth > 0);
  }

  private skipString(): void {
    this.expect(QUOTE);
    while (this.pos < this.end) {
      const c = <u32>load<u8>(this.pos);
      this.pos += c == BACKSLASH ? 2 : 1;
      if (c == QUOTE) return;
    }
    this.fail('unterminated string');
  }

  private skipNumberTail(): void {
    while (this.pos < this.end) {
      const c = <u32>load<u8>(this.pos);
      // digits, '.', 'e', 'E', '+', '-'
      if ((c >= 0x30 && c <= 0x39) || c == 0x2e || c == 0x65 || c == 0x45 || c == 0x2b || c == MINUS) this.pos++;
      else break;
    }
  }

  /**
   * The slow path for strings with escapes: decodes UTF-8 and escapes straight into a string
   * sized for the worst case (one UTF-16 unit per input byte), then trims it.
   */
  private escapedString(first: usize): string {
    const closing = this.findClosingQuote(first);
    const out = __new((closing - first) << 1, idof<String>());
    let o = out;
    this.pos = first;
    while (this.pos < closing) {
      const c = <u32>load<u8>(this.pos);
      if (c == BACKSLASH) {
        store<u16>(o, this.escape(closing));
        o += 2;
      } else if (c < 0x80) {
        store<u16>(o, c);
        o += 2;
        this.pos++;
      } else {
        o = this.utf8Sequence(closing, o);
      }
    }
    this.pos = closing + 1;
    return changetype<string>(__renew(out, o - out));
  }

  /** Decodes the escape at `pos` (a backslash) to one UTF-16 unit and moves past it. */
  private escape(closing: usize): u32 {
    const e = <u32>load<u8>(this.pos + 1);
    if (e == 0x75) { // u: four hex digits; a surrogate pair is two escapes, stored as two units
      if (this.pos + 6 > closing) this.fail('truncated \\u escape');
      const unit = this.hex4(this.pos + 2);
      this.pos += 6;
      return unit;
    }
    let unit: u32 = 0;
    switch (e) {
      case QUOTE: unit = QUOTE; break;
      case BACKSLASH: unit = BACKSLASH; break;
      case 0x2f: unit = 0x2f; break; // /
      case 0x62: unit = 0x08; break; // b
      case 0x66: unit = 0x0c; break; // f
      case 0x6e: unit = 0x0a; break; // n
      case 0x72: unit = 0x0d; break; // r
      case 0x74: unit = 0x09; break; // t
      default: this.fail('invalid escape');
    }
    this.pos += 2;
    return unit;
  }

  /**
   * Decodes the multi-byte UTF-8 sequence at `pos` (lead byte >= 0x80) into UTF-16 at `out` and
   * returns the new output end. A byte that does not start a valid sequence becomes U+FFFD, as
   * TextDecoder does.
   */
  private utf8Sequence(closing: usize, out: usize): usize {
    const p = this.pos;
    const lead = <u32>load<u8>(p);
    let need: usize = 0;
    let cp: u32 = 0;
    let lowest: u32 = 0x80;
    if (lead >= 0xc2 && lead <= 0xdf) {
      need = 1;
      cp = lead & 0x1f;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      need = 2;
      cp = lead & 0x0f;
      lowest = 0x800;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      need = 3;
      cp = lead & 0x07;
      lowest = 0x10000;
    }
    let ok = need > 0 && p + 1 + need <= closing;
    for (let i: usize = 1; ok && i <= need; i++) {
      const b = <u32>load<u8>(p + i);
      if ((b & 0xc0) != 0x80) ok = false;
      else cp = (cp << 6) | (b & 0x3f);
    }
    if (!ok || cp < lowest || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      store<u16>(out, 0xfffd);
      this.pos = p + 1;
      return out + 2;
    }
    this.pos = p + 1 + need;
    if (cp < 0x10000) {
      store<u16>(out, cp);
      return out + 2;
    }
    cp -= 0x10000;
    store<u16>(out, 0xd800 | (cp >> 10));
    store<u16>(out + 2, 0xdc00 | (cp & 0x3ff));
    return out + 4;
  }

  private findClosingQuote(from: usize): usize {
    let p = from;
    while (p < this.end) {
      const c = <u32>load<u8>(p);
      if (c == QUOTE) return p;
      p += c == BACKSLASH ? 2 : 1;
    }
    this.pos = this.end;
    this.fail('unterminated string');
    return 0;
  }

  private hex4(p: usize): u32 {
    let value: u32 = 0;
    for (let i: usize = 0; i < 4; i++) {
      const c = <u32>load<u8>(p + i);
      let digit: u32;
      if (c >= 0x30 && c <= 0x39) digit = c - 0x30;
      else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) digit = (c | 0x20) - 0x61 + 10;
      else {
        this.pos = p;
        this.fail('invalid \\u escape');
        return 0;
      }
      value = (value << 4) | digit;
    }
    return value;
  }

  private consumeWord(word: string): bool {
    const n = <usize>word.length;
    if (this.pos + n > this.end) return false;
    for (let i: usize = 0; i < n; i++) {
      if (<u32>load<u8>(this.pos + i) != <u32>word.charCodeAt(<i32>i)) return false;
    }
    this.pos += n;
    return true;
  }

  private consumeIf(c: u32): bool {
    if (this.peek() != c) return false;
    this.pos++;
    return true;
  }

  private expect(c: u32): void {
    if (!this.consumeIf(c)) this.fail(`expected '${String.fromCharCode(c)}'`);
  }

  private skipWhitespace(): void {
    while (this.pos < this.end) {
      const c = <u32>load<u8>(this.pos);
      if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) return;
      this.pos++;
    }
  }

  private fail(problem: string): string {
    throw new Error(`malformed ${this.what} JSON at byte ${this.pos - this.start}: ${problem}`);
  }
}
