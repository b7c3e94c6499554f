// sentinel-security: the Sentinel JSON ABI example, written with the AssemblyScript SDK.
// Requests to /admin are blocked; everything else is marked as processed. Responses get
// clickjacking protection, lose the Server header and are tagged with their status.
import { Request, Response, Result, allow, block, handleRequest, handleResponse } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';
export { alloc, dealloc } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';

export function on_request_headers(ptr: i32, len: i32): i64 {
  return handleRequest(ptr, len, onRequestHeaders);
}

export function on_response_headers(ptr: i32, len: i32): i64 {
  return handleResponse(ptr, len, onResponseHeaders);
}

function onRequestHeaders(req: Request): Result {
  if (req.uri.includes('/admin')) {
    return block(403, 'Forbidden').tag('admin-blocked');
  }
  return allow()
    .addRequestHeader('X-Processed', 'true')
    .removeRequestHeader('X-Debug')
    .tag('processed');
}

function onResponseHeaders(res: Response): Result {
  return allow()
    .addResponseHeader('X-Frame-Options', 'DENY')
    .removeResponseHeader('Server')
    .tag(`status-${res.status}`);
}
