// The ABI's memory contract: `alloc`/`dealloc` for buffers the host writes or reads, and the
// `(ptr << 32) | len` packing of a handler's result.
//
// Buffers handed to the host are raw blocks of the runtime's allocator (TLSF, `heap.alloc`), not
// managed objects: the garbage collector never sees them, so it can never free one while the host
// still holds it, and there is nothing to pin. `dealloc` returns the block to the allocator at
// once. Everything a handler builds (strings, arrays, the parsed request) is an ordinary managed
// object the incremental GC reclaims, so a long-lived instance keeps a bounded heap.

/** Allocates `size` bytes the host writes into; the host frees them with `dealloc`. */
export function alloc(size: i32): i32 {
  // A zero-size request still gets a distinct, freeable block; a negative one is read as unsigned,
  // so it is too large and aborts rather than returning a short buffer.
  return <i32>heap.alloc(max(<usize><u32>size, 1));
}

/** Frees a block from `alloc` or from a handler's result. `size` is not needed and is ignored. */
export function dealloc(ptr: i32, size: i32): void {
  // Pointers below the heap (static data) are ignored by the allocator.
  if (ptr != 0) heap.free(<usize>ptr);
}

/** Packs a result buffer as the handlers return it: pointer in the high half, length in the low. */
// @ts-ignore: decorator
@inline
export function packResult(ptr: usize, len: usize): i64 {
  return <i64>((<u64><u32>ptr << 32) | <u64><u32>len);
}
