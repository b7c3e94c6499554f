// Test guest for the SDK's smg:storage code paths (test/unit/guests/sdk-canonical.test.ts).
//   before: context "reject" present -> reject(<its value>); context "empty" present ->
//     do-continue([]); otherwise do-continue([OP=<name>, OP_INDEX=<n>, PAYLOAD=<payload>,
//     CONTEXT_SIZE=<n>, CTX_<key>=<value> for each entry])
//   after: context "passthrough" present -> extra unchanged; otherwise extra + [AFTER_OP=<name>,
//     RESULT=<result-json>, PAYLOAD=<payload>]
import { BeforeResult, Context, ExtraColumn, Operation, column, doContinue, operationName, rejectWith, serve } from '../assembly/storage';
export * from '../assembly/storage/exports';

function before(op: Operation, context: Context, payload: string): BeforeResult {
  const why = context.get('reject');
  if (why != null) return rejectWith(why);
  if (context.has('empty')) return doContinue();
  const columns: ExtraColumn[] = [
    column('OP', operationName(op)),
    column('OP_INDEX', (<i32>op).toString()),
    column('PAYLOAD', payload),
    column('CONTEXT_SIZE', context.size.toString()),
  ];
  for (let i = 0; i < context.entries.length; i++) {
    const e = context.entries[i];
    columns.push(column('CTX_' + e.key, e.value));
  }
  return doContinue(columns);
}

function after(op: Operation, context: Context, payload: string, resultJson: string, extra: ExtraColumn[]): ExtraColumn[] {
  if (context.has('passthrough')) return extra;
  const out = extra.slice(0);
  out.push(column('AFTER_OP', operationName(op)));
  out.push(column('RESULT', resultJson));
  out.push(column('PAYLOAD', payload));
  return out;
}

// Wires the handlers to the exports. Keep it last: it runs when the module starts, after the
// module-level variables above are initialised.
serve(before, after);
