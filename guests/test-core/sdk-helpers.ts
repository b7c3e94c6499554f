// sdk-helpers: exercises every helper of the AssemblyScript SDK, one route each, so tests can
// check the JSON the SDK writes.
//   /lookup              tags ["found", value] of the header named by `x-lookup` (any case), else ["missing"]
//   /all                 block 451 with a body to escape, every header operation and two tags
//   /deny                deny 429 "slow down"
//   /redirect            redirect to https://example.com/ with the default status (302)
//   /block               block() with its defaults
//   /escapes             allow, tagged with a string that needs every kind of escape
//   anything else        allow
// Response: allow, tags [status, the `server` header looked up as "SERVER" or "(missing)"].
import { Request, Response, Result, allow, block, deny, redirect, handleRequest, handleResponse } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';
export { alloc, dealloc } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';

export function on_request_headers(ptr: i32, len: i32): i64 {
  return handleRequest(ptr, len, onRequest);
}

export function on_response_headers(ptr: i32, len: i32): i64 {
  return handleResponse(ptr, len, onResponse);
}

function onRequest(req: Request): Result {
  const uri = req.uri;
  if (uri == '/lookup') {
    const name = req.header('x-lookup');
    const value: string | null = name == null ? null : req.header(name);
    return value == null ? allow().tag('missing') : allow().tag('found').tag(value);
  }
  if (uri == '/all') {
    return block(451, 'Unavailable: "legal" \\ reasons\n')
      .addRequestHeader('X-A', '1')
      .addRequestHeader('X-B', 'b')
      .addRequestHeader('x-a', '2') // same name, other case: replaces the value, keeps the place
      .removeRequestHeader('X-C')
      .addResponseHeader('X-D', 'd')
      .removeResponseHeader('X-E')
      .removeResponseHeader('X-F')
      .tag('t1')
      .tag('t2');
  }
  if (uri == '/deny') return deny(429, 'slow down');
  if (uri == '/redirect') return redirect('https://example.com/');
  if (uri == '/block') return block();
  if (uri == '/escapes') return allow().tag('\u0000\u0001\b\f\n\r\t"\\/\u007f é ☂ 🌍 \uD800 \uDC00 end');
  return allow();
}

function onResponse(res: Response): Result {
  const server = res.header('SERVER');
  return allow().tag(res.status.toString()).tag(server == null ? '(missing)' : server);
}
