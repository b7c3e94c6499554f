// The canonical ABI's memory contract for component guests: `cabi_realloc` for what the host
// lowers into the guest, the ownership of argument buffers, and the blocks a result lives in until
// the host's post-return call.
//
// Every buffer crossing the boundary is a raw block of the runtime's allocator (TLSF, `heap.alloc`),
// never a GC object, so the garbage collector cannot free one while the host still reads it.
// - Arguments: the host allocates them with `cabi_realloc` and hands them over (the canonical ABI
//   makes the callee their owner). The exports copy them into managed strings and arrays, then free
//   them at once with `freeArgument`.
// - Results: the fixed part (the variant, its discriminant and list pointers) goes in a static
//   return area; everything variable (list elements, string bytes, the body) goes in one heap block
//   that `releaseResult` frees, from the `cabi_post_*` export or, if a host never calls it, at the
//   start of the next call.

/** AssemblyScript's allocator aligns every block to 16 bytes; no smg/storage type needs more than 8. */
const MAX_ALIGN: usize = 16;

/** `cabi_realloc(old_ptr, old_size, align, new_size) -> ptr`, as the component model calls it. */
export function cabi_realloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  if (align > MAX_ALIGN) unreachable();
  // A zero-size request still gets a distinct block, which freeArgument can release like any other.
  const size = max(newSize, 1);
  return oldPtr == 0 ? heap.alloc(size) : heap.realloc(oldPtr, size);
}

/**
 * Frees an argument buffer once its contents have been lifted. Pointers below the heap (the `1` or
 * `4` a host passes for an empty string or list without allocating) are ignored by the allocator.
 */
// @ts-ignore: decorator
@inline
export function freeArgument(ptr: usize): void {
  if (ptr != 0) heap.free(ptr);
}

/** The static return area of the exports: the largest result (`action`) is 44 bytes, align 4. */
export const RETURN_AREA: usize = memory.data(48, 8);

let resultBlock: usize = 0;

/** A fresh block for the variable part of a result; freed by the next `releaseResult`. */
export function allocResult(size: usize): usize {
  releaseResult();
  resultBlock = heap.alloc(max(size, 1));
  return resultBlock;
}

/** Frees the previous result's block: the body of every `cabi_post_*` export. */
export function releaseResult(): void {
  const block = resultBlock;
  if (block != 0) {
    resultBlock = 0;
    heap.free(block);
  }
}
