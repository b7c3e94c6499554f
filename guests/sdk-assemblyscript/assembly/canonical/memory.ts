// The canonical ABI's memory contract for component guests: `cabi_realloc` for what the host
// lowers into the guest, the ownership of argument buffers, and the blocks a result lives in until
// the host's post-return call.
//
// Every buffer crossing the boundary is raw memory outside the garbage collector's view, so the
// collector cannot free one while the host still reads it.
// - Arguments: the host allocates them with `cabi_realloc` and hands them over (the canonical ABI
//   makes the callee their owner). The exports copy them into managed strings and arrays at once,
//   so they are dead as soon as they are lifted. They are bump-allocated in an arena (one kept heap
//   block) that `argumentsLifted` empties: a request with ten headers is twenty-odd allocations,
//   and the allocator's alloc + free for each was about a third of a call. An argument that does
//   not fit in the arena (a big body) is an ordinary heap block that `freeArgument` frees.
// - Results: the fixed part (the variant, its discriminant and list pointers) goes in a static
//   return area; everything variable (list elements, string bytes, the body) goes in one heap block
//   that `releaseResult` frees, from the `cabi_post_*` export or, if a host never calls it, at the
//   start of the next call.

/** AssemblyScript's allocator aligns every block to 16 bytes; no smg/storage type needs more than 8. */
const MAX_ALIGN: usize = 16;

/** Bytes of the argument arena; arguments beyond what is left in it go to the heap. */
const ARENA_BYTES: usize = 16 * 1024;

/** The arena: [arenaStart, arenaEnd), bump-allocated up to arenaTop (0, 0, 0 until first used). */
let arenaStart: usize = 0;
let arenaEnd: usize = 0;
let arenaTop: usize = 0;

// @ts-ignore: decorator
@inline
function inArena(ptr: usize): bool {
  return ptr >= arenaStart && ptr < arenaEnd;
}

/** `size` bytes aligned to `align` (a power of two), from the arena if they fit, else from the heap. */
function allocArgument(size: usize, align: usize): usize {
  if (arenaStart == 0) {
    arenaStart = heap.alloc(ARENA_BYTES);
    arenaEnd = arenaStart + ARENA_BYTES;
    arenaTop = arenaStart;
  }
  const mask = max(align, 1) - 1;
  const at = (arenaTop + mask) & ~mask;
  // Compared as room left, not as `at + size`, which a huge size would overflow.
  if (at <= arenaEnd && size <= arenaEnd - at) {
    arenaTop = at + size;
    return at;
  }
  return heap.alloc(size);
}

/** `cabi_realloc(old_ptr, old_size, align, new_size) -> ptr`, as the component model calls it. */
export function cabi_realloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  if (align > MAX_ALIGN) unreachable();
  // A zero-size request still gets a distinct block, which freeArgument can release like any other.
  const size = max(newSize, 1);
  if (oldPtr == 0) return allocArgument(size, align);
  if (!inArena(oldPtr)) return heap.realloc(oldPtr, size);
  const moved = allocArgument(size, align);
  memory.copy(moved, oldPtr, min(oldSize, size));
  return moved;
}

/**
 * Frees an argument buffer once its contents have been lifted. Arena blocks go with the arena;
 * pointers below the heap (the `1` or `4` a host passes for an empty string or list without
 * allocating) are ignored by the allocator.
 */
// @ts-ignore: decorator
@inline
export function freeArgument(ptr: usize): void {
  if (ptr != 0 && !inArena(ptr)) heap.free(ptr);
}

/**
 * Empties the arena: call once every argument of the current call has been lifted (the exports do,
 * before running the handler). What the host lowers later in the call (an import's result) is
 * bump-allocated after this and lifted at once too.
 */
export function argumentsLifted(): void {
  arenaTop = arenaStart;
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
