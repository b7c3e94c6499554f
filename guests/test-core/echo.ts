// echo: returns what the host sent, to check the host's JSON encoding and the SDK's parser.
// Request: allow, tags [method, uri, client_ip, correlation_id], and every request header back
// as add_request_headers `x-echo-<name>`. Response: allow, tags [status, correlation_id], and
// every response header back as add_response_headers `x-echo-<name>`. A request for /trap traps
// (to make the host replace the instance).
import { Request, Response, Result, allow, handleRequest, handleResponse } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';
export { alloc, dealloc } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';

export function on_request_headers(ptr: i32, len: i32): i64 {
  return handleRequest(ptr, len, echoRequest);
}

export function on_response_headers(ptr: i32, len: i32): i64 {
  return handleResponse(ptr, len, echoResponse);
}

function echoRequest(req: Request): Result {
  if (req.uri == '/trap') unreachable();
  const result = allow().tag(req.method).tag(req.uri).tag(req.clientIp).tag(req.correlationId);
  const names = req.headers.names;
  const values = req.headers.values;
  for (let i = 0; i < names.length; i++) result.addRequestHeader(`x-echo-${names[i]}`, values[i]);
  return result;
}

function echoResponse(res: Response): Result {
  const result = allow().tag(res.status.toString()).tag(res.correlationId);
  const names = res.headers.names;
  const values = res.headers.values;
  for (let i = 0; i < names.length; i++) result.addResponseHeader(`x-echo-${names[i]}`, values[i]);
  return result;
}
