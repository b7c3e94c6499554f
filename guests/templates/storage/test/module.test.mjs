// Runs build/{{name}}.wasm through `wasmgate run --abi storage` (npm test builds it first). With a
// wasmgate that cannot run components yet, runGuest runs build/{{name}}.core.wasm through the
// SDK's canonical-ABI test host instead and says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runGuest } from '@wasmgate/sdk-assemblyscript/tools/run-guest';

const cwd = fileURLToPath(new URL('..', import.meta.url));

async function run(t, options) {
  const { result, via } = await runGuest({ abi: 'storage', module: 'build/{{name}}.wasm', cwd, ...options });
  t.diagnostic(`ran through ${via}`);
  return result;
}

test('store-response without a tenant is rejected', async (t) => {
  const result = await run(t, { event: 'before', op: 'store-response', payload: '{"id":"resp_1"}' });
  assert.deepEqual(result, { result: 'reject', reason: 'tenant_id is required to store a response' });
});

test('an operation with a tenant continues with a TENANT_ID column', async (t) => {
  const result = await run(t, { event: 'before', op: 'create-conversation', context: { tenant_id: 'acme' } });
  assert.deepEqual(result, { result: 'do-continue', columns: [{ name: 'TENANT_ID', value: 'acme' }] });
});

test('after() returns the extra columns unchanged', async (t) => {
  const result = await run(t, { event: 'after', op: 'create-conversation', extra: { TENANT_ID: 'acme' }, resultJson: '{"id":"conv_1"}' });
  assert.deepEqual(result, { columns: [{ name: 'TENANT_ID', value: 'acme' }] });
});
