// Step 2 of reading the host's event JSON: decoding a string the scan (json-scan.ts) has checked,
// on first access: UTF-8 and every escape, `\uXXXX` and surrogate pairs included.

import { BACKSLASH, HAS_ESCAPE, NON_ASCII, hexDigit } from './json-scan';

/** Decodes the `n` bytes of a scanned string's contents at `p`, given its flags. */
export function decodeString(p: usize, n: usize, flags: u32): string {
  if (n == 0) return '';
  if (flags & HAS_ESCAPE) return decodeEscaped(p, p + n);
  if (flags & NON_ASCII) return String.UTF8.decodeUnsafe(p, n);
  return decodeAscii(p, n);
}

/** ASCII bytes to UTF-16 units, four at a time. */
function decodeAscii(p: usize, n: usize): string {
  const out = __new(n << 1, idof<String>());
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) {
    const v = <u64>load<u32>(p + i);
    store<u64>(out + (i << 1), (v & 0xff) | ((v & 0xff00) << 8) | ((v & 0xff0000) << 16) | ((v & 0xff000000) << 24));
  }
  for (; i < n; i++) store<u16>(out + (i << 1), load<u8>(p + i));
  return changetype<string>(out);
}

/**
 * Decodes a string with escapes straight into a string sized for the worst case (one UTF-16 unit
 * per input byte), then trims it. Raw UTF-8 in it is decoded as TextDecoder does: a byte that does
 * not start a valid sequence becomes U+FFFD.
 */
function decodeEscaped(p: usize, end: usize): string {
  const out = __new((end - p) << 1, idof<String>());
  let o = out;
  while (p < end) {
    const c = <u32>load<u8>(p);
    if (c == BACKSLASH) {
      const e = <u32>load<u8>(p + 1);
      let unit: u32 = e; // " \ /
      if (e == 0x75) { // u: a surrogate pair is two escapes, stored as two units
        unit = (hexDigit(<u32>load<u8>(p + 2)) << 12) | (hexDigit(<u32>load<u8>(p + 3)) << 8) | (hexDigit(<u32>load<u8>(p + 4)) << 4) | hexDigit(<u32>load<u8>(p + 5));
        p += 4;
      } else if (e == 0x62) unit = 0x08; // b
      else if (e == 0x66) unit = 0x0c; // f
      else if (e == 0x6e) unit = 0x0a; // n
      else if (e == 0x72) unit = 0x0d; // r
      else if (e == 0x74) unit = 0x09; // t
      store<u16>(o, unit);
      o += 2;
      p += 2;
    } else if (c < 0x80) {
      store<u16>(o, c);
      o += 2;
      p++;
    } else {
      const packed = utf8Sequence(p, end, o);
      o = <usize>(packed >>> 32);
      p = <usize><u32>packed;
    }
  }
  return changetype<string>(__renew(out, o - out));
}

/**
 * Decodes the multi-byte UTF-8 sequence at `p` (lead byte >= 0x80) into UTF-16 at `o`; returns
 * `(new o << 32) | new p`. An invalid sequence gives U+FFFD for its first byte.
 */
function utf8Sequence(p: usize, end: usize, o: usize): u64 {
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
  let ok = need > 0 && p + 1 + need <= end;
  for (let i: usize = 1; ok && i <= need; i++) {
    const b = <u32>load<u8>(p + i);
    if ((b & 0xc0) != 0x80) ok = false;
    else cp = (cp << 6) | (b & 0x3f);
  }
  if (!ok || cp < lowest || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    store<u16>(o, 0xfffd);
    return ((<u64>(o + 2)) << 32) | <u64>(p + 1);
  }
  p += 1 + need;
  if (cp < 0x10000) {
    store<u16>(o, cp);
    return ((<u64>(o + 2)) << 32) | <u64>p;
  }
  cp -= 0x10000;
  store<u16>(o, 0xd800 | (cp >> 10));
  store<u16>(o + 2, 0xdc00 | (cp & 0x3ff));
  return ((<u64>(o + 4)) << 32) | <u64>p;
}
