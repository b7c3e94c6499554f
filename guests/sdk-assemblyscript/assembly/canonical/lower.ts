// Lowering a result: two passes. The caller first adds up the bytes the result needs (list
// elements, 4-byte aligned, then string and byte data), `openResult` allocates one block for all
// of it, and the `write*` functions fill it. Strings are encoded as UTF-8; an unpaired surrogate in
// an AssemblyScript string becomes U+FFFD, so the host always receives valid UTF-8.
import { allocResult } from './memory';

/** Bytes of `s` as UTF-8 (an unpaired surrogate counts as the 3 bytes of U+FFFD). */
// @ts-ignore: decorator
@inline
export function utf8Size(s: string): usize {
  return <usize>String.UTF8.byteLength(s);
}

/** Where the next list element goes; list elements come first in the block. */
let slotCursor: usize = 0;
/** Where the next string or byte data goes, after all list elements. */
let dataCursor: usize = 0;

/** Allocates the result block: `slotBytes` of list elements, then `dataBytes` of string/byte data. */
export function openResult(slotBytes: usize, dataBytes: usize): void {
  const size = slotBytes + dataBytes;
  const block: usize = size == 0 ? 0 : allocResult(size);
  slotCursor = block;
  dataCursor = block + slotBytes;
}

/** Reserves `size` bytes of list elements; returns where they start. */
export function reserveSlots(size: usize): usize {
  const at = slotCursor;
  slotCursor = at + size;
  return at;
}

/** Writes `s` as UTF-8 and stores its (ptr, len) at `at`. */
export function writeString(at: usize, s: string): void {
  const ptr = dataCursor;
  const len = String.UTF8.encodeUnsafe(changetype<usize>(s), s.length, ptr, false, String.UTF8.ErrorMode.REPLACE);
  dataCursor = ptr + len;
  store<usize>(at, ptr);
  store<usize>(at, len, 4);
}

/** Copies `data` and stores its (ptr, len) at `at`. */
export function writeBytes(at: usize, data: Uint8Array): void {
  const ptr = dataCursor;
  const len = <usize>data.length;
  if (len > 0) memory.copy(ptr, data.dataStart, len);
  dataCursor = ptr + len;
  store<usize>(at, ptr);
  store<usize>(at, len, 4);
}

/** Stores (ptr, len) of a list of `count` elements at `at`, reserving `count * elementSize` bytes. */
export function writeListHeader(at: usize, count: i32, elementSize: usize): usize {
  const base = reserveSlots(<usize>count * elementSize);
  // An empty list still gets an aligned, in-bounds pointer: `at` itself when there is no block.
  store<usize>(at, count == 0 ? at : base);
  store<usize>(at, <usize>count, 4);
  return base;
}
