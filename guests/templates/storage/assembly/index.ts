// {{name}}: an smg:storage hook component (SMG's storage-hook world) for wasmgate, written with
// @wasmgate/sdk-assemblyscript.
//   before: store-response without a tenant_id in the context -> reject;
//           any operation with a tenant_id -> do-continue([TENANT_ID=<tenant_id>]);
//           otherwise -> do-continue([])
//   after:  returns the extra columns unchanged
import { BeforeResult, Context, ExtraColumn, Operation, column, doContinue, rejectWith, serve } from '@wasmgate/sdk-assemblyscript/assembly/storage';
export * from '@wasmgate/sdk-assemblyscript/assembly/storage/exports';

function before(op: Operation, context: Context, payload: string): BeforeResult {
  const tenant = context.get('tenant_id');
  if (tenant == null) {
    return op == Operation.StoreResponse ? rejectWith('tenant_id is required to store a response') : doContinue();
  }
  return doContinue([column('TENANT_ID', tenant)]);
}

function after(op: Operation, context: Context, payload: string, resultJson: string, extra: ExtraColumn[]): ExtraColumn[] {
  return extra;
}

// Wires the hooks to the component's exports. Keep it last: it runs when the module starts, after
// any module-level variables above are initialised.
serve(before, after);
