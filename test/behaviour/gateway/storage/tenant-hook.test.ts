// SMG's multi-tenant storage hook example (guests/examples/storage-hook, SMG §5.4) in the gateway,
// with --storage-context-headers x-tenant-id=tenant_id x-user-id=user_id: SMG's storage-hook
// integration behaviours (§6.3) through HTTP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { guestPath } from '../../../helpers/guests.js';
import { CONTEXT_HEADERS, responsesUpstreamHandler, startStorageTestbed, type StorageTestbed } from './storage-harness.js';

const TENANT = { 'x-tenant-id': 'acme-corp', 'x-user-id': 'user_42' };

describe('multi-tenant storage hook (SMG example) over HTTP', () => {
  let bed: StorageTestbed;
  before(async () => {
    bed = await startStorageTestbed({ storageHookWasmPath: guestPath('examples', 'storage-hook'), storageContextHeaders: CONTEXT_HEADERS });
  });
  after(async () => {
    await bed.close();
  });

  it('create-conversation with tenant and user headers: stored with TENANT_ID and CREATED_BY (plus the AUDITED_AT after() adds)', async () => {
    const started = Date.now();
    const conv = (await bed.post('/v1/conversations', { metadata: { a: '1' } }, { 'X-Tenant-Id': 'acme-corp', 'x-user-id': 'admin' })).json();
    const stored = (await bed.debug()).conversations.find((c: { id: string }) => c.id === conv.id);
    assert.equal(stored.extra_columns.TENANT_ID, 'acme-corp');
    assert.equal(stored.extra_columns.CREATED_BY, 'admin');
    const audited = Number(stored.extra_columns.AUDITED_AT);
    assert.ok(audited >= started - 1 && audited <= Date.now() + 1, 'after() columns are applied to the written record');
    assert.deepEqual(Object.keys(stored.extra_columns).sort(), ['AUDITED_AT', 'CREATED_BY', 'TENANT_ID']);
  });

  it('items and links get TENANT_ID; reads add nothing', async () => {
    const conv = (await bed.post('/v1/conversations', {}, TENANT)).json();
    await bed.post(`/v1/conversations/${conv.id}/items`, { items: [{ role: 'user', content: 'hi' }] }, TENANT);
    await bed.get(`/v1/conversations/${conv.id}/items`, TENANT);
    const dump = await bed.debug();
    const link = dump.links.find((l: { conversation_id: string }) => l.conversation_id === conv.id);
    const item = dump.items.find((i: { id: string }) => i.id === link.item_id);
    assert.equal(item.extra_columns.TENANT_ID, 'acme-corp');
    assert.equal(item.extra_columns.CREATED_BY, undefined);
    // link-items: the example gives link-item (not link-items) a TENANT_ID; after() adds AUDITED_AT.
    assert.deepEqual(Object.keys(link.extra_columns), ['AUDITED_AT']);
  });

  it('store-response with tenant and user: stored with exactly TENANT_ID and STORED_BY (and AUDITED_AT)', async () => {
    const reply = await bed.post('/v1/responses', { model: 'm', input: 'hi' }, TENANT);
    assert.equal(reply.status, 200);
    const id = reply.json().id;
    const stored = (await bed.debug()).responses.find((r: { id: string }) => r.id === id);
    assert.equal(stored.extra_columns.TENANT_ID, 'acme-corp');
    assert.equal(stored.extra_columns.STORED_BY, 'user_42');
    assert.deepEqual(Object.keys(stored.extra_columns).sort(), ['AUDITED_AT', 'STORED_BY', 'TENANT_ID']);
    assert.equal((await bed.get(`/v1/responses/${id}`, TENANT)).status, 200);
  });

  it('store-response without a tenant is rejected: logged, the client still gets 200, the response is not stored', async () => {
    const reply = await bed.post('/v1/responses', { model: 'm', input: 'hi' }, { 'x-user-id': 'user_42' });
    assert.equal(reply.status, 200);
    const id = reply.json().id;
    assert.equal(reply.json().output[0].content[0].type, 'output_text');
    const line = bed.t.logs.find(/^Failed to persist conversation items: Failed to store response: Storage error: tenant_id is required in request context for StoreResponse$/);
    assert.ok(line, 'SMG log line');
    assert.equal(line.level, 40);
    const later = await bed.get(`/v1/responses/${id}`, TENANT);
    assert.equal(later.status, 404);
    assert.ok(!(await bed.debug()).responses.some((r: { id: string }) => r.id === id));
    assert.match((await bed.t.admin('/metrics')).text, /wasmgate_history_store_response_failures_total\{reason="rejected"\} 1/);
  });

  it('an OnRequest module can set the context header (wasm chain runs first, as SMG)', async () => {
    await bed.t.register('set-tenant', { onRequest: { do: 'modify', set: [['x-tenant-id', 'from-module']] } }, ['OnRequest']);
    try {
      const conv = (await bed.post('/v1/conversations', {}, { 'x-tenant-id': 'spoofed' })).json();
      const answer = (await bed.post('/v1/responses', { model: 'm', input: 'hi' }, { 'x-tenant-id': 'spoofed' })).json();
      const dump = await bed.debug();
      assert.equal(dump.conversations.find((c: { id: string }) => c.id === conv.id).extra_columns.TENANT_ID, 'from-module');
      assert.equal(dump.responses.find((r: { id: string }) => r.id === answer.id).extra_columns.TENANT_ID, 'from-module', 'POST /v1/responses reads the forwarded headers');
    } finally {
      const list = (await bed.t.admin('/wasm')).json();
      for (const m of list.modules) await bed.t.admin(`/wasm/${m.module_uuid}`, { method: 'DELETE' });
    }
  });

  it('an OnRequest reject answers history routes before storage', async () => {
    await bed.t.register('deny', { onRequest: { do: 'reject', status: 403 } }, ['OnRequest']);
    try {
      const before = (await bed.debug()).conversations.length;
      const reply = await bed.post('/v1/conversations', {}, TENANT);
      assert.equal(reply.status, 403);
      assert.equal(reply.body.length, 0);
      assert.equal((await bed.debug()).conversations.length, before);
    } finally {
      const list = (await bed.t.admin('/wasm')).json();
      for (const m of list.modules) await bed.t.admin(`/wasm/${m.module_uuid}`, { method: 'DELETE' });
    }
  });

  it('concurrent requests of different tenants each store with their own context', async () => {
    const answer = responsesUpstreamHandler('resp_concurrent_');
    let turn = 0;
    // Later requests are answered first, so the exchanges interleave.
    bed.upstream.setHandler((req, res, received) => void setTimeout(() => answer(req, res, received), 60 - (turn++ % 6) * 10));
    try {
      const tenants = Array.from({ length: 12 }, (_, i) => `tenant-${i}`);
      const replies = await Promise.all(tenants.map((tenant) => bed.post('/v1/responses', { model: tenant, input: 'x' }, { 'x-tenant-id': tenant })));
      const convs = await Promise.all(tenants.map((tenant) => bed.post('/v1/conversations', { metadata: { tenant } }, { 'x-tenant-id': tenant })));
      const dump = await bed.debug();
      for (const reply of replies) {
        const stored = dump.responses.find((r: { id: string }) => r.id === reply.json().id);
        assert.equal(stored.extra_columns.TENANT_ID, stored.model);
      }
      for (const conv of convs) {
        const stored = dump.conversations.find((c: { id: string }) => c.id === conv.json().id);
        assert.equal(stored.extra_columns.TENANT_ID, stored.metadata.tenant);
      }
    } finally {
      bed.upstream.setHandler(responsesUpstreamHandler('resp_after_'));
    }
  });

  it('shows the hook, its policy and metrics in the debug listing and /metrics', async () => {
    const dump = await bed.debug();
    assert.equal(dump.storage_hook.fail_open, false);
    assert.match(dump.storage_hook.sha256, /^[0-9a-f]{64}$/);
    assert.ok(dump.storage_hook.metrics.executions > 0);
    assert.deepEqual(dump.storage_context_headers, CONTEXT_HEADERS);
    const text = (await bed.t.admin('/metrics')).text;
    assert.match(text, /wasmgate_storage_hook_calls_total\{phase="before",op="store-response",outcome="reject"\} \d+/);
    assert.match(text, /wasmgate_storage_operations_total\{op="create-conversation",outcome="ok"\} \d+/);
  });
});
