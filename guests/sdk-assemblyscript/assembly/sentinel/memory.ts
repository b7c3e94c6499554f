// The ABI's memory contract: `alloc`/`dealloc` for buffers the host writes or reads, and the
// `(ptr << 32) | len` packing of a handler's result.
//
// Buffers handed to the host are raw blocks of the runtime's allocator (TLSF, `heap.alloc`), not
// managed objects: the garbage collector never sees them, so it can never free one while the host
// still holds it, and there is nothing to pin. Everything a handler builds (strings, arrays, the
// event objects) is an ordinary managed object the incremental GC reclaims, so a long-lived
// instance keeps a bounded heap.
//
// Result blocks are recycled: when the host gives back the latest result with `dealloc`, the block
// is kept (up to KEEP_BYTES) and the next result is written into it, which saves an allocation and
// a free per call. This only changes what happens inside the guest: every result is still a block
// of its own for as long as the host holds it (a result is written into the kept block only after
// the host has freed it), and `dealloc` of any other block frees it at once.

/** Result blocks up to this size are kept for the next result when the host frees them. */
const KEEP_BYTES: usize = 16 * 1024;

/** The latest result handed to the host, and its capacity, until the host frees it. */
let latestResult: usize = 0;
let latestCapacity: usize = 0;
/** A result block the host has freed, kept for the next result (0 if none). */
let keptBlock: usize = 0;
let keptCapacity: usize = 0;

/** Allocates `size` bytes the host writes into; the host frees them with `dealloc`. */
export function alloc(size: i32): i32 {
  // A zero-size request still gets a distinct, freeable block; a negative one is read as unsigned,
  // so it is too large and aborts rather than returning a short buffer.
  collectGarbage(<usize><u32>size);
  return <i32>heap.alloc(max(<usize><u32>size, 1));
}

/** Frees a block from `alloc` or from a handler's result. `size` is not needed and is ignored. */
export function dealloc(ptr: i32, size: i32): void {
  const block = <usize>ptr;
  if (block == 0) return;
  if (block == latestResult) {
    latestResult = 0;
    if (keptBlock == 0 && latestCapacity <= KEEP_BYTES) {
      keptBlock = block;
      keptCapacity = latestCapacity;
      return;
    }
  }
  // Pointers below the heap (static data) are ignored by the allocator.
  heap.free(block);
}

/**
 * A block of at least `capacity` bytes to write a result into: the kept one if it is there and
 * large enough. Returns `(ptr << 32) | capacity`.
 */
export function resultBlock(capacity: usize): u64 {
  const kept = keptBlock;
  if (kept != 0) {
    keptBlock = 0;
    if (keptCapacity >= capacity) return (<u64>kept << 32) | <u64>keptCapacity;
    heap.free(kept);
  }
  return (<u64>heap.alloc(capacity) << 32) | <u64>capacity;
}

/** Hands a result block to the host, packed as the handlers return it. */
export function handOver(ptr: usize, capacity: usize, len: usize): i64 {
  // The previous latest result, if the host still holds it, becomes an ordinary block: `dealloc`
  // frees it.
  latestResult = ptr;
  latestCapacity = capacity;
  return packResult(ptr, len);
}

/**
 * A managed object of class `id` with `size` bytes, of which the first `zeroed` are zero: a class
 * instance whose fields all start as zero or null, made without running its constructor. Only the
 * incremental runtime's `__new` zero-fills; with the others the fill is done here.
 */
// @ts-ignore: decorator
@inline
export function newZeroed(size: usize, id: u32, zeroed: usize): usize {
  const ptr = __new(size, id);
  if (ASC_RUNTIME != INCREMENTAL_RUNTIME) memory.fill(ptr, 0, zeroed);
  return ptr;
}

// With `--runtime minimal` the garbage collector never runs by itself, and `__collect` must only
// run when no managed reference is held in a local (that runtime does not scan the stack). `alloc`
// is such a point: the host calls it before writing an event, with no guest code running. So
// there, every COLLECT_CALLS inputs or COLLECT_BYTES of input since the last collection, it runs
// a full collection. With the incremental runtime (the default) this compiles to nothing.
const MINIMAL_RUNTIME = 1; // Runtime.Minimal
const INCREMENTAL_RUNTIME = 2; // Runtime.Incremental
const COLLECT_CALLS = 64;
const COLLECT_BYTES: usize = 1 << 20;
let allocsSinceCollect = 0;
let bytesSinceCollect: usize = 0;

// @ts-ignore: decorator
@inline
function collectGarbage(size: usize): void {
  if (ASC_RUNTIME == MINIMAL_RUNTIME) {
    bytesSinceCollect += size;
    if (++allocsSinceCollect >= COLLECT_CALLS || bytesSinceCollect >= COLLECT_BYTES) {
      allocsSinceCollect = 0;
      bytesSinceCollect = 0;
      __collect();
    }
  }
}

/** Packs a result buffer as the handlers return it: pointer in the high half, length in the low. */
// @ts-ignore: decorator
@inline
export function packResult(ptr: usize, len: usize): i64 {
  return <i64>((<u64><u32>ptr << 32) | <u64><u32>len);
}
