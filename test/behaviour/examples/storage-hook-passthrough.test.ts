// guests/examples/storage-hook-passthrough through wasmgate's storage-hook loader: SMG's E2E
// fixture (wasm-guest-storage-hook-passthrough).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STORAGE_OPERATIONS } from '../../../src/abi/storage-hook/index.js';
import { storageExample } from './example-guests.js';

const ACTIVE = new Set(['store-response', 'create-conversation', 'update-conversation', 'create-item', 'link-item']);

test('the five write operations continue with HOOK_ACTIVE=true, every other one with no columns', async () => {
  const hook = await storageExample('storage-hook-passthrough');
  for (const op of STORAGE_OPERATIONS) {
    for (const context of [[], [{ key: 'tenant_id', value: 't' }]]) {
      const columns = ACTIVE.has(op) ? [{ name: 'HOOK_ACTIVE', value: 'true' }] : [];
      assert.deepEqual(hook.before(op, context, '{}'), { tag: 'do-continue', columns }, op);
    }
  }
});

test('after() returns extra unchanged', async () => {
  const hook = await storageExample('storage-hook-passthrough');
  const extra = [{ name: 'HOOK_ACTIVE', value: 'true' }, { name: 'TENANT_ID', value: '\u00e9' }];
  for (const op of STORAGE_OPERATIONS) {
    assert.deepEqual(hook.after(op, [], '{}', '{"id":"x"}', extra), extra, op);
    assert.deepEqual(hook.after(op, [], '', '', []), [], op);
  }
});
