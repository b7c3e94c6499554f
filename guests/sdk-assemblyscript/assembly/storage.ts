// The smg:storage world (storage-hook) for AssemblyScript: typed operation, context and extra
// columns, the before-result builders, and `serve` to wire your hooks to the component's exports.
//
//   import { Operation, Context, ExtraColumn, BeforeResult, doContinue, rejectWith, column, serve } from '@wasmgate/sdk-assemblyscript/assembly/storage';
//   export * from '@wasmgate/sdk-assemblyscript/assembly/storage/exports';
//
//   serve(before, after);
//
//   function before(op: Operation, context: Context, payload: string): BeforeResult {
//     const tenant = context.get('tenant_id');
//     if (tenant == null) return rejectWith('tenant_id is required');
//     return doContinue([column('TENANT_ID', tenant)]);
//   }
//   function after(op: Operation, context: Context, payload: string, resultJson: string, extra: ExtraColumn[]): ExtraColumn[] {
//     return extra;
//   }
export { Operation, operationName } from './storage/operation';
export { Context, ContextEntry } from './storage/context';
export { ExtraColumn, column } from './storage/column';
export { BeforeResult, doContinue, rejectWith } from './storage/before-result';
export { serve, BeforeHandler, AfterHandler } from './storage/handlers';
