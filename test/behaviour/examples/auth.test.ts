// guests/examples/auth through wasmgate's component loader: SMG's wasm-guest-auth behaviour, with
// the key from the module config (`api_key`) instead of a constant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTINUE, reject, request, smgExample } from './example-guests.js';

const KEY = 'secret-api-key-12345';

test('the configured key passes as Bearer, ApiKey or x-api-key on /api and /v1', async () => {
  const auth = await smgExample('auth', { api_key: KEY });
  for (const path of ['/api/test', '/v1/chat/completions', '/api', '/v1']) {
    assert.deepEqual(auth.onRequest(request(path, [['authorization', `Bearer ${KEY}`]])), CONTINUE, path);
    assert.deepEqual(auth.onRequest(request(path, [['authorization', `ApiKey ${KEY}`]])), CONTINUE, path);
    assert.deepEqual(auth.onRequest(request(path, [['x-api-key', KEY]])), CONTINUE, path);
  }
});

test('a missing or wrong key on /api or /v1 is rejected with 401', async () => {
  const auth = await smgExample('auth', { api_key: KEY });
  const cases: Array<Array<[string, string]>> = [
    [],
    [['authorization', 'Bearer wrong']],
    [['x-api-key', 'wrong']],
    [['authorization', `Bearer ${KEY}x`]],
    [['authorization', `Bearer  ${KEY}`]], // two spaces: the key keeps the second one
    [['authorization', `bearer ${KEY}`]], // the prefix is case-sensitive; no x-api-key to fall back on
    [['authorization', KEY]],
  ];
  for (const headers of cases) assert.deepEqual(auth.onRequest(request('/v1/models', headers)), reject(401), JSON.stringify(headers));
});

test('authorization with a Bearer/ApiKey prefix wins over x-api-key; without one, x-api-key is used', async () => {
  const auth = await smgExample('auth', { api_key: KEY });
  assert.deepEqual(auth.onRequest(request('/api/x', [['authorization', 'Bearer wrong'], ['x-api-key', KEY]])), reject(401));
  assert.deepEqual(auth.onRequest(request('/api/x', [['authorization', 'Basic dXNlcjpwdw=='], ['x-api-key', KEY]])), CONTINUE);
  assert.deepEqual(auth.onRequest(request('/api/x', [['authorization', `Bearer ${KEY}`], ['authorization', 'Bearer wrong']])), CONTINUE, 'first value');
  assert.deepEqual(auth.onRequest(request('/api/x', [['Authorization', `Bearer ${KEY}`]])), CONTINUE, 'header names ignore case');
});

test('only paths starting with /api or /v1 (case-sensitive) are checked', async () => {
  const auth = await smgExample('auth', { api_key: KEY });
  for (const path of ['/', '/health', '/generate', '/rerank', '/API/test', '/V1/models', '/x/api']) {
    assert.deepEqual(auth.onRequest(request(path)), CONTINUE, path);
  }
  for (const path of ['/v1beta/models', '/apiary', '/api/']) assert.deepEqual(auth.onRequest(request(path)), reject(401), path);
});

test('without api_key in the config (or with an empty one) every protected request is rejected', async () => {
  for (const config of [{}, { api_key: '' }, { other: KEY }]) {
    const auth = await smgExample('auth', config);
    assert.deepEqual(auth.onRequest(request('/api/x', [['x-api-key', KEY]])), reject(401), JSON.stringify(config));
    assert.deepEqual(auth.onRequest(request('/api/x', [['authorization', 'Bearer ']])), reject(401), JSON.stringify(config));
    assert.deepEqual(auth.onRequest(request('/health')), CONTINUE);
  }
});

test('a non-string api_key is compared as its JSON text', async () => {
  const auth = await smgExample('auth', { api_key: 12345 });
  assert.deepEqual(auth.onRequest(request('/api/x', [['x-api-key', '12345']])), CONTINUE);
});

test('on-response always continues', async () => {
  const auth = await smgExample('auth', { api_key: KEY });
  for (const status of [200, 401, 500]) assert.deepEqual(auth.onResponse({ status, headers: [], body: new Uint8Array(0) }), CONTINUE);
});
