import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionToJson, requestFromJson, responseFromJson } from '../../../../src/abi/smg-component/json-form.js';
import { WasmgateError } from '../../../../src/errors.js';

const invalid = (err: unknown) => err instanceof WasmgateError && err.code === 'WG_ERR_CONFIG_INVALID';

test('a request from JSON takes every field, with the body as UTF-8 text', () => {
  const req = requestFromJson({
    method: 'POST',
    path: '/v1/chat',
    query: 'a=1',
    headers: [{ name: 'x-a', value: '1' }],
    body: 'héllo',
    request_id: 'req-9',
    now_epoch_ms: 42,
  });
  assert.deepEqual(req, {
    method: 'POST',
    path: '/v1/chat',
    query: 'a=1',
    headers: [{ name: 'x-a', value: '1' }],
    body: new TextEncoder().encode('héllo'),
    requestId: 'req-9',
    nowEpochMs: 42,
  });
});

test('a request from JSON has defaults, accepts a header map and a base64 body, and drops a leading ?', () => {
  const req = requestFromJson({ query: '?x=1', headers: { 'x-a': 'one', 'x-b': ['2', '3'] }, body_base64: 'AP8=' });
  assert.equal(req.method, 'GET');
  assert.equal(req.path, '/');
  assert.equal(req.query, 'x=1');
  assert.deepEqual(req.headers, [
    { name: 'x-a', value: 'one' },
    { name: 'x-b', value: '2' },
    { name: 'x-b', value: '3' },
  ]);
  assert.deepEqual(req.body, new Uint8Array([0, 255]));
  assert.match(req.requestId, /^req-/);
  assert.ok(Math.abs(req.nowEpochMs - Date.now()) < 60_000);
});

test('malformed request JSON is WG_ERR_CONFIG_INVALID', () => {
  for (const bad of [null, [], { method: 1 }, { headers: [{ name: 'a' }] }, { body: 'a', body_base64: 'YQ==' }, { body_base64: '%%' }, { now_epoch_ms: -1 }]) {
    assert.throws(() => requestFromJson(bad), invalid, JSON.stringify(bad));
  }
});

test('a response from JSON defaults to 200 with an empty body', () => {
  assert.deepEqual(responseFromJson({}), { status: 200, headers: [], body: new Uint8Array(0) });
  assert.equal(responseFromJson({ status: 503, body: 'x' }).status, 503);
  assert.throws(() => responseFromJson({ status: 70000 }), invalid);
});

test('actions print as JSON, with a replacement body as text when it is UTF-8 and base64 otherwise', () => {
  assert.deepEqual(actionToJson({ tag: 'continue' }), { action: 'continue' });
  assert.deepEqual(actionToJson({ tag: 'reject', status: 401 }), { action: 'reject', status: 401 });
  const modify = { headersSet: [{ name: 'a', value: '1' }], headersAdd: [], headersRemove: ['b'] };
  assert.deepEqual(actionToJson({ tag: 'modify', modify: { ...modify, status: 503, bodyReplace: new TextEncoder().encode('ünï') } }), {
    action: 'modify',
    status: 503,
    headers_set: [{ name: 'a', value: '1' }],
    headers_add: [],
    headers_remove: ['b'],
    body_replace: 'ünï',
  });
  assert.deepEqual(actionToJson({ tag: 'modify', modify: { ...modify, bodyReplace: new Uint8Array([0xff]) } }).body_replace_base64, '/w==');
  assert.equal('body_replace' in actionToJson({ tag: 'modify', modify }), false);
});
