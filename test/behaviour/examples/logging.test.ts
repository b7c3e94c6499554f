// guests/examples/logging through wasmgate's component loader: SMG's wasm-guest-logging behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTINUE, request, smgExample } from './example-guests.js';

test('on-request adds the tracking headers to the request, and x-api-route for /api and /v1', async () => {
  const logging = await smgExample('logging');
  const tracking = (id: string, now: number) => [
    { name: 'x-request-id', value: id },
    { name: 'x-wasm-processed', value: 'true' },
    { name: 'x-processed-at', value: String(now) },
  ];
  assert.deepEqual(logging.onRequest(request('/health', [], { requestId: 'req-abc', nowEpochMs: 1_755_000_000_123 })), {
    tag: 'modify',
    modify: { headersSet: [], headersAdd: tracking('req-abc', 1_755_000_000_123), headersRemove: [] },
  });
  for (const path of ['/api/test', '/v1/chat/completions', '/v1beta']) {
    assert.deepEqual(logging.onRequest(request(path, [], { requestId: 'chatcmpl-1', nowEpochMs: 42 })), {
      tag: 'modify',
      modify: { headersSet: [], headersAdd: [...tracking('chatcmpl-1', 42), { name: 'x-api-route', value: 'true' }], headersRemove: [] },
    });
  }
});

test('a client-supplied x-request-id is added to, not replaced (headers-add, as SMG)', async () => {
  const logging = await smgExample('logging');
  const action = logging.onRequest(request('/x', [['x-request-id', 'client-id']], { requestId: 'client-id' }));
  assert.equal(action.tag, 'modify');
  if (action.tag === 'modify') {
    assert.deepEqual(action.modify.headersSet, []);
    assert.deepEqual(action.modify.headersAdd[0], { name: 'x-request-id', value: 'client-id' });
  }
});

test('on-response turns 500 into 503 and leaves every other status alone', async () => {
  const logging = await smgExample('logging');
  const response = (status: number) => ({ status, headers: [{ name: 'content-type', value: 'application/json' }], body: new TextEncoder().encode('{}') });
  assert.deepEqual(logging.onResponse(response(500)), { tag: 'modify', modify: { status: 503, headersSet: [], headersAdd: [], headersRemove: [] } });
  for (const status of [200, 201, 404, 501, 502, 503]) assert.deepEqual(logging.onResponse(response(status)), CONTINUE, String(status));
});
