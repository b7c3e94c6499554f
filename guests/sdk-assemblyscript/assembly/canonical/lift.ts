// Lifting: reading what the host lowered (UTF-8 strings, byte lists, lists of string pairs) into
// managed AssemblyScript values, and freeing the host-written buffers afterwards. The host is
// trusted to follow the canonical ABI (valid UTF-8, in-bounds pointers), as any component host is.
import { freeArgument } from './memory';

/** A UTF-8 string at (ptr, len) as an AssemblyScript string; does not free. */
export function readString(ptr: usize, len: usize): string {
  return len == 0 ? '' : String.UTF8.decodeUnsafe(ptr, len);
}

/** Reads a string argument and frees its buffer. */
export function takeString(ptr: usize, len: usize): string {
  const s = readString(ptr, len);
  freeArgument(ptr);
  return s;
}

/** Reads a list<u8> argument into a fresh Uint8Array and frees its buffer. */
export function takeBytes(ptr: usize, len: usize): Uint8Array {
  const bytes = new Uint8Array(<i32>len);
  if (len > 0) memory.copy(bytes.dataStart, ptr, len);
  freeArgument(ptr);
  return bytes;
}

/**
 * Reads the first string of element `i` of a list of {string, string} records (16 bytes each:
 * ptr, len, ptr, len) and frees its buffer.
 */
export function takePairFirst(list: usize, i: i32): string {
  const at = list + (<usize>i << 4);
  return takeString(load<usize>(at), load<usize>(at, 4));
}

/** The second string of element `i` (see takePairFirst). */
export function takePairSecond(list: usize, i: i32): string {
  const at = list + (<usize>i << 4);
  return takeString(load<usize>(at, 8), load<usize>(at, 12));
}
