import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WasmgateError } from '../../../src/errors.js';
import {
  correlationIdOf,
  eventTypeFromWireName,
  checkHeaderLists,
  joinedRequest,
  parseConfigure,
  toSentinelRequest,
  toSentinelResponse,
} from '../../../src/sentinel/event-payloads.js';
import { requestHeadersPayload } from '../../helpers/sentinel-client.js';

const isEventError = (err: unknown): boolean => WasmgateError.is(err, 'WG_ERR_SENTINEL_EVENT');

describe('event payloads', () => {
  it('knows every v1 event type, including serde\'s "web_socket_frame" spelling', () => {
    assert.equal(eventTypeFromWireName('web_socket_frame'), 'websocket_frame');
    assert.equal(eventTypeFromWireName('websocket_frame'), 'websocket_frame');
    assert.equal(eventTypeFromWireName('guardrail_inspect'), 'guardrail_inspect');
    assert.equal(eventTypeFromWireName('RequestHeaders'), undefined);
    assert.equal(eventTypeFromWireName(3), undefined);
  });

  it('checks header value lists, and joins them with ", " keeping odd names as plain keys', () => {
    const headers = JSON.parse('{"a":["1","2"],"b":"plain","__proto__":["x"],"empty":[]}') as unknown;
    const request = joinedRequest({ method: 'GET', uri: '/', client_ip: '::1', correlation_id: 'c', headers: checkHeaderLists(headers) });
    const flat = request.headers;
    assert.deepEqual(Object.keys(flat), ['a', 'b', '__proto__', 'empty']);
    assert.deepEqual({ ...flat }, JSON.parse('{"a":"1, 2","b":"plain","__proto__":"x","empty":""}'));
    assert.equal(Object.getPrototypeOf(flat), Object.prototype);
    for (const bad of [{ a: [1] }, { a: ['ok', null] }, { a: 5 }, { a: { b: 'c' } }, ['x'], null, 'a: b']) {
      assert.throws(() => checkHeaderLists(bad), isEventError, JSON.stringify(bad));
    }
  });

  it('builds the guest request from the proxy payload', () => {
    const request = toSentinelRequest(requestHeadersPayload({ correlationId: 'c1', clientIp: '1.2.3.4' }));
    assert.equal(request.correlation_id, 'c1');
    assert.equal(request.client_ip, '1.2.3.4');
    for (const broken of [null, [], {}, { ...requestHeadersPayload(), metadata: null }, { ...requestHeadersPayload(), uri: 7 }]) {
      assert.throws(() => toSentinelRequest(broken), isEventError);
    }
  });

  it('requires a u16 status for responses', () => {
    assert.equal(toSentinelResponse({ status: 204, correlation_id: 'x', headers: {} }).status, 204);
    assert.throws(() => toSentinelResponse({ status: '204', correlation_id: 'x', headers: {} }), isEventError);
  });

  it('configure needs both kebab-case keys', () => {
    assert.deepEqual(parseConfigure({ agent_id: 'wasm', config: { 'pool-size': 8, 'fail-open': true } }), { poolSize: 8, failOpen: true });
    for (const config of [{ 'pool-size': 8 }, { 'fail-open': true }, { pool_size: 8, fail_open: true }, { 'pool-size': 0, 'fail-open': true }, { 'pool-size': 4, 'fail-open': 'yes' }]) {
      assert.throws(() => parseConfigure({ agent_id: 'wasm', config }), isEventError);
    }
  });

  it('finds the correlation ID at the top level, then in metadata', () => {
    assert.equal(correlationIdOf({ correlation_id: 'top', metadata: { correlation_id: 'meta' } }), 'top');
    assert.equal(correlationIdOf({ metadata: { correlation_id: 'meta' } }), 'meta');
    assert.equal(correlationIdOf({ correlation_id: 5 }), undefined);
    assert.equal(correlationIdOf('x'), undefined);
  });
});
