// {{name}}: an smg:gateway middleware component (SMG-compatible) for wasmgate, written with
// @wasmgate/sdk-assemblyscript.
//   on-request:  a path under /admin -> reject(403);
//                anything else -> modify: set x-filtered-by: {{name}}, remove x-debug
//   on-response: status 500 -> modify: status 503; anything else -> continue
import { Action, Request, Response, continue_, modify, reject, serve } from '@wasmgate/sdk-assemblyscript/assembly/smg';
export * from '@wasmgate/sdk-assemblyscript/assembly/smg/exports';
// Per-module config (wasmgate only; the component then needs wasmgate to run):
//   import { config } from '@wasmgate/sdk-assemblyscript/assembly/config';
//   const limit = config.get('limit'); // string | null

function onRequest(req: Request): Action {
  if (req.path.startsWith('/admin')) return reject(403);
  return modify().setHeader('x-filtered-by', '{{name}}').removeHeader('x-debug');
}

function onResponse(res: Response): Action {
  if (res.status == 500) return modify().status(503);
  return continue_();
}

// Wires the handlers to the component's exports. Keep it last: it runs when the module starts,
// after any module-level variables above are initialised.
serve(onRequest, onResponse);
