// The author's handlers, registered once from the module's top level with `serve` (AssemblyScript
// has no closures, so the exports reach the handlers through these function references).
import { Action } from './action';
import { Request } from './request';
import { Response } from './response';

export type RequestHandler = (req: Request) => Action;
export type ResponseHandler = (res: Response) => Action;

export let requestHandler: RequestHandler | null = null;
export let responseHandler: ResponseHandler | null = null;

/**
 * Wires your handlers to the component's exports. Call it once at the top level of your entry
 * file. A side without a handler answers `continue` (the component still exports both functions,
 * as the smg world requires).
 */
export function serve(onRequest: RequestHandler | null, onResponse: ResponseHandler | null = null): void {
  requestHandler = onRequest;
  responseHandler = onResponse;
}
