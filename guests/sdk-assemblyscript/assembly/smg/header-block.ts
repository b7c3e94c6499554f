// The header list of a request or response as the host lowered it, kept as one managed copy of its
// bytes and decoded only as it is read: a lookup compares names in place and decodes the one value
// it returns. Lifting every header into a `Header` of two strings at once cost two decodes and three
// allocations per header, most of an on-request call for a handler that reads one header.
import { readString } from '../canonical/lift';
import { freeArgument } from '../canonical/memory';
import { asciiLower, equalsIgnoreAsciiCase } from '../sentinel/header-lookup';
import { Header } from './header';

/** Bytes of one entry in the index at the start of a block: name offset, name length, value offset, value length. */
const ENTRY: usize = 16;

/** Whether the UTF-8 name at (ptr, len) equals `name`, ignoring ASCII case only (as equalsIgnoreAsciiCase). */
function nameMatches(ptr: usize, len: usize, name: string): bool {
  const n = <usize>name.length;
  const chars = changetype<usize>(name);
  const common = min(len, n);
  let i: usize = 0;
  for (; i < common; i++) {
    const b = <u32>load<u8>(ptr + i);
    if (b >= 0x80) break;
    const c = <u32>load<u16>(chars + (i << 1));
    if (b != c && asciiLower(b) != asciiLower(c)) return false;
  }
  if (i == common) {
    // All compared bytes ASCII, one character each: equal lengths match; a shorter name cannot.
    if (len <= n) return len == n;
    // Longer: only non-ASCII bytes after the common part could decode to nothing (an invalid,
    // truncated sequence is dropped by the decoder), so without one it cannot match either.
    let ascii = true;
    for (let j = common; j < len; j++) if (load<u8>(ptr + j) >= 0x80) ascii = false;
    if (ascii) return false;
  }
  // A non-ASCII byte (rare in a header name): compare the decoded name, as the eager lifting did.
  return equalsIgnoreAsciiCase(String.UTF8.decodeUnsafe(ptr, len), name);
}

export class HeaderBlock {
  /** `count` index entries (see ENTRY; offsets from the start of `data`), then the names' and values' bytes. */
  private data: StaticArray<u8>;
  readonly count: i32;

  private constructor(data: StaticArray<u8>, count: i32) {
    this.data = data;
    this.count = count;
  }

  /** Copies a list<header> argument (16-byte records: name ptr/len, value ptr/len) and frees its buffers. */
  static take(list: usize, count: usize): HeaderBlock {
    const n = <i32>count;
    let bytes: usize = <usize>n * ENTRY;
    for (let i = 0; i < n; i++) {
      const at = list + <usize>i * ENTRY;
      bytes += <usize>load<u32>(at, 4) + <usize>load<u32>(at, 12);
    }
    const data = new StaticArray<u8>(<i32>bytes);
    const base = changetype<usize>(data);
    let w: usize = <usize>n * ENTRY;
    for (let i = 0; i < n; i++) {
      const at = list + <usize>i * ENTRY;
      const entry = base + <usize>i * ENTRY;
      const namePtr = <usize>load<u32>(at);
      const nameLen = <usize>load<u32>(at, 4);
      const valuePtr = <usize>load<u32>(at, 8);
      const valueLen = <usize>load<u32>(at, 12);
      memory.copy(base + w, namePtr, nameLen);
      store<u32>(entry, <u32>w);
      store<u32>(entry, <u32>nameLen, 4);
      w += nameLen;
      memory.copy(base + w, valuePtr, valueLen);
      store<u32>(entry, <u32>w, 8);
      store<u32>(entry, <u32>valueLen, 12);
      w += valueLen;
      freeArgument(namePtr);
      freeArgument(valuePtr);
    }
    freeArgument(list);
    return new HeaderBlock(data, n);
  }

  /** The index of the first header at or after `from` named `name` (ASCII case ignored), or -1. */
  indexOf(name: string, from: i32 = 0): i32 {
    const base = changetype<usize>(this.data);
    for (let i = from, n = this.count; i < n; i++) {
      const entry = base + <usize>i * ENTRY;
      if (nameMatches(base + <usize>load<u32>(entry), <usize>load<u32>(entry, 4), name)) return i;
    }
    return -1;
  }

  /** The value of header `i`, decoded. */
  valueAt(i: i32): string {
    const base = changetype<usize>(this.data);
    const entry = base + <usize>i * ENTRY;
    return readString(base + <usize>load<u32>(entry, 8), <usize>load<u32>(entry, 12));
  }

  /** The name of header `i`, decoded. */
  nameAt(i: i32): string {
    const base = changetype<usize>(this.data);
    const entry = base + <usize>i * ENTRY;
    return readString(base + <usize>load<u32>(entry), <usize>load<u32>(entry, 4));
  }

  /** Every header, decoded. */
  toHeaders(): Header[] {
    const n = this.count;
    const out = new Array<Header>(n);
    for (let i = 0; i < n; i++) unchecked((out[i] = new Header(this.nameAt(i), this.valueAt(i))));
    return out;
  }
}
