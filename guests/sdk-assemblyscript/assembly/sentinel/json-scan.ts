// Step 1 of reading the host's event JSON (UTF-8 bytes in linear memory): the scan. When the event
// arrives, one pass over the event's own copy of the input checks that the text is JSON of the
// shape we read and records where things are, as byte offsets, without decoding anything: the
// string values the event has fields for and the `headers` object. Unknown keys, key order and
// whitespace do not matter. Malformed input aborts naming the byte offset: the host always sends
// valid JSON, so that is a host bug, and a trap is the honest answer.
//
// Step 2 is json-decode.ts (a string is decoded on first access) and header-lookup.ts (a header
// lookup walks the checked headers object comparing names in place).
//
// These are plain functions over pointers with their state in module globals: the reader itself
// allocates nothing (only the strings it returns), and no managed `this` is spilled to the shadow
// stack in the byte loops.

export const QUOTE: u32 = 0x22; // "
export const BACKSLASH: u32 = 0x5c; // \
export const COMMA: u32 = 0x2c;
export const COLON: u32 = 0x3a;
export const OPEN_BRACE: u32 = 0x7b;
export const CLOSE_BRACE: u32 = 0x7d;
export const OPEN_BRACKET: u32 = 0x5b;
export const CLOSE_BRACKET: u32 = 0x5d;
export const MINUS: u32 = 0x2d;

/** A scanned string holds at least one escape. */
export const HAS_ESCAPE: u32 = 1;
/** A scanned string holds bytes >= 0x80 (multi-byte UTF-8). */
export const NON_ASCII: u32 = 2;

/** The start of the input being scanned and what it is, for error messages. */
let inputStart: usize = 0;
let inputWhat: string = '';
/** HAS_ESCAPE | NON_ASCII of the last string `scanString` passed over. */
let lastStringFlags: u32 = 0;

/** Starts scanning the input at `ptr` ("request" or "response" names it in errors). */
// @ts-ignore: decorator
@inline
export function beginScan(ptr: usize, what: string): void {
  inputStart = ptr;
  inputWhat = what;
}

/** The flags of the string `scanString` passed over last. */
// @ts-ignore: decorator
@inline
export function scannedStringFlags(): u32 {
  return lastStringFlags;
}

/** Aborts: malformed input JSON, at byte `at` of the input. */
export function fail(at: usize, problem: string): usize {
  throw new Error(`malformed ${inputWhat} JSON at byte ${at - inputStart}: ${problem}`);
}

/**
 * The position of the first non-whitespace byte from `p` (or `end`). The host writes compact
 * JSON, so the usual case is one test and no loop.
 */
// @ts-ignore: decorator
@inline
export function skipWhitespace(p: usize, end: usize): usize {
  return p < end && <u32>load<u8>(p) <= 0x20 ? skipWhitespaceRun(p, end) : p;
}

function skipWhitespaceRun(p: usize, end: usize): usize {
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) break;
    p++;
  }
  return p;
}

/** The byte at `p`, or 0 at the end of input. */
// @ts-ignore: decorator
@inline
export function byteAt(p: usize, end: usize): u32 {
  return p < end ? <u32>load<u8>(p) : 0;
}

/** Checks for `c` at `p` (after whitespace) and returns the position after it. */
// @ts-ignore: decorator
@inline
export function expect(p: usize, end: usize, c: u32): usize {
  p = skipWhitespace(p, end);
  if (byteAt(p, end) != c) fail(p, expected(c));
  return p + 1;
}

function expected(c: u32): string {
  return `expected '${String.fromCharCode(c)}'`;
}

const ONES: u64 = 0x0101010101010101;
const HIGHS: u64 = 0x8080808080808080;

/**
 * Scans a string's contents from `p` (just past the opening quote) and returns the position of
 * the closing quote. Checks every escape; records HAS_ESCAPE / NON_ASCII (`scannedStringFlags`).
 * Reads eight bytes at a time: a word without a quote or backslash is skipped whole, otherwise the
 * scan jumps straight to the first one.
 */
