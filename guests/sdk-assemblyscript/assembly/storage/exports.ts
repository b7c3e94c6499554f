// The core exports of an smg:storage hook component. Re-export this file from your entry file:
//
//   export * from '@wasmgate/sdk-assemblyscript/assembly/storage/exports';
//
// The build renames them to the component model's names:
//   wasmgate_storage_before       -> smg:storage/storage-hook-before#before
//   wasmgate_storage_before_post  -> cabi_post_smg:storage/storage-hook-before#before
//   wasmgate_storage_after        -> smg:storage/storage-hook-after#after
//   wasmgate_storage_after_post   -> cabi_post_smg:storage/storage-hook-after#after
//
// before(op, context, payload) flattens to 5 core values, after(...) to 9: both arrive flat. Both
// results exceed MAX_FLAT_RESULTS = 1 and are returned through a pointer.
import { argumentsLifted, releaseResult } from '../canonical/memory';
import { takeString } from '../canonical/lift';
import { doContinue, lowerBeforeResult, lowerColumnsResult } from './before-result';
import { takeColumns } from './column';
import { takeContext } from './context';
import { afterHandler, beforeHandler } from './handlers';
import { liftOperation } from './operation';

export { cabi_realloc } from '../canonical/memory';

export function wasmgate_storage_before(op: u32, contextPtr: usize, contextLen: usize, payloadPtr: usize, payloadLen: usize): usize {
  releaseResult();
  const operation = liftOperation(op);
  const context = takeContext(contextPtr, contextLen);
  const payload = takeString(payloadPtr, payloadLen);
  argumentsLifted();
  const handler = beforeHandler;
  return lowerBeforeResult(handler == null ? doContinue() : handler(operation, context, payload));
}

export function wasmgate_storage_before_post(ret: usize): void {
  releaseResult();
}

export function wasmgate_storage_after(
  op: u32,
  contextPtr: usize, contextLen: usize,
  payloadPtr: usize, payloadLen: usize,
  resultPtr: usize, resultLen: usize,
  extraPtr: usize, extraLen: usize,
): usize {
  releaseResult();
  const operation = liftOperation(op);
  const context = takeContext(contextPtr, contextLen);
  const payload = takeString(payloadPtr, payloadLen);
  const resultJson = takeString(resultPtr, resultLen);
  const extra = takeColumns(extraPtr, extraLen);
  argumentsLifted();
  const handler = afterHandler;
  return lowerColumnsResult(handler == null ? extra : handler(operation, context, payload, resultJson, extra));
}

export function wasmgate_storage_after_post(ret: usize): void {
  releaseResult();
}
