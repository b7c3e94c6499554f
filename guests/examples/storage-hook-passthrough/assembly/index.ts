// storage-hook-passthrough: SMG's E2E storage-hook fixture (wasm-guest-storage-hook-passthrough).
//   before: store-response, create-conversation, update-conversation, create-item, link-item
//     -> do-continue([HOOK_ACTIVE="true"]); every other operation -> do-continue([]). Never rejects.
//   after: `extra` unchanged (the SDK's default when no after hook is given).
import { BeforeResult, Context, Operation, column, doContinue, serve } from '@wasmgate/sdk-assemblyscript/assembly/storage';
export * from '@wasmgate/sdk-assemblyscript/assembly/storage/exports';

function before(op: Operation, context: Context, payload: string): BeforeResult {
  switch (op) {
    case Operation.StoreResponse:
    case Operation.CreateConversation:
    case Operation.UpdateConversation:
    case Operation.CreateItem:
    case Operation.LinkItem:
      return doContinue([column('HOOK_ACTIVE', 'true')]);
    default:
      return doContinue();
  }
}

// Wires the handlers to the exports. Keep it last: it runs when the module starts, after the
// module-level variables above are initialised.
serve(before);
