// The history API over HTTP (memory backend, no hook): SMG's conversation and response routes,
// shapes, status codes and messages; POST /v1/responses proxied and stored; input validation;
// off unless configured; the none backend.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { startTestGateway } from '../../../helpers/gateway-harness.js';
import { startUpstream, type TestUpstream } from '../../../helpers/start-upstream.js';
import { HISTORY_BODY_CAP } from '../../../../src/gateway/storage/history-api.js';
import { responsesUpstreamHandler, startStorageTestbed, type StorageTestbed } from './storage-harness.js';

describe('history API (memory backend)', () => {
  let bed: StorageTestbed;
  before(async () => {
    bed = await startStorageTestbed();
  });
  after(async () => {
    await bed.close();
  });

  it('conversations: create, get, update (metadata patch), delete; 404 afterwards', async () => {
    const before = Math.floor(Date.now() / 1000);
    const created = await bed.post('/v1/conversations', { metadata: { topic: 'demo', keep: 'yes' } });
    assert.equal(created.status, 200);
    assert.match(created.headers['content-type'] as string, /application\/json/);
    const conv = created.json();
    assert.match(conv.id, /^conv_[0-9a-f]{50}$/);
    assert.equal(conv.object, 'conversation');
    assert.ok(conv.created_at >= before && conv.created_at <= Math.floor(Date.now() / 1000));
    assert.deepEqual(conv.metadata, { topic: 'demo', keep: 'yes' });
    assert.deepEqual((await bed.get(`/v1/conversations/${conv.id}`)).json(), conv);

    const updated = await bed.post(`/v1/conversations/${conv.id}`, { metadata: { topic: null, extra: 1 } });
    assert.equal(updated.status, 200);
    assert.deepEqual(updated.json().metadata, { keep: 'yes', extra: 1 });
    const cleared = await bed.post(`/v1/conversations/${conv.id}`, { metadata: { keep: null, extra: null } });
    assert.equal(cleared.json().metadata, undefined, 'empty metadata is left out, as SMG');

    const deleted = await bed.del(`/v1/conversations/${conv.id}`);
    assert.deepEqual(deleted.json(), { id: conv.id, object: 'conversation.deleted', deleted: true });
    for (const reply of [await bed.get(`/v1/conversations/${conv.id}`), await bed.del(`/v1/conversations/${conv.id}`), await bed.post(`/v1/conversations/${conv.id}`, {})]) {
      assert.equal(reply.status, 404);
      assert.deepEqual(reply.json(), { error: 'Conversation not found' });
    }
  });

  it('items: add (created, with ids, item_reference), list with order/limit/after, get, delete', async () => {
    const conv = (await bed.post('/v1/conversations', { items: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'first' }] }] })).json();
    const added = await bed.post(`/v1/conversations/${conv.id}/items`, {
      items: [
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'second' }] },
        { id: 'msg_custom', role: 'user', content: 'third' },
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
      ],
    });
    assert.equal(added.status, 200);
    const body = added.json();
    assert.deepEqual(Object.keys(body), ['object', 'data', 'first_id', 'last_id', 'has_more', 'warnings']);
    assert.equal(body.data.length, 3);
    assert.equal(body.data[1].id, 'msg_custom');
    assert.deepEqual(body.data[0].content, [{ type: 'output_text', text: 'second' }]);
    assert.equal(body.data[0].status, 'completed');
    assert.equal(body.data[2].name, 'f');
    assert.match(body.data[2].id, /^fc_/);
    assert.equal(body.first_id, body.data[0].id);
    assert.equal(body.last_id, body.data[2].id);
    assert.match(body.warnings[0], /Item type 'function_call' is accepted but not yet implemented/);

    const asc = (await bed.get(`/v1/conversations/${conv.id}/items?order=asc`)).json();
    assert.deepEqual(Object.keys(asc), ['object', 'data', 'has_more', 'first_id', 'last_id']);
    assert.equal(asc.data.length, 4);
    assert.deepEqual(asc.data[0].content, [{ type: 'input_text', text: 'first' }]);
    assert.match(asc.data[0].created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
    assert.equal(asc.has_more, false);
    const page = (await bed.get(`/v1/conversations/${conv.id}/items?limit=2`)).json();
    assert.deepEqual(page.data.map((i: { id: string }) => i.id), [asc.data[3].id, asc.data[2].id], 'default order is desc');
    assert.equal(page.has_more, true);
    const next = (await bed.get(`/v1/conversations/${conv.id}/items?limit=2&after=${page.last_id}`)).json();
    assert.deepEqual(next.data.map((i: { id: string }) => i.id), [asc.data[1].id, asc.data[0].id]);

    const again = await bed.post(`/v1/conversations/${conv.id}/items`, { items: [{ id: 'msg_custom', role: 'user', content: 'dup' }] });
    assert.equal(again.status, 400);
    assert.equal(again.json().error.code, 'item_already_in_conversation');

    const other = (await bed.post('/v1/conversations', {})).json();
    const ref = await bed.post(`/v1/conversations/${other.id}/items`, { items: [{ type: 'item_reference', id: 'msg_custom' }] });
    assert.equal(ref.status, 200);
    assert.equal(ref.json().data[0].content, 'third');
    const missingRef = await bed.post(`/v1/conversations/${other.id}/items`, { items: [{ type: 'item_reference', id: 'msg_nope' }] });
    assert.deepEqual([missingRef.status, missingRef.json()], [404, { error: "Referenced item 'msg_nope' not found" }]);

    const one = await bed.get(`/v1/conversations/${conv.id}/items/msg_custom`);
    assert.deepEqual(one.json(), { type: 'message', id: 'msg_custom', status: 'completed', role: 'user', content: 'third' });
    const gone = await bed.del(`/v1/conversations/${conv.id}/items/msg_custom`);
    assert.equal(gone.json().id, conv.id, 'deleting an item answers the conversation');
    const notIn = await bed.get(`/v1/conversations/${conv.id}/items/msg_custom`);
    assert.deepEqual([notIn.status, notIn.json()], [404, { error: 'Item not found in this conversation' }]);
    assert.equal((await bed.get(`/v1/conversations/${other.id}/items/msg_custom`)).status, 200, 'still linked elsewhere');
  });

  it('bad input: 400 with a clear message', async () => {
    const conv = (await bed.post('/v1/conversations', {})).json();
    const cases: Array<[string, unknown, RegExp]> = [
      ['/v1/conversations', '{not json', /^Failed to parse the request body as JSON: /],
      ['/v1/conversations', [], /^request body must be a JSON object$/],
      ['/v1/conversations', { metadata: 'x' }, /^metadata must be an object$/],
      ['/v1/conversations', { metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, i])) }, /^metadata cannot have more than 16 properties$/],
      [`/v1/conversations/${conv.id}/items`, {}, /^Missing or invalid 'items' field$/],
      [`/v1/conversations/${conv.id}/items`, { items: Array.from({ length: 21 }, () => ({ role: 'user', content: 'x' })) }, /^Cannot add more than 20 items at a time$/],
      [`/v1/conversations/${conv.id}/items`, { items: [{ type: 'message', content: 'x' }] }, /^Message items require 'role' field \(items\[0\]\)$/],
      [`/v1/conversations/${conv.id}/items`, { items: [{ role: 'user' }, { type: 'bogus' }] }, /^Unsupported item type 'bogus'\. Supported types: message, reasoning/],
      [`/v1/conversations/${conv.id}/items`, { items: ['x'] }, /^each item must be an object \(items\[0\]\)$/],
    ];
    for (const [path, body, message] of cases) {
      const reply = await bed.post(path, body);
      assert.equal(reply.status, 400, `${path} ${JSON.stringify(body)}`);
      assert.match(reply.json().error, message);
    }
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'order=up']) {
      const reply = await bed.get(`/v1/conversations/${conv.id}/items?${query}`);
      assert.equal(reply.status, 400, query);
      assert.match(reply.json().error, /^(limit must be a whole number in 1\.\.100|order must be asc or desc)$/);
    }
  });

  it('405 for another method on a history path', async () => {
    const reply = await bed.t.request('/v1/conversations', { method: 'GET' });
    assert.equal(reply.status, 405);
    assert.equal(reply.headers.allow, 'POST');
    assert.equal((await bed.t.request('/v1/conversations/conv_1/items/x', { method: 'PUT' })).headers.allow, 'GET,DELETE');
  });

  it('POST /v1/responses is proxied and its answer stored: GET, input_items, DELETE', async () => {
    const sent = { model: 'm1', input: 'hello there', safety_identifier: 'user-9' };
    const reply = await bed.post('/v1/responses', sent);
    assert.equal(reply.status, 200);
    const id = reply.json().id as string;
    assert.equal(bed.upstream.received.at(-1)!.url, '/v1/responses', 'the upstream got the request');
    const got = await bed.get(`/v1/responses/${id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.json(), reply.json(), 'GET answers the stored raw response');
    const inputs = (await bed.get(`/v1/responses/${id}/input_items`)).json();
    assert.equal(inputs.object, 'list');
    assert.equal(inputs.data.length, 1);
    assert.deepEqual({ ...inputs.data[0], id: undefined }, { type: 'message', role: 'user', content: 'hello there', id: undefined });
    assert.match(inputs.data[0].id, /^msg_/);
    assert.equal(inputs.first_id, inputs.data[0].id);
    const stored = (await bed.debug()).responses.find((r: { id: string }) => r.id === id);
    assert.equal(stored.safety_identifier, 'user-9');
    assert.equal(stored.model, 'm1');
    const deleted = await bed.del(`/v1/responses/${id}`);
    assert.deepEqual(deleted.json(), { id, object: 'response.deleted', deleted: true });
    for (const r of [await bed.get(`/v1/responses/${id}`), await bed.del(`/v1/responses/${id}`), await bed.get(`/v1/responses/${id}/input_items`)]) {
      assert.equal(r.status, 404);
      assert.equal(r.headers['x-smg-error-code'], 'not_found');
      assert.deepEqual(r.json(), { error: { type: 'Not Found', code: 'not_found', message: `No response found with id '${id}'`, param: null } });
    }
  });

  it('store: false is not stored; a conversation gets the input and output items', async () => {
    const skipped = (await bed.post('/v1/responses', { model: 'm', input: 'x', store: false })).json();
    assert.equal((await bed.get(`/v1/responses/${skipped.id}`)).status, 404);
    const conv = (await bed.post('/v1/conversations', {})).json();
    const answer = (await bed.post('/v1/responses', { model: 'm', input: [{ type: 'message', role: 'user', content: 'q' }], conversation: conv.id })).json();
    const items = (await bed.get(`/v1/conversations/${conv.id}/items?order=asc`)).json();
    assert.deepEqual(items.data.map((i: { role: string }) => i.role), ['user', 'assistant']);
    assert.equal(items.data[1].id, answer.output[0].id);
  });

  it('POST /v1/responses stores what modules made of it: the edited request body and the edited answer', async () => {
    const answer = { id: 'resp_edited', object: 'response', model: 'from-module', output: [] };
    await bed.t.register('edit-request', { exports: ['onRequest'], onRequest: { do: 'modify', body: JSON.stringify({ model: 'm-edited', input: 'edited input' }) } }, ['OnRequest']);
    await bed.t.register('edit-response', { exports: ['onResponse'], onResponse: { do: 'modify', body: JSON.stringify(answer) } }, ['OnResponse']);
    let reply;
    try {
      reply = await bed.post('/v1/responses', { model: 'm-original', input: 'original input' });
    } finally {
      // The modules would edit the history routes' answers too.
      const list = (await bed.t.admin('/wasm')).json();
      for (const m of list.modules) await bed.t.admin(`/wasm/${m.module_uuid}`, { method: 'DELETE' });
    }
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json(), answer, 'the client gets the module-edited answer');
    const stored = await bed.get('/v1/responses/resp_edited');
    assert.equal(stored.status, 200);
    assert.deepEqual(stored.json(), answer, 'the answer as the client got it is stored');
    const inputs = (await bed.get('/v1/responses/resp_edited/input_items')).json();
    assert.equal(inputs.data[0].content, 'edited input', 'the request as forwarded, after the OnRequest module');
    assert.equal(bed.upstream.received.at(-1)!.body.toString('utf8'), JSON.stringify({ model: 'm-edited', input: 'edited input' }));
  });

  it('an upstream answer over the 10 MiB body cap is passed to the client whole and not stored', async () => {
    const big = JSON.stringify({ id: 'resp_big', object: 'response', padding: 'x'.repeat(HISTORY_BODY_CAP) });
    bed.upstream.setHandler((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) });
      // in pieces, as a real upstream streams it
      for (let at = 0; at < big.length; at += 1024 * 1024) res.write(big.slice(at, at + 1024 * 1024));
      res.end();
    });
    try {
      const reply = await bed.post('/v1/responses', { model: 'm', input: 'hi' });
      assert.equal(reply.status, 200);
      assert.equal(reply.body.length, Buffer.byteLength(big));
      assert.equal((await bed.get('/v1/responses/resp_big')).status, 404);
    } finally {
      bed.upstream.setHandler(responsesUpstreamHandler('resp_after_big_'));
    }
    const small = (await bed.post('/v1/responses', { model: 'm', input: 'hi' })).json();
    assert.equal((await bed.get(`/v1/responses/${small.id}`)).status, 200, 'a streamed answer under the cap is stored');
  });

  it('other /v1/responses requests and non-200 answers are proxied untouched', async () => {
    const cancel = await bed.post('/v1/responses/resp_x/cancel', {});
    assert.equal(cancel.json().url, '/v1/responses/resp_x/cancel');
    const list = await bed.get('/v1/responses');
    assert.equal(list.json().url, '/v1/responses');
  });

  it('counts history requests and storage metrics in /metrics', async () => {
    const text = (await bed.t.admin('/metrics')).text;
    assert.match(text, /wasmgate_history_requests_total\{route="conversations",status_class="2xx"\} \d+/);
    assert.match(text, /wasmgate_history_requests_total\{route="responses",status_class="4xx"\} \d+/);
  });
});

describe('history API configuration', () => {
  let upstream: TestUpstream;
  before(async () => {
    upstream = await startUpstream();
  });
  after(async () => {
    await upstream.close();
  });
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('is off without --history-backend or a storage hook: those paths are proxied', async () => {
    const t = await startTestGateway({ upstreams: [upstream.url], persist: false });
    close = () => t.close();
    const reply = await t.request('/v1/conversations', { method: 'POST', body: '{}' });
    assert.equal(reply.json().url, '/v1/conversations');
    assert.equal((await t.admin('/debug/history')).json().url, '/debug/history', 'no debug listing either');
  });

  it('none backend: creates succeed, nothing is found afterwards', async () => {
    const t = await startTestGateway({ upstreams: [upstream.url], persist: false, gateway: { historyBackend: 'none' } });
    close = () => t.close();
    const conv = await t.request('/v1/conversations', { method: 'POST', body: '{"metadata":{"a":"b"}}' });
    assert.equal(conv.status, 200);
    assert.deepEqual(conv.json().metadata, { a: 'b' });
    assert.equal((await t.request(`/v1/conversations/${conv.json().id}`)).status, 404);
    assert.equal((await t.admin('/debug/history')).json().backend, 'none');
  });

  it('refuses an unknown or unsupported backend', async () => {
    await assert.rejects(startTestGateway({ upstreams: [upstream.url], persist: false, gateway: { historyBackend: 'postgres' } }), /history backend postgres is not supported by wasmgate \(supported: memory, none\)/);
    await assert.rejects(startTestGateway({ upstreams: [upstream.url], persist: false, gateway: { historyBackend: 'disk' } }), /history backend must be one of memory, none, got "disk"/);
  });
});
