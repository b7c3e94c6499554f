// The smg:gateway world (SMG-compatible middleware) for AssemblyScript: typed Request / Response,
// the action builders, and `serve` to wire your handlers to the component's exports.
//
//   import { Request, Response, Action, continue_, reject, modify, serve } from '@wasmgate/sdk-assemblyscript/assembly/smg';
//   export * from '@wasmgate/sdk-assemblyscript/assembly/smg/exports';
//
//   serve(onRequest, onResponse);
//
//   function onRequest(req: Request): Action {
//     return req.path.startsWith('/admin') ? reject(403) : modify().addHeader('x-seen', 'true');
//   }
//   function onResponse(res: Response): Action {
//     return res.status == 500 ? modify().status(503) : continue_();
//   }
//
// Build with tools/build-component.mjs (see the package README): it compiles, renames the exports
// to the component model's names, embeds the WIT and wraps the module into a component.
export { Header } from './smg/header';
export { Request } from './smg/request';
export { Response } from './smg/response';
export { Action, ActionKind, ModifyAction, continue_, reject, modify } from './smg/action';
export { serve, RequestHandler, ResponseHandler } from './smg/handlers';
