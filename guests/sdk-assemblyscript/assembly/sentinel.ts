// The Sentinel JSON ABI for AssemblyScript guests (sentinel-agent-wasm's contract): typed
// Request / Response / Result, the decision helpers, and the memory exports the host needs.
//
//   import { Request, Result, allow, block, handleRequest } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';
//   export { alloc, dealloc } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';
//
//   export function on_request_headers(ptr: i32, len: i32): i64 {
//     return handleRequest(ptr, len, onRequestHeaders);
//   }
//   function onRequestHeaders(req: Request): Result {
//     return req.uri.includes('/admin') ? block(403, 'Forbidden') : allow();
//   }
//
// Build with `--runtime incremental -O3 --noAssert` (see the package README).
export { alloc, dealloc } from './sentinel/memory';
export { HeaderMap } from './sentinel/header-map';
export { Request, readRequest } from './sentinel/request';
export { Response, readResponse } from './sentinel/response';
export { Result } from './sentinel/result';
export { allow, block, deny, redirect } from './sentinel/decisions';
export { handleRequest, handleResponse, returnJson } from './sentinel/handlers';
