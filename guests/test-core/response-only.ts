// response-only: exports on_response_headers and no request handler, so the host must answer
// request events itself (allow) without calling the guest.
import { Response, Result, allow, handleResponse } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';
export { alloc, dealloc } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';

export function on_response_headers(ptr: i32, len: i32): i64 {
  return handleResponse(ptr, len, onResponse);
}

function onResponse(res: Response): Result {
  return allow().tag('response-only').tag(`status-${res.status}`);
}
