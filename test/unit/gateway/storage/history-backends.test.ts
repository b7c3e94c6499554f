// The memory backend (semantics of SMG's memory storage, plus kept extra columns) and the none
// backend (everything succeeds, nothing is kept).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryHistoryStore } from '../../../../src/gateway/storage/memory-history-store.js';
import { NoneHistoryStore } from '../../../../src/gateway/storage/none-history-store.js';
import type { StoredResponse } from '../../../../src/gateway/storage/history-types.js';
import type { HistoryStore } from '../../../../src/gateway/storage/history-store.js';

const message = (text: string) => ({ responseId: null, itemType: 'message', role: 'user', content: text, status: 'completed' });
const response = (id: string, extra: Partial<StoredResponse> = {}): StoredResponse => ({
  id,
  previousResponseId: null,
  input: [],
  createdAt: 1000,
  safetyIdentifier: null,
  model: null,
  conversationId: null,
  rawResponse: { id },
  ...extra,
});

describe('MemoryHistoryStore', () => {
  it('generates SMG-style ids: conv_ and msg_/rs_/fc_/itm_ + 50 hex digits', async () => {
    const store = new MemoryHistoryStore();
    assert.match((await store.createConversation({})).id, /^conv_[0-9a-f]{50}$/);
    assert.match((await store.createItem(message('a'))).id, /^msg_[0-9a-f]{50}$/);
    assert.match((await store.createItem({ ...message('a'), itemType: 'reasoning' })).id, /^rs_[0-9a-f]{50}$/);
    assert.match((await store.createItem({ ...message('a'), itemType: 'function_call' })).id, /^fc_[0-9a-f]{50}$/);
    assert.match((await store.createItem({ ...message('a'), itemType: 'web_search_call' })).id, /^web_[0-9a-f]{50}$/);
    assert.match((await store.createItem({ ...message('a'), itemType: '' })).id, /^itm_[0-9a-f]{50}$/);
  });

  it('creates, reads, updates (metadata replaced, null removes it) and deletes conversations', async () => {
    const store = new MemoryHistoryStore({ now: () => 5000 });
    const c = await store.createConversation({ metadata: { a: 1 } });
    assert.deepEqual(await store.getConversation(c.id), { id: c.id, createdAt: 5000, metadata: { a: 1 } });
    assert.deepEqual(await store.updateConversation(c.id, { b: 2 }), { id: c.id, createdAt: 5000, metadata: { b: 2 } });
    assert.deepEqual(await store.updateConversation(c.id, null), { id: c.id, createdAt: 5000 });
    assert.equal(await store.updateConversation('conv_missing', {}), null);
    assert.equal(await store.deleteConversation(c.id), true);
    assert.equal(await store.deleteConversation(c.id), false);
    assert.equal(await store.getConversation(c.id), null);
  });

  it('lists linked items by time added then linking order, both orders, with an item cursor and a limit', async () => {
    const store = new MemoryHistoryStore();
    const ids: string[] = [];
    for (const text of ['a', 'b', 'c', 'd']) ids.push((await store.createItem(message(text))).id);
    await store.linkItems('conv_1', ids.slice(0, 3).map((itemId) => ({ itemId, addedAt: 1000 })));
    await store.linkItem('conv_1', ids[3]!, 2000);
    const list = async (order: 'Asc' | 'Desc', after: string | null, limit = 10) => (await store.listItems('conv_1', { limit, order, after })).map((i) => i.content);
    assert.deepEqual(await list('Asc', null), ['a', 'b', 'c', 'd']);
    assert.deepEqual(await list('Desc', null), ['d', 'c', 'b', 'a']);
    assert.deepEqual(await list('Asc', ids[1]!), ['c', 'd']);
    assert.deepEqual(await list('Desc', ids[2]!, 1), ['b']);
    assert.deepEqual(await list('Asc', 'msg_not_linked', 2), ['a', 'b'], 'an unknown cursor is ignored, as SMG');
    assert.deepEqual(await store.listItems('conv_other', { limit: 10, order: 'Asc', after: null }), []);
    assert.equal(await store.isItemLinked('conv_1', ids[0]!), true);
    await store.deleteItem('conv_1', ids[0]!);
    assert.equal(await store.isItemLinked('conv_1', ids[0]!), false);
    assert.ok(await store.getItem(ids[0]!), 'deleting from a conversation keeps the item');
  });

  it('stores responses (replacing by id), walks chains oldest first with a depth limit, and stops on a cycle', async () => {
    const store = new MemoryHistoryStore();
    await store.storeResponse(response('r1'));
    await store.storeResponse(response('r2', { previousResponseId: 'r1' }));
    await store.storeResponse(response('r3', { previousResponseId: 'r2' }));
    assert.deepEqual((await store.getResponseChain('r3', null)).responses.map((r) => r.id), ['r1', 'r2', 'r3']);
    assert.deepEqual((await store.getResponseChain('r3', 2)).responses.map((r) => r.id), ['r2', 'r3']);
    assert.deepEqual((await store.getResponseChain('nope', null)).responses, []);
    await store.storeResponse(response('r1', { previousResponseId: 'r3' }));
    assert.deepEqual((await store.getResponseChain('r3', null)).responses.map((r) => r.id), ['r1', 'r2', 'r3']);
    await store.deleteResponse('r2');
    assert.equal(await store.getResponse('r2'), null);
  });

  it('lists responses of a safety identifier newest first, deletes them all, and re-storing does not duplicate', async () => {
    const store = new MemoryHistoryStore();
    await store.storeResponse(response('r1', { safetyIdentifier: 'u', createdAt: 1 }));
    await store.storeResponse(response('r2', { safetyIdentifier: 'u', createdAt: 3 }));
    await store.storeResponse(response('r3', { safetyIdentifier: 'u', createdAt: 2 }));
    await store.storeResponse(response('r1', { safetyIdentifier: 'u', createdAt: 1 }));
    await store.storeResponse(response('r4', { safetyIdentifier: 'other' }));
    assert.deepEqual((await store.listIdentifierResponses('u', null)).map((r) => r.id), ['r2', 'r3', 'r1']);
    assert.deepEqual((await store.listIdentifierResponses('u', 1)).map((r) => r.id), ['r2']);
    assert.equal(await store.deleteIdentifierResponses('u'), 3);
    assert.equal(await store.deleteIdentifierResponses('u'), 0);
    assert.ok(await store.getResponse('r4'));
  });

  it('keeps extra columns with each record and merges annotations into them', async () => {
    const store = new MemoryHistoryStore();
    const c = await store.createConversation({}, { TENANT_ID: 't1' });
    await store.updateConversation(c.id, { x: 1 }, { UPDATED_BY: 'u' });
    await store.annotate({ kind: 'conversation', id: c.id }, { AUDITED_AT: '1', TENANT_ID: 't1' });
    const item = await store.createItem(message('a'), { TENANT_ID: 't1' });
    await store.linkItem(c.id, item.id, 1000, { LINKED: 'yes' });
    await store.annotate({ kind: 'link', conversationId: c.id, itemId: item.id }, { AFTER: 'x' });
    await store.storeResponse(response('r1'), { STORED_BY: 'u' });
    await store.annotate({ kind: 'response', id: 'missing' }, { X: '1' });
    const dump = store.dump();
    assert.deepEqual((dump.conversations[0] as { extra_columns: unknown }).extra_columns, { TENANT_ID: 't1', UPDATED_BY: 'u', AUDITED_AT: '1' });
    assert.deepEqual((dump.items[0] as { extra_columns: unknown }).extra_columns, { TENANT_ID: 't1' });
    assert.deepEqual(dump.links, [{ conversation_id: c.id, item_id: item.id, added_at: '1970-01-01T00:00:01Z', extra_columns: { LINKED: 'yes', AFTER: 'x' } }]);
    assert.deepEqual((dump.responses[0] as { extra_columns: unknown }).extra_columns, { STORED_BY: 'u' });
    assert.equal(dump.responses.length, 1);
  });
});

