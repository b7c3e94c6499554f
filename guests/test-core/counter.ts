// counter: guest state lives as long as the instance. Each request is allowed with tag
// `count-<n>` (n counts calls on this instance) and `uri-count-<k>` (calls with the same URI,
// kept in a module-level Map, so managed state must survive the garbage collector too).
import { Request, Result, allow, handleRequest } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';
export { alloc, dealloc } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';

let count = 0;
const perUri = new Map<string, i32>();

export function on_request_headers(ptr: i32, len: i32): i64 {
  return handleRequest(ptr, len, countRequest);
}

function countRequest(req: Request): Result {
  count++;
  const seen = perUri.has(req.uri) ? perUri.get(req.uri) + 1 : 1;
  perUri.set(req.uri, seen);
  return allow().tag(`count-${count}`).tag(`uri-count-${seen}`);
}
