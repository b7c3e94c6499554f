// Reading a headers object the scan (json-scan.ts) has checked: a lookup walks it comparing names
// in place, folding ASCII case, and decodes only the value it returns.

import { isNull } from './nullable';
import { decodeString } from './json-decode';
import { CLOSE_BRACE, CLOSE_BRACKET, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE, BACKSLASH, scanString, scannedStringFlags, skipContainer, skipWhitespace } from './json-scan';

/** `c` with A-Z folded to a-z; every other code unit unchanged. */
// @ts-ignore: decorator
@inline
export function asciiLower(c: u32): u32 {
  return c - 0x41 < 26 ? c | 0x20 : c;
}

/**
 * In checked input ending at `end`, skips the value at `p` (after whitespace); returns the
 * position after it.
 */
function skipCheckedValue(p: usize, end: usize): usize {
  const c = <u32>load<u8>(p);
  if (c == QUOTE) return scanString(p + 1, end) + 1;
  if (c == OPEN_BRACE || c == OPEN_BRACKET) return skipContainer(p, end);
  // a number, true, false or null: up to the next delimiter
  while (true) {
    const d = <u32>load<u8>(p);
    if (d == COMMA || d == CLOSE_BRACE || d == CLOSE_BRACKET || d <= 0x20) return p;
    p++;
  }
}

/**
 * Compares the name of a header (the contents of a checked JSON string at `key`) with `name`,
 * folding ASCII case: 1 equal, 0 not equal, -1 undecided (the key has an escape or non-ASCII
 * before the first difference: decode it and compare the strings).
 */
function compareName(key: usize, name: string): i32 {
  const n = <usize>name.length;
  const units = changetype<usize>(name);
  for (let i: usize = 0; i < n; i++) {
    const b = <u32>load<u8>(key + i);
    if (b == QUOTE) return 0; // the key is shorter
    if (b >= 0x80 || b == BACKSLASH) return -1;
    const u = <u32>load<u16>(units + (i << 1));
    if (b != u && asciiLower(b) != asciiLower(u)) return 0;
  }
  return <u32>load<u8>(key + n) == QUOTE ? 1 : 0;
}

/** Compares two strings, folding A-Z to a-z; other characters must match exactly. */
export function equalsIgnoreAsciiCase(a: string, b: string): bool {
  const n = a.length;
  if (n != b.length) return false;
  const pa = changetype<usize>(a);
  const pb = changetype<usize>(b);
  for (let i: usize = 0, bytes = <usize>n << 1; i < bytes; i += 2) {
    const x = <u32>load<u16>(pa + i);
    const y = <u32>load<u16>(pb + i);
    if (x != y && asciiLower(x) != asciiLower(y)) return false;
  }
  return true;
}

/** The string `decodeAt` or `decodeJoined` decoded last (their second result). */
let lastDecoded: string = '';

/** Decodes the checked string whose contents start at `p` (`lastDecoded`); returns the position after it. */
function decodeAt(p: usize, end: usize): usize {
  const close = scanString(p, end);
  lastDecoded = decodeString(p, close - p, scannedStringFlags());
  return close + 1;
}

/**
 * Decodes the strings of the checked array at `p` (its `[`) joined with ", " (other elements are
 * skipped) into `lastDecoded`; returns the position after the array.
 */
function decodeJoined(p: usize, end: usize): usize {
  let joined: string | null = null;
  p = skipWhitespace(p + 1, end);
  while (<u32>load<u8>(p) != CLOSE_BRACKET) {
    if (<u32>load<u8>(p) == QUOTE) {
      p = decodeAt(p + 1, end);
      joined = isNull(joined) ? lastDecoded : changetype<string>(joined) + ', ' + lastDecoded;
    } else {
      p = skipCheckedValue(p, end);
    }
    p = skipWhitespace(p, end);
    if (<u32>load<u8>(p) == COMMA) p = skipWhitespace(p + 1, end);
  }
  lastDecoded = isNull(joined) ? '' : changetype<string>(joined);
  return p + 1;
}

/**
 * Looks `name` up in the checked headers object at `p` (its `{`; the text ends at `end`),
 * ignoring ASCII case: the value of the first header with that name whose value is a string or
 * an array of them (joined with ", "); null if there is none.
 */
export function findHeader(p: usize, end: usize, name: string): string | null {
  p = skipWhitespace(p + 1, end);
  while (<u32>load<u8>(p) == QUOTE) {
    const key = p + 1;
    const keyEnd = scanString(key, end);
    let same = compareName(key, name);
    if (same < 0) same = <i32>equalsIgnoreAsciiCase(decodeString(key, keyEnd - key, scannedStringFlags()), name);
    p = skipWhitespace(keyEnd + 1, end); // at the colon
    p = skipWhitespace(p + 1, end);
    const c = <u32>load<u8>(p);
    if (same) {
      if (c == QUOTE) {
        decodeAt(p + 1, end);
        return lastDecoded;
      }
      if (c == OPEN_BRACKET) {
        decodeJoined(p, end);
        return lastDecoded;
      }
    }
    p = skipWhitespace(skipCheckedValue(p, end), end);
    if (<u32>load<u8>(p) == COMMA) p = skipWhitespace(p + 1, end);
  }
  return null;
}

/**
 * Appends every header of the checked headers object at `p` (its `{`; the text ends at `end`)
 * whose value is a string or an array of them to `into` (a HeaderMap), in input order.
 */
export function appendHeaders<T>(p: usize, end: usize, into: T): void {
  p = skipWhitespace(p + 1, end);
  while (<u32>load<u8>(p) == QUOTE) {
    p = decodeAt(p + 1, end);
    const name = lastDecoded;
    p = skipWhitespace(p, end); // at the colon
    p = skipWhitespace(p + 1, end);
    const c = <u32>load<u8>(p);
    if (c == QUOTE) {
      p = decodeAt(p + 1, end);
      into.append(name, lastDecoded);
    } else if (c == OPEN_BRACKET) {
      p = decodeJoined(p, end);
      into.append(name, lastDecoded);
    } else {
      p = skipCheckedValue(p, end);
    }
    p = skipWhitespace(p, end);
    if (<u32>load<u8>(p) == COMMA) p = skipWhitespace(p + 1, end);
  }
}
