// The storage-echo test hook in the gateway: the payload and result JSON the hook receives for the
// operations HTTP clients cause, the context the headers produce (§4.5 rules), and what a reject
// means for each kind of route (§4.7).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { guestPath } from '../../../helpers/guests.js';
import { rawRequest } from '../../../helpers/gateway-raw-http.js';
import { startStorageTestbed, type StorageTestbed } from './storage-harness.js';

const MAP = { 'x-tenant-id': 'tenant_id', 'X-User-Id': 'user_id', 'x-reject': 'reject' };

describe('storage-echo hook over HTTP', () => {
  let bed: StorageTestbed;
  before(async () => {
    bed = await startStorageTestbed({ storageHookWasmPath: guestPath('components', 'storage-echo'), storageContextHeaders: MAP });
  });
  after(async () => {
    await bed.close();
  });
  const hookCalls = (op: string) => bed.t.logs.lines.filter((l) => l.msg === 'storage hook before()' && l.op === op);

  it('create/update conversation, create items, link-items: payloads and results as SMG builds them', async () => {
    const conv = (await bed.post('/v1/conversations', { metadata: { a: 'b' } }, { 'x-tenant-id': 't1' })).json();
    let dump = await bed.debug();
    const created = dump.conversations.find((c: { id: string }) => c.id === conv.id);
    assert.equal(created.extra_columns.OP, '0');
    assert.equal(created.extra_columns.PAYLOAD, '{"metadata":{"a":"b"}}');
    assert.equal(created.extra_columns.tenant_id, 't1');
    assert.match(created.extra_columns.RESULT, new RegExp(`^\\{"id":"${conv.id}","created_at":"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z","metadata":\\{"a":"b"\\}\\}$`));
    assert.equal(new Date(JSON.parse(created.extra_columns.RESULT).created_at).getTime() / 1000 | 0, conv.created_at);

    await bed.post(`/v1/conversations/${conv.id}`, { metadata: { a: null } });
    dump = await bed.debug();
    const updated = dump.conversations.find((c: { id: string }) => c.id === conv.id);
    assert.equal(updated.extra_columns.PAYLOAD, `{"id":"${conv.id}","metadata":null}`);
    assert.equal(updated.extra_columns.OP, '2');
    assert.equal(updated.extra_columns.tenant_id, 't1', 'kept from create: columns are merged');

    await bed.post(`/v1/conversations/${conv.id}/items`, { items: [{ role: 'user', content: 'hi' }, { id: 'msg_given', role: 'assistant', content: [], status: 'in_progress' }] });
    dump = await bed.debug();
    const links = dump.links.filter((l: { conversation_id: string }) => l.conversation_id === conv.id);
    assert.equal(links.length, 2);
    assert.equal(links[0].extra_columns.PAYLOAD, `{"conversation_id":"${conv.id}","items_count":2}`);
    assert.equal(links[0].extra_columns.RESULT, 'null');
    const first = dump.items.find((i: { id: string }) => i.id === links[0].item_id);
    assert.equal(first.extra_columns.PAYLOAD, '{"response_id":null,"item_type":"message","role":"user","content":"hi","status":"completed"}');
    assert.equal(JSON.parse(first.extra_columns.RESULT).id, first.id);
    const given = dump.items.find((i: { id: string }) => i.id === 'msg_given');
    assert.equal(given.extra_columns.PAYLOAD, '{"id":"msg_given","response_id":null,"item_type":"message","role":"assistant","content":[],"status":"in_progress"}');
    // reads: the item-with-id path asks is-item-linked and get-item first
    assert.ok(hookCalls('is-item-linked').some((l) => l.payload === `{"conversation_id":"${conv.id}","item_id":"msg_given"}`));
    assert.ok(hookCalls('get-item').some((l) => l.payload === '"msg_given"'));
  });

  it('read operations get bare-string or object payloads', async () => {
    const conv = (await bed.post('/v1/conversations', {})).json();
    await bed.get(`/v1/conversations/${conv.id}/items?limit=7&order=asc`);
    assert.ok(hookCalls('get-conversation').some((l) => l.payload === `"${conv.id}"`));
    assert.ok(hookCalls('list-items').some((l) => l.payload === `{"conversation_id":"${conv.id}","params":{"limit":7,"order":"Asc","after":null}}`));
    await bed.del(`/v1/conversations/${conv.id}/items/msg_x`);
    assert.ok(hookCalls('delete-item').some((l) => l.payload === `{"conversation_id":"${conv.id}","item_id":"msg_x"}`));
    await bed.del(`/v1/conversations/${conv.id}`);
    assert.ok(hookCalls('delete-conversation').some((l) => l.payload === `"${conv.id}"`));
    await bed.get('/v1/responses/resp_missing');
    assert.ok(hookCalls('get-response').some((l) => l.payload === '"resp_missing"'));
  });

  it('store-response: the stored response in serde field order, raw_response as the upstream sent it', async () => {
    const reply = await bed.post('/v1/responses', { model: 'm7', input: [{ role: 'user', content: 'q' }], user: 'end-user-1', previous_response_id: 'resp_prev' }, { 'x-tenant-id': 't2' });
    const raw = reply.json();
    const stored = (await bed.debug()).responses.find((r: { id: string }) => r.id === raw.id);
    const created = new Date(raw.created_at * 1000).toISOString().replace('.000Z', 'Z');
    assert.equal(
      stored.extra_columns.PAYLOAD,
      `{"id":"${raw.id}","previous_response_id":"resp_prev","input":[{"role":"user","content":"q"}],"created_at":"${created}","safety_identifier":"end-user-1","model":"m7","conversation_id":null,"raw_response":${reply.text}}`,
    );
    assert.equal(stored.extra_columns.RESULT, `"${raw.id}"`);
    assert.equal(stored.extra_columns.tenant_id, 't2');
    assert.equal(stored.extra_columns.OP, '11');
  });

  it('context: header names any case, first value only, trimmed; empty and non-ASCII values skipped', async () => {
    const conv = (await bed.post('/v1/conversations', {}, { 'X-TENANT-ID': ['  first \t', 'second'], 'x-user-id': '' })).json();
    const cols = (await bed.debug()).conversations.find((c: { id: string }) => c.id === conv.id).extra_columns;
    assert.equal(cols.tenant_id, 'first');
    assert.equal(cols.user_id, undefined);
    const body = '{}';
    const raw = await rawRequest(bed.t.gateway.address.port, [
      'POST /v1/conversations HTTP/1.1',
      'Host: x',
      'Connection: close',
      'Content-Type: application/json',
      `Content-Length: ${body.length}`,
      'x-tenant-id: caf\u00e9',
      'x-user-id: u-1',
    ], body);
    assert.equal(raw.status, 200);
    const id = JSON.parse(raw.body).id;
    const rawCols = (await bed.debug()).conversations.find((c: { id: string }) => c.id === id).extra_columns;
    assert.equal(rawCols.tenant_id, undefined);
    assert.equal(rawCols.user_id, 'u-1');
  });

  it('reject on conversation and item routes: 500 {"error": "Failed to ...: Storage error: <reason>"}', async () => {
    const conv = (await bed.post('/v1/conversations', {})).json();
    const cases: Array<[Promise<{ status: number; json(): any }>, string]> = [
      [bed.post('/v1/conversations', {}, { 'x-reject': 'no tenant' }), 'Failed to create conversation: Storage error: no tenant'],
      [bed.get(`/v1/conversations/${conv.id}`, { 'x-reject': 'no tenant' }), 'Failed to get conversation: Storage error: no tenant'],
      [bed.del(`/v1/conversations/${conv.id}`, { 'x-reject': 'not yours' }), 'Failed to delete conversation: Storage error: not yours'],
      [bed.get(`/v1/conversations/${conv.id}/items`, { 'x-reject': 'r' }), 'Failed to get conversation: Storage error: r'],
    ];
    for (const [pending, message] of cases) {
      const reply = await pending;
      assert.equal(reply.status, 500, message);
      assert.deepEqual(reply.json(), { error: message });
    }
    assert.equal((await bed.get(`/v1/conversations/${conv.id}`)).status, 200, 'the rejected delete did not happen');
  });

  it('reject on responses routes: the OpenAI-style error with X-SMG-Error-Code; on POST /v1/responses only a log', async () => {
    const posted = await bed.post('/v1/responses', { model: 'm', input: 'x' }, { 'x-reject': 'read only tenant' });
    assert.equal(posted.status, 200);
    assert.ok(bed.t.logs.find(/^Failed to persist conversation items: Failed to store response: Storage error: read only tenant$/));
    for (const path of [`/v1/responses/${posted.json().id}`, `/v1/responses/${posted.json().id}/input_items`]) {
      const reply = await bed.get(path, { 'x-reject': 'read only tenant' });
      assert.equal(reply.status, 500);
      assert.equal(reply.headers['x-smg-error-code'], 'storage_error');
      const prefix = path.endsWith('input_items') ? 'Failed to retrieve input items' : 'Failed to get response';
      assert.deepEqual(reply.json(), { error: { type: 'Internal Server Error', code: 'storage_error', message: `${prefix}: Storage error: read only tenant`, param: null } });
    }
    assert.equal((await bed.get(`/v1/responses/${posted.json().id}`)).status, 404, 'not stored');
  });
});
