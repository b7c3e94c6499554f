import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadStorageHookComponent, type StorageHookInstanceHandle } from '../../../../src/abi/storage-hook/storage-hook-component.js';
import { plainCoreModuleHooks } from '../../../../src/abi/smg-component/core-module-hooks.js';
import type { CallPath } from '../../../../src/abi/smg-component/component/export-binding.js';
import { STORAGE_OPERATIONS, type BeforeResult, type StorageOperation } from '../../../../src/abi/storage-hook/types.js';
import { WasmgateError } from '../../../../src/errors.js';
import { SHARED_CACHE_DIR, guestBytes } from '../smg-component/component-guests.js';

const hasCode = (code: string) => (err: unknown) => err instanceof WasmgateError && err.code === code;
const FULL = [
  { key: 'tenant_id', value: 'acme' },
  { key: 'user_id', value: 'bob' },
];

async function hook(name: string, callPath: CallPath): Promise<StorageHookInstanceHandle> {
  const loaded = await loadStorageHookComponent(await guestBytes(name), { name, callPath, cacheDir: SHARED_CACHE_DIR });
  assert.equal(loaded.callPath, callPath);
  return loaded.instantiate(plainCoreModuleHooks);
}

/** SMG example 5.4, as a table. */
function tenantExpected(op: StorageOperation, tenant: string | undefined, user: string | undefined): BeforeResult {
  const cols = (...c: Array<[string, string | undefined]>) => c.filter(([, v]) => v !== undefined).map(([name, value]) => ({ name, value: value! }));
  switch (op) {
    case 'store-response':
      return tenant === undefined
        ? { tag: 'reject', reason: 'tenant_id is required in request context for StoreResponse' }
        : { tag: 'do-continue', columns: cols(['TENANT_ID', tenant], ['STORED_BY', user]) };
    case 'create-conversation':
      return { tag: 'do-continue', columns: cols(['TENANT_ID', tenant], ['CREATED_BY', user]) };
    case 'create-item':
    case 'link-item':
      return { tag: 'do-continue', columns: cols(['TENANT_ID', tenant]) };
    default:
      return { tag: 'do-continue', columns: [] };
  }
}

const PASSTHROUGH_ACTIVE = new Set(['store-response', 'create-conversation', 'update-conversation', 'create-item', 'link-item']);

for (const callPath of ['direct', 'glue'] as const) {
  test(`storage-tenant (SMG example 5.4): before() for all 17 operations with and without context (${callPath} calls)`, async () => {
    const inst = await hook('storage-tenant', callPath);
    const contexts: Array<[typeof FULL, string | undefined, string | undefined]> = [
      [FULL, 'acme', 'bob'],
      [[{ key: 'tenant_id', value: 'acme' }], 'acme', undefined],
      [[{ key: 'user_id', value: 'bob' }], undefined, 'bob'],
      [[], undefined, undefined],
    ];
    for (const op of STORAGE_OPERATIONS) {
      for (const [context, tenant, user] of contexts) {
        assert.deepEqual(inst.before(op, context, '{}'), tenantExpected(op, tenant, user), `${op} ${JSON.stringify(context)}`);
      }
    }
  });

  test(`storage-passthrough (SMG example 5.5): before() for all 17 operations (${callPath} calls)`, async () => {
    const inst = await hook('storage-passthrough', callPath);
    for (const op of STORAGE_OPERATIONS) {
      const expected: BeforeResult = PASSTHROUGH_ACTIVE.has(op) ? { tag: 'do-continue', columns: [{ name: 'HOOK_ACTIVE', value: 'true' }] } : { tag: 'do-continue', columns: [] };
      assert.deepEqual(inst.before(op, FULL, '"conv_1"'), expected, op);
    }
  });

  test(`after() returns the before() columns unchanged for all 17 operations (${callPath} calls)`, async () => {
    for (const name of ['storage-tenant', 'storage-passthrough']) {
      const inst = await hook(name, callPath);
      for (const op of STORAGE_OPERATIONS) {
        const extra = [
          { name: 'TENANT_ID', value: 'acmé' },
          { name: 'X', value: '' },
        ];
        assert.deepEqual(inst.after(op, FULL, '{"id":"conv_1"}', '{"id":"conv_1","created_at":"2025-01-01T00:00:00Z"}', extra), extra, `${name} ${op}`);
        assert.deepEqual(inst.after(op, [], 'null', 'null', []), [], `${name} ${op} empty`);
      }
    }
  });
}

test('a large payload and context are lowered intact', async () => {
  const inst = await hook('storage-tenant', 'direct');
  const payload = JSON.stringify({ raw_response: 'x'.repeat(2 * 1024 * 1024) });
  const context = Array.from({ length: 500 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
  context.push({ key: 'tenant_id', value: 'late' });
  assert.deepEqual(inst.before('create-item', context, payload), { tag: 'do-continue', columns: [{ name: 'TENANT_ID', value: 'late' }] });
});

test('an unknown operation is a host bug, refused before the guest runs', async () => {
  const inst = await hook('storage-tenant', 'direct');
  assert.throws(() => inst.before('drop-table' as StorageOperation, [], '{}'), hasCode('WG_ERR_INTERNAL_BUG'));
  assert.equal(inst.fault, undefined);
});

test('middleware components, core modules and garbage are refused as storage hooks', async () => {
  await assert.rejects(loadStorageHookComponent(await guestBytes('continue')), hasCode('WG_ERR_MODULE_WRONG_WORLD'));
  await assert.rejects(loadStorageHookComponent(await guestBytes('on-request-only')), hasCode('WG_ERR_MODULE_WRONG_WORLD'));
  await assert.rejects(loadStorageHookComponent(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])), hasCode('WG_ERR_MODULE_KIND_MISMATCH'));
  await assert.rejects(loadStorageHookComponent(new TextEncoder().encode('not wasm')), hasCode('WG_ERR_MODULE_INVALID'));
});
