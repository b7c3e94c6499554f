import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WasmgateError } from '../../../src/errors.js';
import { buildResponse } from '../../../src/sentinel/build-response.js';
import { assertProxyAccepts, assertSdkShape } from '../../helpers/sentinel-client.js';

function accepted(result: unknown, version: 1 | 2 = 1) {
  const response = buildResponse(result, version);
  const value = assertProxyAccepts(JSON.stringify(response), { protocol: version });
  assertSdkShape(value);
  return response;
}

describe('buildResponse', () => {
  it('allow is the bare string "allow" with empty lists and maps, never null', () => {
    assert.equal(
      JSON.stringify(accepted({ decision: 'allow' })),
      '{"version":1,"decision":"allow","request_headers":[],"response_headers":[],"routing_metadata":{},"audit":{"tags":[],"rule_ids":[],"confidence":null,"reason_codes":[],"custom":{}},"needs_more":false,"request_body_mutation":null,"response_body_mutation":null,"websocket_decision":null}',
    );
  });

  it('block and deny default to 403 with a null body and null headers', () => {
    for (const decision of ['block', 'deny', 'Deny', 'BLOCK']) {
      assert.deepEqual(accepted({ decision }).decision, { block: { status: 403, body: null, headers: null } });
    }
  });

  it('block keeps an explicit status and body', () => {
    assert.deepEqual(accepted({ decision: 'block', status: 429, body: 'slow down' }).decision, {
      block: { status: 429, body: 'slow down', headers: null },
    });
  });

  it('redirect is a block (302 by default) with Location in block.headers and a response set op', () => {
    const r = accepted({ decision: 'redirect', body: '/login' });
    assert.deepEqual(r.decision, { block: { status: 302, body: null, headers: { Location: '/login' } } });
    assert.deepEqual(r.response_headers, [{ set: { name: 'Location', value: '/login' } }]);
  });

  it('unknown decisions are allowed', () => {
    assert.equal(accepted({ decision: 'challenge' }).decision, 'allow');
    assert.equal(accepted({ decision: '' }).decision, 'allow');
  });

  it('add_* become set ops in the module key order, then remove_* become remove ops', () => {
    const r = accepted({
      decision: 'allow',
      add_request_headers: { 'X-B': '2', 'X-A': '1', 'X-C': '3' },
      remove_request_headers: ['X-Debug', 'Cookie'],
      add_response_headers: { 'X-Frame-Options': 'DENY' },
      remove_response_headers: ['Server'],
    });
    assert.deepEqual(r.request_headers, [
      { set: { name: 'X-B', value: '2' } },
      { set: { name: 'X-A', value: '1' } },
      { set: { name: 'X-C', value: '3' } },
      { remove: { name: 'X-Debug' } },
      { remove: { name: 'Cookie' } },
    ]);
    assert.deepEqual(r.response_headers, [{ set: { name: 'X-Frame-Options', value: 'DENY' } }, { remove: { name: 'Server' } }]);
  });

  it('tags become audit.tags; null optional fields mean absent (serde Option)', () => {
    const r = accepted({ decision: 'allow', tags: ['a', 'b'], status: null, body: null, add_request_headers: null });
    assert.deepEqual(r.audit.tags, ['a', 'b']);
    assert.deepEqual(r.request_headers, []);
  });

  it('version follows the protocol', () => {
    assert.equal(accepted({ decision: 'allow' }, 2).version, 2);
  });

  it('each response is a fresh object (v2 adds the correlation ID in place)', () => {
    const a = buildResponse({ decision: 'allow' }, 2);
    const b = buildResponse({ decision: 'allow' }, 2);
    a.audit.custom['correlation_id'] = 'x';
    assert.deepEqual(b.audit.custom, {});
  });

  const invalid: Array<[string, unknown]> = [
    ['not an object', 'allow'],
    ['null', null],
    ['missing decision', { status: 403 }],
    ['numeric decision', { decision: 1 }],
    ['string status', { decision: 'block', status: '403' }],
    ['fractional status', { decision: 'block', status: 403.5 }],
    ['status over u16', { decision: 'block', status: 65536 }],
    ['non-string body', { decision: 'block', body: 42 }],
    ['header map with a number value', { decision: 'allow', add_request_headers: { a: 1 } }],
    ['header map as a list', { decision: 'allow', add_request_headers: [['a', 'b']] }],
    ['remove list with a number', { decision: 'allow', remove_response_headers: [1] }],
    ['tags as a string', { decision: 'allow', tags: 'x' }],
  ];
  for (const [title, result] of invalid) {
    it(`rejects ${title} with WG_ERR_GUEST_BAD_OUTPUT`, () => {
      assert.throws(
        () => buildResponse(result, 1),
        (err: unknown) => err instanceof WasmgateError && err.code === 'WG_ERR_GUEST_BAD_OUTPUT',
      );
    });
  }
});
