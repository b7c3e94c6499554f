// guests/examples/storage-hook through wasmgate's storage-hook loader: SMG's multi-tenant hook
// (wasm-guest-storage-hook) for every operation, plus the AUDITED_AT column after() adds.
// SMG's own integration tests for this hook are ported in ported/smg-storage-hook-integration.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STORAGE_OPERATIONS, type StorageOperation } from '../../../src/abi/storage-hook/index.js';
import { storageExample } from './example-guests.js';

const TENANT = { key: 'tenant_id', value: 'acme-corp' };
const USER = { key: 'user_id', value: 'user_42' };
const col = (name: string, value: string) => ({ name, value });

/** What before() must return for `op`, per SMG's example. */
function expected(op: StorageOperation, tenant: boolean, user: boolean) {
  switch (op) {
    case 'store-response':
      if (!tenant) return { tag: 'reject', reason: 'tenant_id is required in request context for StoreResponse' };
      return { tag: 'do-continue', columns: [col('TENANT_ID', 'acme-corp'), ...(user ? [col('STORED_BY', 'user_42')] : [])] };
    case 'create-conversation':
      return { tag: 'do-continue', columns: [...(tenant ? [col('TENANT_ID', 'acme-corp')] : []), ...(user ? [col('CREATED_BY', 'user_42')] : [])] };
    case 'create-item':
    case 'link-item':
      return { tag: 'do-continue', columns: tenant ? [col('TENANT_ID', 'acme-corp')] : [] };
    default:
      return { tag: 'do-continue', columns: [] };
  }
}

test('before() gives every operation its tenant columns, with and without tenant and user', async () => {
  const hook = await storageExample('storage-hook');
  for (const op of STORAGE_OPERATIONS) {
    for (const tenant of [true, false]) {
      for (const user of [true, false]) {
        const context = [...(user ? [USER] : []), ...(tenant ? [TENANT] : []), { key: 'other', value: 'x' }];
        assert.deepEqual(hook.before(op, context, '{"id":"x"}'), expected(op, tenant, user), `${op} tenant=${tenant} user=${user}`);
      }
    }
  }
});

test('context keys are matched exactly (case and spelling)', async () => {
  const hook = await storageExample('storage-hook');
  const result = hook.before('store-response', [{ key: 'Tenant_ID', value: 'acme' }, { key: 'tenant', value: 'acme' }], '{}');
  assert.equal(result.tag, 'reject');
});

test('after() returns extra unchanged plus AUDITED_AT, the wall clock in ms', async () => {
  const hook = await storageExample('storage-hook');
  const extra = [col('TENANT_ID', 'acme-corp'), col('STORED_BY', 'user_42')];
  for (const op of STORAGE_OPERATIONS) {
    const before = Date.now();
    const columns = hook.after(op, [TENANT, USER], '{}', '"resp_1"', extra);
    assert.deepEqual(columns.slice(0, 2), extra, op);
    assert.equal(columns.length, 3);
    assert.equal(columns[2]!.name, 'AUDITED_AT');
    const at = Number(columns[2]!.value);
    assert.ok(Number.isInteger(at) && at >= before - 1 && at <= Date.now() + 1, `AUDITED_AT ${columns[2]!.value}`);
  }
  assert.equal(hook.after('get-response', [], '"resp_1"', 'null', []).length, 1);
});