export function scanString(p: usize, end: usize): usize {
  let flags: u32 = 0;
  while (true) {
    if (p + 8 <= end) {
      const v = load<u64>(p);
      const q = v ^ 0x2222222222222222; // a zero byte where v has a quote
      const b = v ^ 0x5c5c5c5c5c5c5c5c; // a zero byte where v has a backslash
      // The lowest set high bit marks the first quote or backslash (a zero-byte test can only
      // misfire in bytes above a real match).
      const stop = (((q - ONES) & ~q) | ((b - ONES) & ~b)) & HIGHS;
      if (stop == 0) {
        if (v & HIGHS) flags |= NON_ASCII;
        p += 8;
        continue;
      }
      const bits = ctz(stop) & ~7; // 8 x the index of that byte
      if (v & HIGHS & ((<u64>1 << bits) - 1)) flags |= NON_ASCII; // in the bytes before it
      p += <usize>(bits >> 3);
    } else if (p >= end) {
      break;
    }
    const c = <u32>load<u8>(p);
    if (c == QUOTE) {
      lastStringFlags = flags;
      return p;
    }
    if (c == BACKSLASH) {
      flags |= HAS_ESCAPE;
      p = checkEscape(p, end);
    } else {
      if (c >= 0x80) flags |= NON_ASCII;
      p++;
    }
  }
  return fail(end, 'unterminated string');
}

/** Checks the escape at `p` (a backslash) and returns the position after it. */
function checkEscape(p: usize, end: usize): usize {
  const e = byteAt(p + 1, end);
  if (e == 0x75) { // u: four hex digits (a surrogate pair is two escapes)
    for (let i: usize = 2; i < 6; i++) {
      const c = byteAt(p + i, end);
      if (c == QUOTE || p + i >= end) fail(p, 'truncated \\u escape');
      if (hexDigit(c) > 0xf) fail(p + 2, 'invalid \\u escape');
    }
    return p + 6;
  }
  // " \ / b f n r t
  if (e != QUOTE && e != BACKSLASH && e != 0x2f && e != 0x62 && e != 0x66 && e != 0x6e && e != 0x72 && e != 0x74) {
    fail(p, 'invalid escape');
  }
  return p + 2;
}

/** The value of a hex digit, or 0x10 and above if `c` is not one. */
// @ts-ignore: decorator
@inline
export function hexDigit(c: u32): u32 {
  if (c - 0x30 < 10) return c - 0x30;
  const l = (c | 0x20) - 0x61;
  return l < 6 ? l + 10 : 0x10;
}

/**
 * Skips one value of any type at `p` (after whitespace) and returns the position after it.
 * Objects and arrays are skipped by counting brackets outside strings; their contents are not
 * otherwise checked (these are values nobody reads).
 */
export function skipValue(p: usize, end: usize): usize {
  p = skipWhitespace(p, end);
  const c = byteAt(p, end);
  if (c == QUOTE) return scanString(p + 1, end) + 1;
  if (c == OPEN_BRACE || c == OPEN_BRACKET) return skipContainer(p, end);
  if (c == MINUS || c - 0x30 < 10) return skipNumber(p, end);
  if (isWord(p, end, 0x65757274, 4)) return p + 4; // true
  if (isWord(p, end, 0x6c6c756e, 4)) return p + 4; // null
  if (isWord(p, end, 0x736c6166, 4) && byteAt(p + 4, end) == 0x65) return p + 5; // false
  return fail(p, 'expected a value');
}

// @ts-ignore: decorator
@inline
function isWord(p: usize, end: usize, littleEndian: u32, n: usize): bool {
  return p + n <= end && load<u32>(p) == littleEndian;
}

