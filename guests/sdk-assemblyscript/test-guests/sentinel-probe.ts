// The Sentinel SDK probe for test/unit/guests/sentinel-sdk.test.ts: each URI exercises one part of
// Request, Response and Result and reports what it saw as tags.
import { Request, Response, Result, allow, handleRequest, handleResponse } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';
export { alloc, dealloc } from '@wasmgate/sdk-assemblyscript/assembly/sentinel';

export function on_request_headers(ptr: i32, len: i32): i64 {
  return handleRequest(ptr, len, onRequest);
}

export function on_response_headers(ptr: i32, len: i32): i64 {
  return handleResponse(ptr, len, onResponse);
}

let kept: Request | null = null;
let keptResponse: Response | null = null;

function orNone(value: string | null): string {
  return value == null ? '(none)' : value;
}

function describe(req: Request): Result {
  return allow().tag(req.method).tag(req.uri).tag(req.clientIp).tag(req.correlationId)
    .tag(orNone(req.header('X-A'))).tag(req.headers.size.toString());
}

function onRequest(req: Request): Result {
  const uri = req.uri;
  // keep the request, reading nothing else; /kept describes it in a later call
  if (uri == '/keep') { kept = req; return allow(); }
  if (uri == '/kept') return describe(kept!);
  // x-names: "a|b|c" -> one tag per name, the value of req.header(name) or (none)
  if (uri == '/lookup') {
    const names = orNone(req.header('x-names')).split('|');
    const result = allow();
    for (let i = 0; i < names.length; i++) result.tag(orNone(req.header(names[i])));
    return result;
  }
  if (uri == '/headers-map') {
    const before = orNone(req.header('x-a'));
    req.headers.set('X-New', 'v');
    req.headers.set('x-a', 'changed');
    return allow().tag(before).tag(orNone(req.header('x-new'))).tag(orNone(req.header('X-A'))).tag(req.headers.size.toString());
  }
  if (uri == '/setters') {
    req.uri = '/changed';
    req.method = 'PATCH';
    const made = new Request();
    made.clientIp = 'made';
    return allow().tag(req.uri).tag(req.method).tag(req.clientIp)
      .tag('[' + made.method + made.uri + made.correlationId + ']').tag(made.clientIp)
      .tag(orNone(made.header('x-a'))).tag(made.headers.size.toString());
  }
  if (uri == '/fields') {
    const r = allow().tag('t1').addRequestHeader('X-A', '1').removeRequestHeader('R1');
    r.tags!.push('t2');                              // the field is the list the builder appends to
    r.tag('t3');
    r.addRequestHeaders!.set('x-a', '2');            // same name, other case: replaced in place
    r.addRequestHeader('X-B', 'b');
    r.removeResponseHeaders = ['S1'];                // assigned, then appended to
    r.removeResponseHeader('S2');
    if (r.addResponseHeaders != null) r.tag('unexpected');
    r.addResponseHeader('X-R', 'r');
    r.removeRequestHeaders = null;                   // assigned null: left out
    return r;
  }
  if (uri == '/fields-late') {
    const r = allow().addRequestHeader('X-A', '1').tag('t1');
    const tags = r.tags!;                            // read after the builder, then the builder again
    r.tag('t2');
    tags.push('t3');
    return r;
  }
  if (uri == '/many') {
    const r = allow();
    for (let i = 0; i < 12; i++) r.addRequestHeader('X-' + i.toString(), i.toString());
    r.addRequestHeader('x-3', 'three').addRequestHeader('X-11', 'eleven');
    for (let i = 0; i < 5; i++) r.tag('t' + i.toString()).removeResponseHeader('r' + i.toString());
    return r;
  }
  if (uri == '/constructed') {
    const r = new Result('deny');
    r.status = 429;
    r.body = 'b';
    return r.tag('made').addResponseHeader('X-M', 'm');
  }
  return allow();
}

function onResponse(res: Response): Result {
  if (res.correlationId == 'keep') { keptResponse = res; return allow(); }
  const r = keptResponse != null ? keptResponse! : res;
  return allow().tag(r.status.toString()).tag(r.correlationId).tag(orNone(r.header('server'))).tag(r.headers.size.toString());
}
