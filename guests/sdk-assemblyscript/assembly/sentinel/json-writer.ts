// Writes the result JSON as UTF-8 straight into one raw block (memory.ts's `resultBlock`: usually
// the block of the previous result, given back by the host), growing it by doubling; `endJson`
// hands it to the host as the handler's packed result.
// Strings are escaped as JSON.stringify does: `"` `\` and control characters, and a lone
// surrogate as `\uXXXX`, so the output is always valid UTF-8 the host can decode strictly.
// The writer's state is a few module globals: there is one result being written at a time, and
// nothing is allocated to write it.
import { handOver, resultBlock } from './memory';

const INITIAL_CAPACITY: usize = 256;

let base: usize = 0;
let pos: usize = 0;
let capacity: usize = 0;

/** Starts a result. */
export function beginJson(): void {
  const block = resultBlock(INITIAL_CAPACITY);
  base = <usize>(block >>> 32);
  capacity = <usize><u32>block;
  pos = 0;
}

/** Hands the result to the host as `(ptr << 32) | len`. */
export function endJson(): i64 {
  return handOver(base, capacity, pos);
}

// @ts-ignore: decorator
@inline
function reserve(n: usize): void {
  if (pos + n > capacity) grow(n);
}

function grow(n: usize): void {
  let c = capacity << 1;
  while (c < pos + n) c <<= 1;
  base = heap.realloc(base, c);
  capacity = c;
}

/** Writes ASCII text as is: punctuation and keys, never user data. */
export function writeRaw(ascii: string): void {
  const n = <usize>ascii.length;
  reserve(n);
  const src = changetype<usize>(ascii);
  const o = base + pos;
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) store<u32>(o + i, narrow4(load<u64>(src + (i << 1))));
  for (; i < n; i++) store<u8>(o + i, load<u16>(src + (i << 1)));
  pos += n;
}

/** Four UTF-16 units below 0x100 (one u64) as four bytes (one u32). */
// @ts-ignore: decorator
@inline
function narrow4(v: u64): u32 {
  return <u32>((v & 0xff) | ((v >> 8) & 0xff00) | ((v >> 16) & 0xff0000) | ((v >> 24) & 0xff000000));
}

const LANE_ONES: u64 = 0x0001000100010001;
const LANE_HIGHS: u64 = 0x8000800080008000;

/** Non-zero if any of four UTF-16 units needs more than copying as one byte (see writeString). */
// @ts-ignore: decorator
@inline
function notPlain4(v: u64): u64 {
  const q = v ^ 0x0022002200220022; // a zero lane where v has a quote
  const b = v ^ 0x005c005c005c005c; // a zero lane where v has a backslash
  return (v & 0xff80ff80ff80ff80) // >= 0x80
    | ((v - 0x0020002000200020) & ~v & LANE_HIGHS) // < 0x20
    | ((q - LANE_ONES) & ~q & LANE_HIGHS)
    | ((b - LANE_ONES) & ~b & LANE_HIGHS);
}

// @ts-ignore: decorator
@inline
export function writeByte(c: u32): void {
  reserve(1);
  store<u8>(base + pos++, c);
}

/** Writes an integer in decimal. */
export function writeInteger(value: i32): void {
  reserve(11);
  let o = base + pos;
  let v = <u32>value;
  if (value < 0) {
    store<u8>(o++, 0x2d); // -
    v = -v;
  }
  let digits: usize = 1;
  for (let t = v; t >= 10; t /= 10) digits++;
  for (let i = digits; i > 0; i--) {
    store<u8>(o + i - 1, 0x30 + v % 10);
    v /= 10;
  }
  pos = o + digits - base;
}

/**
 * Writes a quoted, escaped JSON string. Works in chunks: room for the worst case of a chunk
 * (6 bytes per unit, `\uXXXX`) is reserved once, then the bytes go out through a local cursor.
 */
export function writeString(value: string): void {
  let p = changetype<usize>(value);
  const end = p + (<usize>value.length << 1);
  reserve(1);
  store<u8>(base + pos++, 0x22);
  while (p < end) {
    const chunkEnd = min(end, p + (CHUNK_UNITS << 1));
    reserve(((chunkEnd - p) >> 1) * 6 + 7); // + 6: a surrogate pair may straddle the chunk end; + 1: the closing quote
    let o = base + pos;
    while (p < chunkEnd) {
      if (p + 8 <= chunkEnd) {
        const v = load<u64>(p);
        if (notPlain4(v) == 0) { // four printable ASCII characters, none to escape
          store<u32>(o, narrow4(v));
          o += 4;
          p += 8;
          continue;
        }
      }
      const c = <u32>load<u16>(p);
      p += 2;
      if (c - 0x20 < 0x60 && c != 0x22 && c != 0x5c) {
        store<u8>(o++, c);
      } else if (c < 0x80) {
        o = escapeAscii(o, c);
      } else if (c < 0x800) {
        store<u8>(o++, 0xc0 | (c >> 6));
        store<u8>(o++, 0x80 | (c & 0x3f));
      } else if (c - 0xd800 >= 0x800) {
        store<u8>(o++, 0xe0 | (c >> 12));
        store<u8>(o++, 0x80 | ((c >> 6) & 0x3f));
        store<u8>(o++, 0x80 | (c & 0x3f));
      } else if (c < 0xdc00 && p < end && <u32>load<u16>(p) - 0xdc00 < 0x400) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (<u32>load<u16>(p) - 0xdc00);
        p += 2;
        store<u8>(o++, 0xf0 | (cp >> 18));
        store<u8>(o++, 0x80 | ((cp >> 12) & 0x3f));
        store<u8>(o++, 0x80 | ((cp >> 6) & 0x3f));
        store<u8>(o++, 0x80 | (cp & 0x3f));
      } else {
        o = unicodeEscape(o, c); // a lone surrogate has no UTF-8 form
      }
    }
    pos = o - base;
  }
  reserve(1);
  store<u8>(base + pos++, 0x22);
}

/** Units of a string written per reserved chunk. */
const CHUNK_UNITS: usize = 1024;

/** Writes a 2-byte escape, or \uXXXX for other control characters, at `o`; returns the new end. */
function escapeAscii(o: usize, c: u32): usize {
  let short: u32 = 0;
  switch (c) {
    case 0x22: short = 0x22; break; // "
    case 0x5c: short = 0x5c; break; // \
    case 0x08: short = 0x62; break; // b
    case 0x0c: short = 0x66; break; // f
    case 0x0a: short = 0x6e; break; // n
    case 0x0d: short = 0x72; break; // r
    case 0x09: short = 0x74; break; // t
  }
  if (short == 0) return unicodeEscape(o, c);
  store<u8>(o, 0x5c);
  store<u8>(o + 1, short);
  return o + 2;
}

/** Writes \uXXXX (lower-case hex) at `o`; returns the new end. */
function unicodeEscape(o: usize, c: u32): usize {
  store<u8>(o, 0x5c);
  store<u8>(o + 1, 0x75);
  for (let i: usize = 0; i < 4; i++) {
    const nibble = (c >> (12 - 4 * <u32>i)) & 0xf;
    store<u8>(o + 2 + i, nibble < 10 ? 0x30 + nibble : 0x57 + nibble); // 0-9, a-f
  }
  return o + 6;
}