export function skipContainer(p: usize, end: usize): usize {
  let depth = 0;
  while (true) {
    if (p >= end) return fail(p, 'unterminated object or array');
    const c = <u32>load<u8>(p);
    if (c == QUOTE) {
      p = scanString(p + 1, end) + 1;
      continue;
    }
    if (c == OPEN_BRACE || c == OPEN_BRACKET) depth++;
    else if (c == CLOSE_BRACE || c == CLOSE_BRACKET) {
      if (--depth == 0) return p + 1;
    }
    p++;
  }
}

function skipNumber(p: usize, end: usize): usize {
  if (byteAt(p, end) == MINUS) p++;
  const digits = p;
  while (p < end && <u32>load<u8>(p) - 0x30 < 10) p++;
  if (p == digits) fail(p, 'expected a number');
  return skipNumberTail(p, end);
}

// @ts-ignore: decorator
@inline
function skipNumberTail(p: usize, end: usize): usize {
  while (p < end) {
    const c = <u32>load<u8>(p);
    // digits, '.', 'e', 'E', '+', '-'
    if (c - 0x30 < 10 || c == 0x2e || c == 0x65 || c == 0x45 || c == 0x2b || c == MINUS) p++;
    else break;
  }
  return p;
}

/** The last integer `scanInteger` read. */
let lastInteger: i32 = 0;

/** Reads a JSON number's integer part, clamped to i32 (fraction and exponent are dropped). */
export function scanInteger(p: usize, end: usize): usize {
  const negative = byteAt(p, end) == MINUS;
  if (negative) p++;
  let value: i64 = 0;
  const digits = p;
  while (p < end) {
    const d = <u32>load<u8>(p) - 0x30;
    if (d >= 10) break;
    if (value < 0x80000000) value = value * 10 + <i64>d;
    p++;
  }
  if (p == digits) fail(p, 'expected a number');
  if (negative) value = -value;
  lastInteger = <i32>min(max(value, <i64>i32.MIN_VALUE), <i64>i32.MAX_VALUE);
  return skipNumberTail(p, end);
}

// @ts-ignore: decorator
@inline
export function scannedInteger(): i32 {
  return lastInteger;
}

/**
 * Checks a headers object at `p` (its `{`) and returns the position after its `}`. Names are
 * strings; a value is a string, an array (its string elements are the header's values), or
 * anything else (skipped when read).
 */
export function scanHeaders(p: usize, end: usize): usize {
  p = skipWhitespace(p + 1, end);
  if (byteAt(p, end) == CLOSE_BRACE) return p + 1;
  while (true) {
    if (byteAt(p, end) != QUOTE) fail(p, expected(QUOTE));
    p = expect(scanString(p + 1, end) + 1, end, COLON);
    p = skipWhitespace(p, end);
    const c = byteAt(p, end);
    if (c == QUOTE) p = scanString(p + 1, end) + 1;
    else if (c == OPEN_BRACKET) p = scanStringArray(p, end);
    else p = skipValue(p, end);
    p = skipWhitespace(p, end);
    const next = byteAt(p, end);
    if (next == CLOSE_BRACE) return p + 1;
    if (next != COMMA) fail(p, expected(CLOSE_BRACE));
    p = skipWhitespace(p + 1, end);
  }
}

/** Checks an array at `p` (its `[`) whose string elements are read; others are skipped. */
function scanStringArray(p: usize, end: usize): usize {
  p = skipWhitespace(p + 1, end);
  if (byteAt(p, end) == CLOSE_BRACKET) return p + 1;
  while (true) {
    if (byteAt(p, end) == QUOTE) p = scanString(p + 1, end) + 1;
    else p = skipValue(p, end);
    p = skipWhitespace(p, end);
    const next = byteAt(p, end);
    if (next == CLOSE_BRACKET) return p + 1;
    if (next != COMMA) fail(p, expected(CLOSE_BRACKET));
    p = skipWhitespace(p + 1, end);
  }
}
