// The storage-echo component (guests/components/wat/storage-echo.wat) hands back what it was
// given: for each of the 17 operations, the payload before() received and the result JSON after()
// received are exactly SMG's (reference §4.4), and the operation index is the WIT enum's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { STORAGE_OPERATIONS, StorageHook, type BeforeResult, type ContextEntry, type ExtraColumn, type StorageOperation } from '../../../../src/abi/index.js';
import { HookedHistoryStore } from '../../../../src/gateway/storage/hooked-history-store.js';
import { MemoryHistoryStore } from '../../../../src/gateway/storage/memory-history-store.js';
import type { StorageHookCaller } from '../../../../src/gateway/storage/storage-hook-contract.js';
import { LogCapture } from '../../../helpers/gateway-harness.js';
import { guestPath } from '../../../helpers/guests.js';

/** Records what the guest returned. */
class Recording implements StorageHookCaller {
  readonly seen: Array<{ op: StorageOperation; before?: Record<string, string>; after?: Record<string, string> }> = [];
  constructor(readonly hook: StorageHook) {}
  async before(op: StorageOperation, context: readonly ContextEntry[], payload: string): Promise<BeforeResult> {
    const r = await this.hook.before(op, context, payload);
    if (r.tag === 'do-continue') this.seen.push({ op, before: Object.fromEntries(r.columns.map((c) => [c.name, c.value])) });
    return r;
  }
  async after(op: StorageOperation, context: readonly ContextEntry[], payload: string, result: string, extra: readonly ExtraColumn[]): Promise<ExtraColumn[]> {
    const columns = await this.hook.after(op, context, payload, result, extra);
    this.seen.at(-1)!.after = Object.fromEntries(columns.map((c) => [c.name, c.value]));
    return columns;
  }
}

const T0 = Date.UTC(2026, 4, 6, 7, 8, 9);

describe('storage-echo: payload and result JSON of every operation', () => {
  let hook: StorageHook;
  before(async () => {
    hook = await StorageHook.load(readFileSync(guestPath('components', 'storage-echo')), { name: 'storage-echo' });
  });
  after(async () => {
    await hook.close();
  });

  it('all 17 operations, in the order a client would cause them', async () => {
    const recording = new Recording(hook);
    let clock = T0;
    const backend = new MemoryHistoryStore({ now: () => clock });
    const store = new HookedHistoryStore(backend, recording, { log: new LogCapture().logger }).withContext([{ key: 'tenant_id', value: 'acme' }]);
    const expect: Array<[StorageOperation, string, string]> = [];
    const check = (op: StorageOperation, payload: string, result: string) => expect.push([op, payload, result]);

    const conv = await store.createConversation({ metadata: { topic: 'x' } });
    const convJson = `{"id":"${conv.id}","created_at":"2026-05-06T07:08:09Z","metadata":{"topic":"x"}}`;
    check('create-conversation', '{"metadata":{"topic":"x"}}', convJson);
    await store.getConversation(conv.id);
    check('get-conversation', `"${conv.id}"`, convJson);
    clock += 5;
    await store.updateConversation(conv.id, null);
    check('update-conversation', `{"id":"${conv.id}","metadata":null}`, `{"id":"${conv.id}","created_at":"2026-05-06T07:08:09Z"}`);
    const item = await store.createItem({ id: 'msg_1', responseId: 'resp_1', itemType: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }], status: 'completed' });
    const itemJson = '{"id":"msg_1","response_id":"resp_1","item_type":"message","role":"user","content":[{"type":"input_text","text":"hi"}],"status":"completed","created_at":"2026-05-06T07:08:09.005Z"}';
    check('create-item', '{"id":"msg_1","response_id":"resp_1","item_type":"message","role":"user","content":[{"type":"input_text","text":"hi"}],"status":"completed"}', itemJson);
    await store.linkItem(conv.id, item.id, T0 + 250);
    check('link-item', `{"conversation_id":"${conv.id}","item_id":"msg_1","added_at":"2026-05-06T07:08:09.250Z"}`, 'null');
    await store.linkItems(conv.id, [{ itemId: item.id, addedAt: T0 }]);
    check('link-items', `{"conversation_id":"${conv.id}","items_count":1}`, 'null');
    await store.listItems(conv.id, { limit: 10, order: 'Desc', after: null });
    check('list-items', `{"conversation_id":"${conv.id}","params":{"limit":10,"order":"Desc","after":null}}`, `[${itemJson}]`);
    await store.getItem('msg_1');
    check('get-item', '"msg_1"', itemJson);
    await store.isItemLinked(conv.id, 'msg_1');
    check('is-item-linked', `{"conversation_id":"${conv.id}","item_id":"msg_1"}`, 'true');
    await store.deleteItem(conv.id, 'msg_1');
    check('delete-item', `{"conversation_id":"${conv.id}","item_id":"msg_1"}`, 'null');
    const stored = { id: 'resp_1', previousResponseId: null, input: [{ role: 'user', content: 'hi' }], createdAt: T0, safetyIdentifier: 'user-1', model: 'm', conversationId: conv.id, rawResponse: { id: 'resp_1', object: 'response' } };
    const storedJson = `{"id":"resp_1","previous_response_id":null,"input":[{"role":"user","content":"hi"}],"created_at":"2026-05-06T07:08:09Z","safety_identifier":"user-1","model":"m","conversation_id":"${conv.id}","raw_response":{"id":"resp_1","object":"response"}}`;
    await store.storeResponse(stored);
    check('store-response', storedJson, '"resp_1"');
    await store.getResponse('resp_1');
    check('get-response', '"resp_1"', storedJson);
    await store.getResponseChain('resp_1', 3);
    check('get-response-chain', '{"response_id":"resp_1","max_depth":3}', `{"responses":[${storedJson}],"metadata":{}}`);
    await store.listIdentifierResponses('user-1', null);
    check('list-identifier-responses', '{"identifier":"user-1","limit":null}', `[${storedJson}]`);
    await store.deleteResponse('resp_1');
    check('delete-response', '"resp_1"', 'null');
    await store.deleteIdentifierResponses('user-1');
    check('delete-identifier-responses', '{"identifier":"user-1"}', '0');
    await store.deleteConversation(conv.id);
    check('delete-conversation', `"${conv.id}"`, 'true');

    assert.equal(recording.seen.length, 17);
    assert.deepEqual(new Set(expect.map(([op]) => op)), new Set(STORAGE_OPERATIONS));
    for (const [i, [op, payload, result]] of expect.entries()) {
      const seen = recording.seen[i]!;
      assert.equal(seen.op, op);
      assert.equal(seen.before!.OP, String(STORAGE_OPERATIONS.indexOf(op)), `${op}: enum index`);
      assert.equal(seen.before!.PAYLOAD, payload, `${op}: payload`);
      assert.equal(seen.before!.tenant_id, 'acme', `${op}: context`);
      assert.equal(seen.after!.RESULT, result, `${op}: result_json`);
      assert.equal(seen.after!.AFTER_OP, seen.before!.OP);
      assert.equal(seen.after!.PAYLOAD, payload, `${op}: after() gets the before() columns as extra`);
    }
  });
});
