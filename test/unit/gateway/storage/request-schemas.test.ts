// Request validation of the history routes and SMG's metadata patch rule.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check, createConversationBody, createItemsBody, listItemsQuery, patchMetadata, updateConversationBody } from '../../../../src/gateway/storage/request-schemas.js';

describe('request schemas', () => {
  it('create conversation: optional metadata object (≤ 16 keys) and items; extra fields ignored', () => {
    assert.deepEqual(check(createConversationBody, {}), { ok: true, data: {} });
    assert.equal(check(createConversationBody, { metadata: { a: 'b' }, other: 1 }).ok, true);
    assert.deepEqual(check(createConversationBody, { metadata: null }), { ok: false, message: 'metadata must be an object' });
    assert.deepEqual(check(createConversationBody, { metadata: [1] }), { ok: false, message: 'metadata must be an object' });
    assert.deepEqual(check(createConversationBody, 'x'), { ok: false, message: 'request body must be a JSON object' });
  });
  it('items: default type message needs role; item_reference needs id; unknown types refused', () => {
    assert.equal(check(createItemsBody, { items: [{ role: 'user', content: 'x' }] }).ok, true);
    assert.equal(check(createItemsBody, { items: [{ type: 'reasoning', content: [] }] }).ok, true);
    assert.deepEqual(check(createItemsBody, { items: [{ content: 'x' }] }), { ok: false, message: "Message items require 'role' field (items[0])" });
    assert.deepEqual(check(createItemsBody, { items: [{ role: 'user' }, { type: 'item_reference' }] }), { ok: false, message: "item_reference requires 'id' field (items[1])" });
    assert.match((check(createItemsBody, { items: [{ type: 'x' }] }) as { message: string }).message, /^Unsupported item type 'x'\. Supported types: message, reasoning, mcp_list_tools/);
    assert.deepEqual(check(createItemsBody, { items: [{ role: 5 }] }), { ok: false, message: 'item role must be a string (items[0])' });
    assert.deepEqual(check(createItemsBody, { items: 'x' }), { ok: false, message: "Missing or invalid 'items' field" });
  });
  it('list query: limit 1..100, order asc|desc, after', () => {
    assert.deepEqual(check(listItemsQuery, { limit: '5', order: 'asc', after: 'msg_1' }), { ok: true, data: { limit: 5, order: 'asc', after: 'msg_1' } });
    assert.deepEqual(check(listItemsQuery, {}), { ok: true, data: {} });
    for (const limit of ['0', '101', '1.5', '-1', 'x']) assert.equal(check(listItemsQuery, { limit }).ok, false, limit);
  });
  it('update: metadata keys patch, null removes, empty result is none, > 16 refused', () => {
    assert.equal(check(updateConversationBody, { metadata: 'x' }).ok, false);
    assert.deepEqual(patchMetadata({ a: 1, b: 2 }, { b: null, c: 3 }), { ok: true, data: { a: 1, c: 3 } });
    assert.deepEqual(patchMetadata({ a: 1 }, undefined), { ok: true, data: { a: 1 } });
    assert.deepEqual(patchMetadata(undefined, undefined), { ok: true, data: null });
    assert.deepEqual(patchMetadata({ a: 1 }, { a: null }), { ok: true, data: null });
    const many = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i]));
    assert.equal(patchMetadata(many, { extra: 1 }).ok, false);
    assert.equal(patchMetadata(many, { k0: null, extra: 1 }).ok, true);
  });
});
