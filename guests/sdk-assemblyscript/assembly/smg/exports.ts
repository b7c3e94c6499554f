// The core exports of an smg:gateway component. Re-export this file from your entry file:
//
//   export * from '@wasmgate/sdk-assemblyscript/assembly/smg/exports';
//
// AssemblyScript names cannot contain ':', '/' or '#', so the build (tools/build-component.mjs)
// renames these to what the component model expects:
//   wasmgate_smg_on_request       -> smg:gateway/middleware-on-request#on-request
//   wasmgate_smg_on_request_post  -> cabi_post_smg:gateway/middleware-on-request#on-request
//   wasmgate_smg_on_response      -> smg:gateway/middleware-on-response#on-response
//   wasmgate_smg_on_response_post -> cabi_post_smg:gateway/middleware-on-response#on-response
//
// on-request's `request` flattens to 13 core values (six ptr/len pairs and the u64), within
// MAX_FLAT_PARAMS = 16, so it arrives as flat parameters. `action` flattens to more than
// MAX_FLAT_RESULTS = 1 value, so the function returns a pointer to it in memory.
import { argumentsLifted, releaseResult } from '../canonical/memory';
import { CONTINUE_ACTION, lowerAction } from './action';
import { requestHandler, responseHandler } from './handlers';
import { takeRequest } from './request';
import { takeResponse } from './response';

export { cabi_realloc } from '../canonical/memory';

export function wasmgate_smg_on_request(
  methodPtr: usize, methodLen: usize,
  pathPtr: usize, pathLen: usize,
  queryPtr: usize, queryLen: usize,
  headersPtr: usize, headersLen: usize,
  bodyPtr: usize, bodyLen: usize,
  requestIdPtr: usize, requestIdLen: usize,
  nowEpochMs: u64,
): usize {
  releaseResult();
  const req = takeRequest(methodPtr, methodLen, pathPtr, pathLen, queryPtr, queryLen, headersPtr, headersLen, bodyPtr, bodyLen, requestIdPtr, requestIdLen, nowEpochMs);
  argumentsLifted();
  const handler = requestHandler;
  return lowerAction(handler == null ? CONTINUE_ACTION : handler(req));
}

export function wasmgate_smg_on_request_post(ret: usize): void {
  releaseResult();
}

export function wasmgate_smg_on_response(status: u32, headersPtr: usize, headersLen: usize, bodyPtr: usize, bodyLen: usize): usize {
  releaseResult();
  const res = takeResponse(status, headersPtr, headersLen, bodyPtr, bodyLen);
  argumentsLifted();
  const handler = responseHandler;
  return lowerAction(handler == null ? CONTINUE_ACTION : handler(res));
}

export function wasmgate_smg_on_response_post(ret: usize): void {
  releaseResult();
}
