// SMG's E2E fixture hook (guests/examples/storage-hook-passthrough, SMG §5.5 / §6.5): the write
// operations get HOOK_ACTIVE=true, the responses flow (create, retrieve, multi-turn with
// previous_response_id, input_items) works with the hook active.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { guestPath } from '../../../helpers/guests.js';
import { startStorageTestbed, type StorageTestbed } from './storage-harness.js';

describe('passthrough storage hook (SMG E2E fixture) over HTTP', () => {
  let bed: StorageTestbed;
  before(async () => {
    bed = await startStorageTestbed({ storageHookWasmPath: guestPath('examples', 'storage-hook-passthrough') });
  });
  after(async () => {
    await bed.close();
  });

  it('HOOK_ACTIVE on store-response, create/update-conversation and create-item; link-items gets none', async () => {
    const conv = (await bed.post('/v1/conversations', {})).json();
    await bed.post(`/v1/conversations/${conv.id}`, { metadata: { k: 'v' } });
    await bed.post(`/v1/conversations/${conv.id}/items`, { items: [{ role: 'user', content: 'hi' }] });
    const first = (await bed.post('/v1/responses', { model: 'm', input: 'one' })).json();
    const dump = await bed.debug();
    assert.deepEqual(dump.conversations.find((c: { id: string }) => c.id === conv.id).extra_columns, { HOOK_ACTIVE: 'true' });
    const link = dump.links.find((l: { conversation_id: string }) => l.conversation_id === conv.id);
    assert.deepEqual(link.extra_columns, {});
    assert.deepEqual(dump.items.find((i: { id: string }) => i.id === link.item_id).extra_columns, { HOOK_ACTIVE: 'true' });
    assert.deepEqual(dump.responses.find((r: { id: string }) => r.id === first.id).extra_columns, { HOOK_ACTIVE: 'true' });
  });

  it('create + retrieve, multi-turn with previous_response_id, input_items', async () => {
    const first = (await bed.post('/v1/responses', { model: 'm', input: 'one' })).json();
    const second = (await bed.post('/v1/responses', { model: 'm', input: [{ role: 'user', content: 'two' }], previous_response_id: first.id })).json();
    assert.equal((await bed.get(`/v1/responses/${first.id}`)).json().id, first.id);
    assert.equal((await bed.get(`/v1/responses/${second.id}`)).json().id, second.id);
    const stored = (await bed.debug()).responses.find((r: { id: string }) => r.id === second.id);
    assert.equal(stored.previous_response_id, first.id);
    const inputs = (await bed.get(`/v1/responses/${second.id}/input_items`)).json();
    assert.equal(inputs.data[0].content, 'two');
  });
});
