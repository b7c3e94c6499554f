// Glue between the ABI exports and an author's typed handlers. The module's entry file exports
// `on_request_headers` / `on_response_headers` itself, each a one-liner passing its handler here:
//
//   export function on_request_headers(ptr: i32, len: i32): i64 {
//     return handleRequest(ptr, len, onRequestHeaders);
//   }
//
// Handlers must be top-level functions (AssemblyScript has no closures). The input buffer
// belongs to the host, which frees it after the call; the result is a fresh block it frees too.
import { packResult } from './memory';
import { Request, readRequest } from './request';
import { Response, readResponse } from './response';
import { Result } from './result';

/** Parses the request at (ptr, len), runs `handler`, and returns its result for the host. */
export function handleRequest(ptr: i32, len: i32, handler: (request: Request) => Result): i64 {
  return handler(readRequest(<usize>ptr, <usize><u32>len)).encode();
}

/** Parses the response at (ptr, len), runs `handler`, and returns its result for the host. */
export function handleResponse(ptr: i32, len: i32, handler: (response: Response) => Result): i64 {
  return handler(readResponse(<usize>ptr, <usize><u32>len)).encode();
}

/**
 * Returns JSON text as the result, byte for byte (UTF-8). An escape hatch for results the typed
 * API cannot express; the host validates it like any other result.
 */
export function returnJson(json: string): i64 {
  const len = <usize>String.UTF8.byteLength(json);
  const ptr = heap.alloc(max(len, 1));
  String.UTF8.encodeUnsafe(changetype<usize>(json), json.length, ptr);
  return packResult(ptr, len);
}
