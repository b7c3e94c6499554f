// guests/examples/ratelimit through wasmgate's component loader: SMG's wasm-guest-ratelimit, which
// under wasmgate actually limits, because an instance (and its state) serves request after request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTINUE, reject, request, smgExample } from './example-guests.js';

const T0 = 1_700_000_000_000;

type Limiter = Awaited<ReturnType<typeof smgExample>>;

/** Sends `count` requests with `headers` at time `now`; returns how many continued. */
function send(limiter: Limiter, count: number, headers: Array<[string, string]>, now = T0, requestId = 'req-1'): number {
  let passed = 0;
  for (let i = 0; i < count; i++) {
    const action = limiter.onRequest(request('/v1/chat/completions', headers, { nowEpochMs: now, requestId }));
    if (action.tag === 'continue') passed++;
    else assert.deepEqual(action, reject(429));
  }
  return passed;
}

test('60 requests per 60 s per client pass; the 61st is rejected with 429', async () => {
  const limiter = await smgExample('ratelimit');
  assert.equal(send(limiter, 60, [['x-api-key', 'alice']]), 60);
  assert.deepEqual(limiter.onRequest(request('/x', [['x-api-key', 'alice']], { nowEpochMs: T0 + 59_999 })), reject(429));
  assert.equal(send(limiter, 60, [['x-api-key', 'bob']]), 60, 'another client has its own window');
});

test('the window slides: a request counts until 60 000 ms after it was made', async () => {
  const limiter = await smgExample('ratelimit');
  assert.equal(send(limiter, 30, [['x-api-key', 'k']], T0), 30);
  assert.equal(send(limiter, 30, [['x-api-key', 'k']], T0 + 30_000), 30);
  assert.equal(send(limiter, 1, [['x-api-key', 'k']], T0 + 59_999), 0);
  assert.equal(send(limiter, 1, [['x-api-key', 'k']], T0 + 60_000), 1, 'the first 30 expired at exactly T0 + 60 000');
  assert.equal(send(limiter, 30, [['x-api-key', 'k']], T0 + 60_000), 29);
  assert.equal(send(limiter, 60, [['x-api-key', 'k']], T0 + 200_000), 60);
});

test('identifiers follow SMG: bearer/api key, then x-forwarded-for, then x-real-ip, then the request id', async () => {
  const limiter = await smgExample('ratelimit');
  // `Bearer K`, `ApiKey K` and `x-api-key: K` are one client (api_key:K).
  assert.equal(send(limiter, 20, [['authorization', 'Bearer K']]), 20);
  assert.equal(send(limiter, 20, [['authorization', 'ApiKey K']]), 20);
  assert.equal(send(limiter, 20, [['x-api-key', 'K'], ['x-forwarded-for', '10.0.0.1']]), 20);
  assert.equal(send(limiter, 1, [['x-api-key', 'K']]), 0);
  // An authorization header without those prefixes is ignored.
  assert.equal(send(limiter, 1, [['authorization', 'Basic K'], ['x-api-key', 'K']]), 0);
  // The first x-forwarded-for entry, trimmed; x-real-ip is the same namespace (ip:...).
  assert.equal(send(limiter, 30, [['x-forwarded-for', ' 10.1.1.1 , 10.9.9.9']]), 30);
  assert.equal(send(limiter, 30, [['x-real-ip', '10.1.1.1']]), 30);
  assert.equal(send(limiter, 1, [['x-forwarded-for', '10.1.1.1']]), 0);
  // An empty first entry falls through to x-real-ip.
  assert.equal(send(limiter, 1, [['x-forwarded-for', ' , 10.9.9.9'], ['x-real-ip', '10.1.1.1']]), 0);
  // Nothing identifying: the request id, so distinct requests never share a window.
  for (let i = 0; i < 100; i++) assert.equal(send(limiter, 1, [], T0, `req-${i}`), 1);
  assert.equal(send(limiter, 61, [], T0, 'same-id'), 60);
});

test('limit and window_ms come from the module config; invalid values keep the defaults', async () => {
  const small = await smgExample('ratelimit', { limit: 2, window_ms: 1_000 });
  assert.equal(send(small, 3, [['x-api-key', 'k']], T0), 2);
  assert.equal(send(small, 3, [['x-api-key', 'k']], T0 + 1_000), 2);
  const asText = await smgExample('ratelimit', { limit: '3' });
  assert.equal(send(asText, 4, [['x-api-key', 'k']]), 3);
  for (const config of [{ limit: 'lots' }, { limit: -1 }, { limit: 0 }, { limit: 1.5 }, { window_ms: 'long' }]) {
    const limiter = await smgExample('ratelimit', config);
    assert.equal(send(limiter, 61, [['x-api-key', 'k']]), 60, JSON.stringify(config));
  }
});

test('each instance counts on its own (the per-instance caveat of a pool)', async () => {
  const first = await smgExample('ratelimit');
  const second = await smgExample('ratelimit');
  assert.equal(send(first, 61, [['x-api-key', 'k']]), 60);
  assert.equal(send(second, 61, [['x-api-key', 'k']]), 60);
});

test('many distinct clients over time do not stop the limiter working', async () => {
  const limiter = await smgExample('ratelimit', { limit: 1, window_ms: 10 });
  for (let i = 0; i < 5_000; i++) assert.equal(send(limiter, 1, [['x-api-key', `client-${i}`]], T0 + i * 100), 1);
  assert.equal(send(limiter, 2, [['x-api-key', 'client-4999']], T0 + 4_999 * 100), 0);
  assert.deepEqual(limiter.onResponse({ status: 429, headers: [], body: new Uint8Array(0) }), CONTINUE);
});
