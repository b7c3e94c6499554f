// A JSON reader that fails the way serde_json does under axum's `Json` extractor, so POST /wasm
// answers malformed bodies with SMG's texts: same messages, same `at line L column C` positions,
// same serde_path_to_error paths (`modules[0].name`). It is a streaming reader: the first problem
// met while walking the document in order wins, data errors (422) before later syntax errors (400).
//
// Position rules (serde_json): an error raised "at" the reader uses the index just past what was
// consumed; a "peek" error uses the index of the offending byte + 1. Lines are 1-based, columns
// count bytes since the last newline (so an error before any byte is `line 1 column 0`).

import { SerdeError, dataError, floatDisplay, rustDebugString, type SerdeCategory } from './serde-error.js';

const RECURSION_LIMIT = 128;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class SerdeJsonReader {
  readonly #b: Uint8Array;
  #i = 0;
  #depth = RECURSION_LIMIT;

  constructor(bytes: Uint8Array) {
    this.#b = bytes;
  }

  // --- positions and errors ------------------------------------------------------------------

  #at(index: number, err: SerdeError): SerdeError {
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < index; k++) {
      if (this.#b[k] === 0x0a) {
        line++;
        lineStart = k + 1;
      }
    }
    err.line = line;
    err.column = index - lineStart;
    return err;
  }

  /** serde_json `error()`: at the current index. */
  error(message: string, category: SerdeCategory = 'syntax'): SerdeError {
    return this.#at(this.#i, new SerdeError(message, category));
  }

  /** serde_json `peek_error()`: at the next byte (index + 1, capped at the length). */
  peekError(message: string, category: SerdeCategory = 'syntax'): SerdeError {
    return this.#at(Math.min(this.#i + 1, this.#b.length), new SerdeError(message, category));
  }

  /** serde_json `fix_position()`: gives an unpositioned (custom) error the current position. */
  fix(err: unknown): unknown {
    if (err instanceof SerdeError && !err.positioned) this.#at(this.#i, err);
    return err;
  }

  // --- bytes ----------------------------------------------------------------------------------

  /** Skips whitespace and returns the next byte without consuming it. */
  peek(): number | undefined {
    while (this.#i < this.#b.length) {
      const c = this.#b[this.#i]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) return c;
      this.#i++;
    }
    return undefined;
  }

  #peekRaw(): number | undefined {
    return this.#i < this.#b.length ? this.#b[this.#i] : undefined;
  }

  eat(): void {
    this.#i++;
  }

  /** Depth check done before entering `[` or `{`, as serde_json's check_recursion!. */
  enter(): void {
    if (--this.#depth === 0) throw this.peekError('recursion limit exceeded');
  }

  leave(): void {
    this.#depth++;
  }

  /** After the closing `]`/`}` check of a container: consumes it when it is next. */
  endSeq(): SerdeError | undefined {
    const c = this.peek();
    if (c === 0x5d) {
      this.eat();
      return undefined;
    }
    if (c === 0x2c) {
      this.eat();
      return this.peek() === 0x5d ? this.peekError('trailing comma') : this.peekError('trailing characters');
    }
    if (c === undefined) return this.peekError('EOF while parsing a list', 'eof');
    return this.peekError('trailing characters');
  }

  endMap(): SerdeError | undefined {
    const c = this.peek();
    if (c === 0x7d) {
      this.eat();
      return undefined;
    }
    if (c === 0x2c) return this.peekError('trailing comma');
    if (c === undefined) return this.peekError('EOF while parsing an object', 'eof');
    return this.peekError('trailing characters');
  }

  /** serde_json `end()`: only whitespace may follow the value. */
  end(): void {
    if (this.peek() !== undefined) throw this.peekError('trailing characters');
  }

  objectColon(): void {
    const c = this.peek();
    if (c === 0x3a) return this.eat();
    if (c === undefined) throw this.peekError('EOF while parsing an object', 'eof');
    throw this.peekError('expected `:`');
  }

  /** The rest of a literal (`ull` of null...): consumed byte by byte. */
  ident(rest: string): void {
    for (let k = 0; k < rest.length; k++) {
      const c = this.#peekRaw();
      if (c === undefined) throw this.error('EOF while parsing a value', 'eof');
      this.eat();
      if (c !== rest.charCodeAt(k)) throw this.error('expected ident');
    }
  }

  // --- strings and numbers -----------------------------------------------------------------------

  /** After the opening quote has been eaten: the string up to and including the closing quote. */
  string(): string {
    let start = this.#i;
    const chunks: string[] = [];
    const flush = (end: number): void => {
      if (end > start) {
        try {
          chunks.push(utf8.decode(this.#b.subarray(start, end)));
        } catch {
          throw this.error('invalid unicode code point');
        }
      }
    };
    for (;;) {
      const c = this.#peekRaw();
      if (c === undefined) throw this.error('EOF while parsing a string', 'eof');
      if (c === 0x22) {
        flush(this.#i);
        this.eat();
        return chunks.join('');
      }
      if (c === 0x5c) {
        flush(this.#i);
        this.eat();
        chunks.push(this.#escape());
        start = this.#i;
        continue;
      }
      if (c < 0x20) {
        this.eat();
        throw this.error('control character (\\u0000-\\u001F) found while parsing a string');
      }
      this.eat();
    }
  }

  #escape(): string {
    const c = this.#peekRaw();
    if (c === undefined) throw this.error('EOF while parsing a string', 'eof');
    this.eat();
    switch (c) {
      case 0x22:
        return '"';
      case 0x5c:
        return '\\';
      case 0x2f:
        return '/';
      case 0x62:
        return '\b';
      case 0x66:
        return '\f';
      case 0x6e:
        return '\n';
      case 0x72:
        return '\r';
      case 0x74:
        return '\t';
      case 0x75: {
        const high = this.#hex4();
        if (high >= 0xdc00 && high <= 0xdfff) throw this.error('lone leading surrogate in hex escape');
        if (high < 0xd800 || high > 0xdbff) return String.fromCharCode(high);
        if (this.#peekRaw() !== 0x5c) throw this.error('unexpected end of hex escape');
        this.eat();
        if (this.#peekRaw() !== 0x75) throw this.error('unexpected end of hex escape');
        this.eat();
        const low = this.#hex4();
        if (low < 0xdc00 || low > 0xdfff) throw this.error('lone leading surrogate in hex escape');
        return String.fromCharCode(high, low);
      }
      default:
        throw this.error('invalid escape');
    }
  }

  #hex4(): number {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = this.#peekRaw();
      if (c === undefined) throw this.error('EOF while parsing a string', 'eof');
      this.eat();
      const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
      if (digit < 0) throw this.error('invalid escape');
      n = n * 16 + digit;
    }
    return n;
  }

  #digits(): boolean {
    let any = false;
    for (let c = this.#peekRaw(); c !== undefined && c >= 0x30 && c <= 0x39; c = this.#peekRaw()) {
      this.eat();
      any = true;
    }
    return any;
  }

  /** A number at the cursor (sign included); returns its text and value. */
  number(): { text: string; value: number; integer: boolean } {
    const start = this.#i;
    if (this.#peekRaw() === 0x2d) this.eat();
    const first = this.#peekRaw();
    if (first === undefined) throw this.error('EOF while parsing a value', 'eof');
    if (first === 0x30) {
      this.eat();
      const next = this.#peekRaw();
      if (next !== undefined && next >= 0x30 && next <= 0x39) throw this.peekError('invalid number');
    } else if (first >= 0x31 && first <= 0x39) {
      this.#digits();
    } else {
      this.eat();
      throw this.error('invalid number');
    }
    let integer = true;
    if (this.#peekRaw() === 0x2e) {
      integer = false;
      this.eat();
      if (!this.#digits()) throw this.#peekRaw() === undefined ? this.peekError('EOF while parsing a value', 'eof') : this.peekError('invalid number');
    }
    const e = this.#peekRaw();
    if (e === 0x65 || e === 0x45) {
      integer = false;
      this.eat();
      const sign = this.#peekRaw();
      if (sign === 0x2b || sign === 0x2d) this.eat();
      if (!this.#digits()) throw this.#peekRaw() === undefined ? this.peekError('EOF while parsing a value', 'eof') : this.peekError('invalid number');
    }
    const text = new TextDecoder().decode(this.#b.subarray(start, this.#i));
    const value = Number(text);
    if (!Number.isFinite(value)) throw this.error('number out of range');
    if (integer) {
      const big = BigInt(text);
      if (big > 18446744073709551615n || big < -9223372036854775808n) integer = false;
    }
    return { text, value, integer };
  }

  // --- values ---------------------------------------------------------------------------------

  /** Any JSON value (what serde reads for fields it ignores), as a JS value. */
  value(): unknown {
    const c = this.peek();
    if (c === undefined) throw this.peekError('EOF while parsing a value', 'eof');
    switch (c) {
      case 0x6e:
        this.eat();
        this.ident('ull');
        return null;
      case 0x74:
        this.eat();
        this.ident('rue');
        return true;
      case 0x66:
        this.eat();
        this.ident('alse');
        return false;
      case 0x22:
        this.eat();
        return this.string();
      case 0x5b:
        return this.#array();
      case 0x7b:
        return this.#object();
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number().value;
        throw this.peekError('expected value');
    }
  }

  #array(): unknown[] {
    this.enter();
    this.eat();
    const out: unknown[] = [];
    let first = true;
    for (;;) {
      let c = this.peek();
      if (c === 0x5d) {
        this.eat();
        break;
      }
      if (c === 0x2c && !first) {
        this.eat();
        c = this.peek();
        if (c === 0x5d) throw this.peekError('trailing comma');
      } else if (c !== undefined) {
        if (!first) throw this.peekError('expected `,` or `]`');
      } else {
        throw this.peekError('EOF while parsing a list', 'eof');
      }
      first = false;
      out.push(this.value());
    }
    this.leave();
    return out;
  }

  #object(): Record<string, unknown> {
    this.enter();
    this.eat();
    const out: Record<string, unknown> = {};
    let first = true;
    for (;;) {
      const key = this.mapKey(first);
      if (key === undefined) break;
      first = false;
      this.objectColon();
      out[key] = this.value();
    }
    this.eat(); // the `}` mapKey stopped at
    this.leave();
    return out;
  }

  /**
   * serde_json MapAccess::next_key_seed: the next key (opening quote to closing quote), or
   * undefined at `}` (not consumed).
   */
  mapKey(first: boolean): string | undefined {
    let c = this.peek();
    if (c === 0x7d) return undefined;
    if (c === 0x2c && !first) {
      this.eat();
      c = this.peek();
    } else if (c !== undefined) {
      if (!first) throw this.peekError('expected `,` or `}`');
    } else {
      throw this.peekError('EOF while parsing an object', 'eof');
    }
    if (c === 0x22) {
      this.eat();
      return this.string();
    }
    if (c === 0x7d) throw this.peekError('trailing comma');
    if (c === undefined) throw this.peekError('EOF while parsing a value', 'eof');
    throw this.peekError('key must be a string');
  }

  /**
   * serde_json peek_invalid_type: consumes the offending scalar (not a container) and returns
   * `invalid type: <what>, expected <expected>` positioned after it.
   */
  invalidType(expected: string): SerdeError {
    const c = this.peek();
    let what: string;
    if (c === 0x6e) {
      this.eat();
      this.ident('ull');
      what = 'null';
    } else if (c === 0x74) {
      this.eat();
      this.ident('rue');
      what = 'boolean `true`';
    } else if (c === 0x66) {
      this.eat();
      this.ident('alse');
      what = 'boolean `false`';
    } else if (c === 0x2d || (c !== undefined && c >= 0x30 && c <= 0x39)) {
      const n = this.number();
      what = n.integer ? `integer \`${n.text}\`` : `floating point \`${floatDisplay(n.value)}\``;
    } else if (c === 0x22) {
      this.eat();
      what = `string ${rustDebugString(this.string())}`;
    } else if (c === 0x5b) {
      what = 'sequence';
    } else if (c === 0x7b) {
      what = 'map';
    } else {
      return this.peekError('expected value');
    }
    return this.fix(dataError(`invalid type: ${what}, expected ${expected}`)) as SerdeError;
  }
}
