// Runs build/{{name}}.wasm through `wasmgate run --abi smg` (npm test builds it first). With a
// wasmgate that cannot run components yet, runGuest runs build/{{name}}.core.wasm through the
// SDK's canonical-ABI test host instead and says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runGuest } from '@wasmgate/sdk-assemblyscript/tools/run-guest';

const cwd = fileURLToPath(new URL('..', import.meta.url));

async function run(t, event, input) {
  const { result, via } = await runGuest({ abi: 'smg', module: 'build/{{name}}.wasm', event, input, cwd });
  t.diagnostic(`ran through ${via}`);
  return result;
}

test('a request under /admin is rejected with 403', async (t) => {
  assert.deepEqual(await run(t, 'on-request', { method: 'GET', path: '/admin/users' }), { action: 'reject', status: 403 });
});

test('other requests are marked and lose x-debug', async (t) => {
  const result = await run(t, 'on-request', { method: 'POST', path: '/v1/chat/completions', headers: { 'x-debug': '1' }, body: '{}' });
  assert.deepEqual(result, {
    action: 'modify',
    headers_set: [{ name: 'x-filtered-by', value: '{{name}}' }],
    headers_add: [],
    headers_remove: ['x-debug'],
  });
});

test('a 500 response becomes 503; others continue', async (t) => {
  assert.deepEqual(await run(t, 'on-response', { status: 500 }), { action: 'modify', status: 503, headers_set: [], headers_add: [], headers_remove: [] });
  assert.deepEqual(await run(t, 'on-response', { status: 200 }), { action: 'continue' });
});
