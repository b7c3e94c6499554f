// Writes JSON as UTF-8 straight into a raw heap block that grows by doubling; `finish` hands the
// block over as the handler's packed result, which the host frees with `dealloc`.
// Strings are escaped as JSON.stringify does: `"` `\` and control characters, and a lone
// surrogate as `\uXXXX`, so the output is always valid UTF-8 the host can decode strictly.
// @unmanaged for the same reason as JsonReader: no shadow-stack traffic in the byte loops.
import { packResult } from './memory';

// @ts-ignore: decorator
@unmanaged
export class JsonWriter {
  private base: usize;
  private pos: usize = 0;
  private capacity: usize;

  constructor(capacity: usize = 256) {
    this.capacity = capacity;
    this.base = heap.alloc(capacity);
  }

  /** Writes ASCII text as is: punctuation and keys, never user data. */
  raw(ascii: string): void {
    const n = <usize>ascii.length;
    this.reserve(n);
    const src = changetype<usize>(ascii);
    for (let i: usize = 0; i < n; i++) store<u8>(this.base + this.pos + i, load<u16>(src + (i << 1)));
    this.pos += n;
  }

  byte(c: u32): void {
    this.reserve(1);
    store<u8>(this.base + this.pos++, c);
  }

  integer(value: i32): void {
    this.raw(value.toString());
  }

  /**
   * Writes a quoted, escaped JSON string. Works in chunks: room for the worst case of a chunk
   * (6 bytes per unit, `\uXXXX`) is reserved once, then the bytes go out through a local cursor.
   */
  string(value: string): void {
    this.byte(0x22);
    let p = changetype<usize>(value);
    const end = p + (<usize>value.length << 1);
    while (p < end) {
      const chunkEnd = min(end, p + (CHUNK_UNITS << 1));
      this.reserve(((chunkEnd - p) >> 1) * 6 + 6); // + 6: a surrogate pair may straddle the chunk end
      let o = this.base + this.pos;
      while (p < chunkEnd) {
        const c = <u32>load<u16>(p);
        p += 2;
        if (c >= 0x20 && c < 0x80 && c != 0x22 && c != 0x5c) {
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
      this.pos = o - this.base;
    }
    this.byte(0x22);
  }

  /** Hands the block to the host as `(ptr << 32) | len` and frees the writer itself. */
  finish(): i64 {
    const packed = packResult(this.base, this.pos);
    heap.free(changetype<usize>(this));
    return packed;
  }

  private reserve(n: usize): void {
    if (this.pos + n <= this.capacity) return;
    let capacity = this.capacity << 1;
    while (capacity < this.pos + n) capacity <<= 1;
    this.base = heap.realloc(this.base, capacity);
    this.capacity = capacity;
  }
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
