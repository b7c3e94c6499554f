// Payload and result JSON as SMG hands them to a storage hook (reference §4.4): field order,
// `"x"?` omission, nulls, chrono's RFC 3339 timestamps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chainJson, conversationJson, itemJson, payloads, responseJson, rfc3339 } from '../../../../src/gateway/storage/history-json.js';

const T = Date.UTC(2026, 0, 2, 3, 4, 5);

describe('rfc3339', () => {
  it('is UTC with Z and no fraction on a whole second, 3 digits otherwise', () => {
    assert.equal(rfc3339(T), '2026-01-02T03:04:05Z');
    assert.equal(rfc3339(T + 120), '2026-01-02T03:04:05.120Z');
    assert.equal(rfc3339(T + 7), '2026-01-02T03:04:05.007Z');
  });
});

describe('payloads', () => {
  const s = (v: unknown) => JSON.stringify(v);
  it('create-conversation omits absent id and metadata', () => {
    assert.equal(s(payloads.createConversation({})), '{}');
    assert.equal(s(payloads.createConversation({ metadata: { a: 1 } })), '{"metadata":{"a":1}}');
    assert.equal(s(payloads.createConversation({ id: 'conv_1', metadata: { a: 1 } })), '{"id":"conv_1","metadata":{"a":1}}');
  });
  it('update-conversation always has id and metadata (null when none)', () => {
    assert.equal(s(payloads.updateConversation('conv_1', null)), '{"id":"conv_1","metadata":null}');
    assert.equal(s(payloads.updateConversation('conv_1', { k: 'v' })), '{"id":"conv_1","metadata":{"k":"v"}}');
  });
  it('create-item: id only when given, then response_id, item_type, role, content, status', () => {
    const item = { responseId: null, itemType: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }], status: 'completed' };
    assert.equal(s(payloads.createItem(item)), '{"response_id":null,"item_type":"message","role":"user","content":[{"type":"input_text","text":"hi"}],"status":"completed"}');
    assert.equal(s(payloads.createItem({ ...item, id: 'msg_1', role: null, status: null })), '{"id":"msg_1","response_id":null,"item_type":"message","role":null,"content":[{"type":"input_text","text":"hi"}],"status":null}');
  });
  it('link-item, link-items, list-items, item pairs, chains, identifiers', () => {
    assert.equal(s(payloads.linkItem('conv_1', 'msg_1', T)), '{"conversation_id":"conv_1","item_id":"msg_1","added_at":"2026-01-02T03:04:05Z"}');
    assert.equal(s(payloads.linkItems('conv_1', 3)), '{"conversation_id":"conv_1","items_count":3}');
    assert.equal(s(payloads.listItems('conv_1', { limit: 20, order: 'Desc', after: null })), '{"conversation_id":"conv_1","params":{"limit":20,"order":"Desc","after":null}}');
    assert.equal(s(payloads.listItems('conv_1', { limit: 5, order: 'Asc', after: 'msg_9' })), '{"conversation_id":"conv_1","params":{"limit":5,"order":"Asc","after":"msg_9"}}');
    assert.equal(s(payloads.itemInConversation('conv_1', 'msg_1')), '{"conversation_id":"conv_1","item_id":"msg_1"}');
    assert.equal(s(payloads.responseChain('resp_1', null)), '{"response_id":"resp_1","max_depth":null}');
    assert.equal(s(payloads.responseChain('resp_1', 4)), '{"response_id":"resp_1","max_depth":4}');
    assert.equal(s(payloads.listIdentifier('user-1', null)), '{"identifier":"user-1","limit":null}');
    assert.equal(s(payloads.deleteIdentifier('user-1')), '{"identifier":"user-1"}');
  });
});

describe('result JSON', () => {
  const s = (v: unknown) => JSON.stringify(v);
  it('conversation: id, created_at, metadata only when present', () => {
    assert.equal(s(conversationJson({ id: 'conv_1', createdAt: T })), '{"id":"conv_1","created_at":"2026-01-02T03:04:05Z"}');
    assert.equal(s(conversationJson({ id: 'conv_1', createdAt: T, metadata: {} })), '{"id":"conv_1","created_at":"2026-01-02T03:04:05Z","metadata":{}}');
  });
  it('item: every field, created_at last', () => {
    assert.equal(
      s(itemJson({ id: 'msg_1', responseId: 'resp_1', itemType: 'message', role: 'user', content: 'x', status: 'completed', createdAt: T + 1 })),
      '{"id":"msg_1","response_id":"resp_1","item_type":"message","role":"user","content":"x","status":"completed","created_at":"2026-01-02T03:04:05.001Z"}',
    );
  });
  it('stored response in serde order, and a chain with empty metadata', () => {
    const r = { id: 'resp_1', previousResponseId: null, input: [], createdAt: T, safetyIdentifier: null, model: 'm', conversationId: null, rawResponse: { id: 'resp_1' } };
    const expected = '{"id":"resp_1","previous_response_id":null,"input":[],"created_at":"2026-01-02T03:04:05Z","safety_identifier":null,"model":"m","conversation_id":null,"raw_response":{"id":"resp_1"}}';
    assert.equal(s(responseJson(r)), expected);
    assert.equal(s(chainJson({ responses: [r], metadata: {} })), `{"responses":[${expected}],"metadata":{}}`);
  });
});
