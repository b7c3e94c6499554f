// {{name}}: a Sentinel JSON ABI guest (sentinel-agent-wasm's contract) for wasmgate's Sentinel agent,
// written with @wasmgate/sdk-assemblyscript.
//   requests:  a URI under /admin -> block 403 "Forbidden", tagged admin-blocked;
//              anything else -> allow, with X-Filtered-By: {{name}} on the request sent upstream
//   responses: allow, with X-Content-Type-Options: nosniff
import { Request, Response, Result, allow, block, handleRequest, handleResponse } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';
export { alloc, dealloc } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';

export function on_request_headers(ptr: i32, len: i32): i64 {
  return handleRequest(ptr, len, onRequestHeaders);
}

export function on_response_headers(ptr: i32, len: i32): i64 {
  return handleResponse(ptr, len, onResponseHeaders);
}

function onRequestHeaders(req: Request): Result {
  if (req.uri.startsWith('/admin')) return block(403, 'Forbidden').tag('admin-blocked');
  return allow().addRequestHeader('X-Filtered-By', '{{name}}');
}

function onResponseHeaders(res: Response): Result {
  return allow().addResponseHeader('X-Content-Type-Options', 'nosniff');
}
