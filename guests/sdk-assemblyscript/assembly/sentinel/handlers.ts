// Glue between the ABI exports and an author's typed handlers. The module's entry file exports
// `on_request_headers` / `on_response_headers` itself, each a one-liner passing its handler here:
//
//   export function on_request_headers(ptr: i32, len: i32): i64 {
//     return handleRequest(ptr, len, onRequestHeaders);
//   }
//
// Handlers must be top-level functions (AssemblyScript has no closures). The input buffer
// belongs to the host, which frees it after the call; the result is a block it frees too.
import { handOver, resultBlock } from './memory';
import { Request } from './request';
import { Response } from './response';
import { Result } from './result';

/** Reads the request at (ptr, len), runs `handler`, and returns its result for the host. */
export function handleRequest(ptr: i32, len: i32, handler: (request: Request) => Result): i64 {
  return handler(Request.read(<usize>ptr, <usize><u32>len)).encode();
}

/** Reads the response at (ptr, len), runs `handler`, and returns its result for the host. */
export function handleResponse(ptr: i32, len: i32, handler: (response: Response) => Result): i64 {
  return handler(Response.read(<usize>ptr, <usize><u32>len)).encode();
}

/**
 * Returns JSON text as the result, byte for byte (UTF-8). An escape hatch for results the typed
 * API cannot express; the host validates it like any other result.
 */
export function returnJson(json: string): i64 {
  const len = <usize>String.UTF8.byteLength(json);
  const block = resultBlock(max(len, 1));
  const ptr = <usize>(block >>> 32);
  String.UTF8.encodeUnsafe(changetype<usize>(json), json.length, ptr);
  return handOver(ptr, <usize><u32>block, len);
}
