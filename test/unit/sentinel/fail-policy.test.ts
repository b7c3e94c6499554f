import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GuestFault } from '../../../src/runtime/guest-fault.js';
import { configRejectedResponse, guestErrorResponse, invalidEventResponse } from '../../../src/sentinel/fail-policy.js';
import { assertProxyAccepts, assertSdkShape } from '../../helpers/sentinel-client.js';

function check(value: unknown, protocol: 1 | 2 = 1): void {
  assertSdkShape(assertProxyAccepts(JSON.stringify(value), { protocol }));
}

describe('fail policy', () => {
  const fault = new GuestFault('timeout', 'guest ran longer than max_execution_time_ms (50 ms) and was stopped');

  it('fail-closed: block 500 "Wasm Error", tag wasm-error, the message as reason code', () => {
    const r = guestErrorResponse(fault, false, 1);
    check(r);
    assert.deepEqual(r.decision, { block: { status: 500, body: 'Wasm Error', headers: null } });
    assert.deepEqual(r.audit.tags, ['wasm-error']);
    assert.deepEqual(r.audit.reason_codes, [fault.message]);
  });

  it('fail-open: allow with tags wasm-error, fail-open and the message', () => {
    const r = guestErrorResponse(fault, true, 2);
    check(r, 2);
    assert.equal(r.decision, 'allow');
    assert.deepEqual(r.audit.tags, ['wasm-error', 'fail-open']);
    assert.deepEqual(r.audit.reason_codes, [fault.message]);
  });

  it('a malformed event is tagged invalid-event and carries the event error code', () => {
    const closed = invalidEventResponse('metadata must be an object', false, 1);
    check(closed);
    assert.deepEqual(closed.decision, { block: { status: 500, body: 'Invalid Agent Event', headers: null } });
    assert.deepEqual(closed.audit.reason_codes, ['WG_ERR_SENTINEL_EVENT: metadata must be an object']);
    const open = invalidEventResponse('x', true, 1);
    assert.equal(open.decision, 'allow');
    assert.deepEqual(open.audit.tags, ['invalid-event', 'fail-open']);
  });

  it('a rejected configure is block 500 whatever the fail policy', () => {
    const r = configRejectedResponse('config "pool-size" must be an integer in 1..256', 1);
    check(r);
    assert.deepEqual(r.decision, { block: { status: 500, body: 'Configuration rejected', headers: null } });
  });
});
