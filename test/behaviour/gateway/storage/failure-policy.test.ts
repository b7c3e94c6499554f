// A broken storage hook: wasmgate fails the storage operation (fail-closed, the default) where
// SMG silently stops enforcing (SMG bug 18); --storage-hook-fail-open restores SMG's behaviour.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { guestPath } from '../../../helpers/guests.js';
import { CONTEXT_HEADERS, startStorageTestbed, type StorageTestbed } from './storage-harness.js';

describe('storage hook failure policy', () => {
  let bed: StorageTestbed | undefined;
  afterEach(async () => {
    await bed?.close();
    bed = undefined;
  });
  const start = async (guest: string, extra: Record<string, unknown> = {}) =>
    (bed = await startStorageTestbed({ storageHookWasmPath: guestPath('components', guest), storageContextHeaders: CONTEXT_HEADERS, ...extra }));

  it('fail-closed: a trapping hook fails conversation routes with 500 and a storage error, nothing is stored', async () => {
    const b = await start('storage-trap');
    const reply = await b.post('/v1/conversations', {});
    assert.equal(reply.status, 500);
    assert.match(reply.json().error, /^Failed to create conversation: Storage error: storage hook before\(\) failed for create-conversation: guest trapped/);
    assert.equal((await b.debug()).conversations.length, 0);
    const get = await b.get('/v1/conversations/conv_x');
    assert.match(get.json().error, /^Failed to get conversation: Storage error: storage hook before\(\) failed/);
    assert.ok(b.t.logs.find(/storage hook before\(\) failed for CreateConversation; failing the operation \(fail-closed\)/));
  });

  it('fail-closed: responses routes answer 500 storage_error; POST /v1/responses keeps its 200 and stores nothing', async () => {
    const b = await start('storage-trap');
    const got = await b.get('/v1/responses/resp_1');
    assert.equal(got.status, 500);
    assert.equal(got.headers['x-smg-error-code'], 'storage_error');
    assert.equal(got.json().error.type, 'Internal Server Error');
    assert.equal(got.json().error.code, 'storage_error');
    assert.match(got.json().error.message, /^Failed to get response: Storage error: storage hook before\(\) failed for get-response/);
    const posted = await b.post('/v1/responses', { model: 'm', input: 'x' }, { 'x-tenant-id': 't' });
    assert.equal(posted.status, 200);
    assert.equal((await b.debug()).responses.length, 0);
    assert.ok(b.t.logs.find(/^Failed to persist conversation items: Failed to store response: Storage error: storage hook before\(\) failed/));
    assert.match((await b.t.admin('/metrics')).text, /wasmgate_storage_hook_errors_total\{phase="before",kind="trap"\} \d+/);
  });

  it('fail-closed: a looping hook is stopped at its deadline, the request fails, the gateway keeps serving', async () => {
    const b = await start('storage-loop', { storageHookLimits: { maxExecutionTimeMs: 150 } });
    const started = Date.now();
    const reply = await b.post('/v1/conversations', {});
    assert.equal(reply.status, 500);
    assert.match(reply.json().error, /^Failed to create conversation: Storage error: storage hook before\(\) failed for create-conversation: .*max_execution_time_ms/);
    assert.ok(Date.now() - started < 5000);
    assert.equal((await b.t.request('/health')).status, 200);
    assert.equal((await b.post('/v1/other', {})).status, 200, 'proxying is unaffected');
    assert.match((await b.t.admin('/metrics')).text, /wasmgate_storage_hook_errors_total\{phase="before",kind="timeout"\} 1/);
  });

  it("fail-open (--storage-hook-fail-open): operations go on without columns, with SMG's warning", async () => {
    const b = await start('storage-trap', { storageHookFailOpen: true });
    const conv = await b.post('/v1/conversations', {}, { 'x-tenant-id': 'acme' });
    assert.equal(conv.status, 200);
    assert.equal((await b.get(`/v1/conversations/${conv.json().id}`)).status, 200);
    const posted = (await b.post('/v1/responses', { model: 'm', input: 'x' })).json();
    assert.equal((await b.get(`/v1/responses/${posted.id}`)).status, 200);
    const dump = await b.debug();
    assert.deepEqual(dump.conversations[0].extra_columns, {});
    assert.equal(dump.storage_hook.fail_open, true);
    assert.ok(b.t.logs.find(/^before hook error for CreateConversation, continuing: hook error: guest trapped/));
    assert.ok(b.t.logs.find(/^after hook error for StoreResponse: hook error: guest trapped/));
  });

  it('after() failing: fail-closed answers 500 although the write happened; fail-open answers 200', async () => {
    const closed = await start('storage-after-trap');
    const reply = await closed.post('/v1/conversations', {});
    assert.equal(reply.status, 500);
    assert.match(reply.json().error, /^Failed to create conversation: Storage error: storage hook after\(\) failed for create-conversation/);
    assert.equal((await closed.debug()).conversations.length, 1, 'not rolled back (documented)');
    await closed.close();
    bed = undefined;
    const open = await start('storage-after-trap', { storageHookFailOpen: true });
    const ok = await open.post('/v1/conversations', {});
    assert.equal(ok.status, 200);
    assert.deepEqual((await open.debug()).conversations[0].extra_columns, { HOOK_ACTIVE: 'true' });
  });
});
