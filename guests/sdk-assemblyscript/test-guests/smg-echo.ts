// Test guest for the SDK's smg:gateway code paths (test/unit/guests/sdk-canonical.test.ts): it
// reflects what it received into every shape of `action`, so a test can check lifting and lowering.
//   on-request, by path:
//     /continue -> continue;  /reject -> reject(<query as a number>);
//     /empty-modify, /plain-modify (a bare `new Action(ActionKind.Modify)`) -> modify with nothing set;  /text -> modify: body = body text + " ✓" (string body)
//     /pushed-header -> req.headers gets x-lookup: pushed appended, then modify: headers-set x-lookup-all
//       (every X-Lookup value, "|") and x-has-lookup (yes/no);  /assigned-headers -> req.headers is
//       replaced by [X-LOOKUP: assigned], then the same two headers-set;
//     /lookup-query -> modify: headers-set x-found = the first value of the header named by the
//       (raw) query, or "(none)", read from the lifted headers, then x-found-after the same read
//       after `headers` was decoded;
//     /remember -> keeps the request in a module-level variable, continue;  /recall -> modify:
//       headers-set x-recalled-lookup (its first X-Lookup or "(none)"), x-recalled-count (its header
//       count), x-recalled-body (its body text), read now, calls after it was received
//     otherwise -> modify: headers-set x-method, x-path, x-query, x-request-id, x-now, x-body-length,
//       x-header-count, x-lookup (first value of X-Lookup, any case), x-lookup-all (every value, "|");
//       the lookups run before `req.headers` is read, so they read the lifted headers in place;
//       headers-add = the request headers as received; headers-remove = the comma-separated names
//       in x-remove; status = x-status if present; body-replace = the body unless the path is /keep-body
//   on-response: 204 -> continue; >= 500 -> reject(status); otherwise modify: status + 1,
//     headers-set x-status, x-body-length, x-lookup (if there is one); headers-add = the response headers; body-replace = the body
import { Action, ActionKind, Header, Request, Response, continue_, modify, reject, serve } from '../assembly/smg';
export * from '../assembly/smg/exports';

let remembered: Request | null = null;

function orNone(value: string | null): string {
  return value != null ? value : '(none)';
}

function onRequest(req: Request): Action {
  if (req.path == '/continue') return continue_();
  if (req.path == '/reject') return reject(<u16>U32.parseInt(req.query));
  if (req.path == '/empty-modify') return modify();
  if (req.path == '/plain-modify') return new Action(ActionKind.Modify);
  if (req.path == '/text') return modify().replaceBody(req.bodyText() + ' ✓');
  if (req.path == '/lookup-query') {
    const lazy = orNone(req.header(req.query));
    return modify()
      .setHeader('x-found', lazy)
      .setHeader('x-header-count', req.headers.length.toString())
      .setHeader('x-found-after', orNone(req.header(req.query)));
  }
  if (req.path == '/remember') {
    remembered = req;
    return continue_();
  }
  if (req.path == '/recall') {
    const old = remembered;
    if (old == null) return reject(404);
    return modify()
      .setHeader('x-recalled-lookup', orNone(old.header('x-lookup')))
      .setHeader('x-recalled-count', old.headers.length.toString())
      .setHeader('x-recalled-body', old.bodyText());
  }
  if (req.path == '/pushed-header') req.headers.push(new Header('x-lookup', 'pushed'));
  if (req.path == '/assigned-headers') req.headers = [new Header('X-LOOKUP', 'assigned')];
  if (req.path == '/pushed-header' || req.path == '/assigned-headers') {
    return modify()
      .setHeader('x-lookup-all', req.headerValues('x-lookup').join('|'))
      .setHeader('x-has-lookup', req.hasHeader('x-Lookup') ? 'yes' : 'no');
  }
  const m = modify()
    .setHeader('x-method', req.method)
    .setHeader('x-path', req.path)
    .setHeader('x-query', req.query)
    .setHeader('x-request-id', req.requestId)
    .setHeader('x-now', req.nowEpochMs.toString())
    .setHeader('x-body-length', req.body.length.toString());
  const lookup = req.header('X-Lookup');
  if (lookup != null) m.setHeader('x-lookup', lookup);
  m.setHeader('x-lookup-all', req.headerValues('x-LOOKUP').join('|'));
  const removals = req.header('x-remove');
  if (removals != null) {
    const names = removals.split(',');
    for (let i = 0; i < names.length; i++) m.removeHeader(names[i]);
  }
  const status = req.header('x-status');
  if (status != null) m.status(<u16>U32.parseInt(status));
  m.setHeader('x-header-count', req.headers.length.toString());
  for (let i = 0; i < req.headers.length; i++) m.addHeader(req.headers[i].name, req.headers[i].value);
  if (req.path != '/keep-body') m.replaceBody(req.body);
  return m;
}

function onResponse(res: Response): Action {
  if (res.status == 204) return continue_();
  if (res.status >= 500) return reject(res.status);
  const m = modify()
    .status(res.status + 1)
    .setHeader('x-status', res.status.toString())
    .setHeader('x-body-length', res.body.length.toString());
  const lookup = res.header('x-lookup');
  if (lookup != null) m.setHeader('x-lookup', lookup);
  for (let i = 0; i < res.headers.length; i++) m.addHeader(res.headers[i].name, res.headers[i].value);
  return m.replaceBody(res.body);
}

// Wires the handlers to the exports. Keep it last: it runs when the module starts, after the
// module-level variables above are initialised.
serve(onRequest, onResponse);
