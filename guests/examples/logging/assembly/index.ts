// logging: request tracking headers and status conversion, as SMG's wasm-guest-logging example.
//   on-request -> modify, headers-add only (on the request sent upstream):
//       x-request-id: <request-id>, x-wasm-processed: true, x-processed-at: <now-epoch-ms>,
//       and x-api-route: true when the path starts with /api or /v1
//   on-response -> status 500 becomes 503 (modify status only); anything else continues.
import { Action, Request, Response, continue_, modify, serve } from '@wasmgate/sdk-assemblyscript/assembly/smg';
export * from '@wasmgate/sdk-assemblyscript/assembly/smg/exports';

function onRequest(req: Request): Action {
  const m = modify()
    .addHeader('x-request-id', req.requestId)
    .addHeader('x-wasm-processed', 'true')
    .addHeader('x-processed-at', req.nowEpochMs.toString());
  if (req.path.startsWith('/api') || req.path.startsWith('/v1')) m.addHeader('x-api-route', 'true');
  return m;
}

function onResponse(res: Response): Action {
  return res.status == 500 ? modify().status(503) : continue_();
}

// Wires the handlers to the exports. Keep it last: it runs when the module starts, after the
// module-level variables above are initialised.
serve(onRequest, onResponse);
