// storage-hook: multi-tenant storage, as SMG's wasm-guest-storage-hook example, plus an audit
// column in after().
//   before: tenant := context `tenant_id`, user := context `user_id`
//     store-response: tenant ? do-continue([TENANT_ID=tenant] + [STORED_BY=user] if user)
//                            : reject("tenant_id is required in request context for StoreResponse")
//     create-conversation: do-continue([TENANT_ID] if tenant, [CREATED_BY=user] if user)
//     create-item, link-item: do-continue([TENANT_ID] if tenant)
//     anything else: do-continue([]).  The payload is not read.
//   after: `extra` unchanged plus AUDITED_AT=<wall-clock ms> (SMG's example returns `extra` unchanged).
import { BeforeResult, Context, ExtraColumn, Operation, column, doContinue, rejectWith, serve } from '@wasmgate/sdk-assemblyscript/assembly/storage';
import { clock } from '@wasmgate/sdk-assemblyscript/assembly/clock';
export * from '@wasmgate/sdk-assemblyscript/assembly/storage/exports';

function before(op: Operation, context: Context, payload: string): BeforeResult {
  const tenant = context.get('tenant_id');
  const user = context.get('user_id');
  const columns = new Array<ExtraColumn>();
  switch (op) {
    case Operation.StoreResponse: {
      if (tenant == null) return rejectWith('tenant_id is required in request context for StoreResponse');
      columns.push(column('TENANT_ID', tenant));
      if (user != null) columns.push(column('STORED_BY', user));
      break;
    }
    case Operation.CreateConversation: {
      if (tenant != null) columns.push(column('TENANT_ID', tenant));
      if (user != null) columns.push(column('CREATED_BY', user));
      break;
    }
    case Operation.CreateItem:
    case Operation.LinkItem: {
      if (tenant != null) columns.push(column('TENANT_ID', tenant));
      break;
    }
    default:
      break;
  }
  return doContinue(columns);
}

function after(op: Operation, context: Context, payload: string, resultJson: string, extra: ExtraColumn[]): ExtraColumn[] {
  const columns = extra.slice(0);
  columns.push(column('AUDITED_AT', clock.nowMs().toString()));
  return columns;
}

// Wires the handlers to the exports. Keep it last: it runs when the module starts, after the
// module-level variables above are initialised.
serve(before, after);
