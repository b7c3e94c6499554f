// Runs build/{{name}}.wasm through `wasmgate run` (npm test builds it first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runGuest } from '@wasmgate/sdk-assemblyscript/tools/run-guest';

const cwd = fileURLToPath(new URL('..', import.meta.url));
const run = (event, input) => runGuest({ abi: 'sentinel', module: 'build/{{name}}.wasm', event, input, cwd });

test('a request under /admin is blocked with 403', async () => {
  const { result } = await run('request_headers', { method: 'GET', uri: '/admin/users' });
  assert.deepEqual(result, { decision: 'block', status: 403, body: 'Forbidden', tags: ['admin-blocked'] });
});

test('other requests are allowed and marked for the upstream', async () => {
  const { result } = await run('request_headers', { method: 'GET', uri: '/api/items', headers: { 'user-agent': 'test' } });
  assert.deepEqual(result, { decision: 'allow', add_request_headers: { 'X-Filtered-By': '{{name}}' } });
});

test('responses get X-Content-Type-Options', async () => {
  const { result } = await run('response_headers', { status: 200 });
  assert.deepEqual(result, { decision: 'allow', add_response_headers: { 'X-Content-Type-Options': 'nosniff' } });
});