describe('NoneHistoryStore', () => {
  it('answers what it would have stored and finds nothing afterwards', async () => {
    const store: HistoryStore = new NoneHistoryStore({ now: () => 7 });
    const c = await store.createConversation({ metadata: { a: 1 } });
    assert.match(c.id, /^conv_/);
    assert.deepEqual(c.metadata, { a: 1 });
    assert.equal(await store.getConversation(c.id), null);
    assert.equal(await store.updateConversation(c.id, null), null);
    assert.equal(await store.deleteConversation(c.id), false);
    const item = await store.createItem(message('a'));
    assert.equal(item.createdAt, 7);
    await store.linkItem(c.id, item.id, 1);
    assert.deepEqual(await store.listItems(c.id, { limit: 10, order: 'Asc', after: null }), []);
    assert.equal(await store.isItemLinked(c.id, item.id), false);
    assert.equal(await store.storeResponse(response('r1')), 'r1');
    assert.equal(await store.getResponse('r1'), null);
    assert.deepEqual(await store.getResponseChain('r1', null), { responses: [], metadata: {} });
    assert.equal(await store.deleteIdentifierResponses('u'), 0);
    assert.deepEqual(store.dump!(), { backend: 'none', conversations: [], items: [], links: [], responses: [] });
  });
});
