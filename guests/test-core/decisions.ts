// decisions: one route per kind of result, for testing how the host validates and normalises.
//   /block?status=N      block, status N (left out without ?status=), body "blocked"
//   /deny                deny, no status, no body
//   /redirect            redirect to https://example.com/login, no status
//   /Block-mixed-case    decision "BLOCK"
//   /unknown             decision "frobnicate"
//   /bad-types           {"decision":"allow","status":"403"} (status as a string)
//   /zero                returns 0 (ptr 0, len 0)
//   anything else        allow
import { Request, Result, allow, block, deny, redirect, readRequest, returnJson } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';
export { alloc, dealloc } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';

export function on_request_headers(ptr: i32, len: i32): i64 {
  const req = readRequest(ptr, len);
  const path = pathOf(req.uri);
  if (path == '/zero') return 0;
  if (path == '/bad-types') return returnJson('{"decision":"allow","status":"403"}');
  return decide(path, req).encode();
}

function decide(path: string, req: Request): Result {
  if (path == '/block') return block(statusQuery(req.uri), 'blocked');
  if (path == '/deny') return deny();
  if (path == '/redirect') return redirect('https://example.com/login', 0);
  if (path == '/Block-mixed-case') return new Result('BLOCK');
  if (path == '/unknown') return new Result('frobnicate');
  return allow();
}

function pathOf(uri: string): string {
  const q = uri.indexOf('?');
  return q < 0 ? uri : uri.substring(0, q);
}

/** The `status` query parameter as a number; 0 (field left out) when absent or not a number. */
function statusQuery(uri: string): i32 {
  const at = uri.indexOf('status=');
  if (at < 0) return 0;
  const end = uri.indexOf('&', at);
  return I32.parseInt(uri.substring(at + 7, end < 0 ? uri.length : end), 10);
}
