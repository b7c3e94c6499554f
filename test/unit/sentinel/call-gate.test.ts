import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WasmgateError } from '../../../src/errors.js';
import { CallCancelledError, CallGate } from '../../../src/sentinel/call-gate.js';

describe('CallGate', () => {
  it('admits up to the limit at once and the rest in FIFO order as slots free up', async () => {
    const gate = new CallGate(2);
    await gate.acquire();
    await gate.acquire();
    const order: number[] = [];
    const third = gate.acquire().then(() => order.push(3));
    const fourth = gate.acquire().then(() => order.push(4));
    assert.equal(gate.queued, 2);
    gate.release();
    await third;
    gate.release();
    await fourth;
    assert.deepEqual(order, [3, 4]);
    assert.equal(gate.active, 2);
  });

  it('drops a queued call whose signal aborts, without taking a slot', async () => {
    const gate = new CallGate(1);
    await gate.acquire();
    const controller = new AbortController();
    const queued = gate.acquire(controller.signal);
    controller.abort();
    await assert.rejects(queued, CallCancelledError);
    assert.equal(gate.queued, 0);
    gate.release();
    assert.equal(gate.active, 0);
  });

  it('rejects an already-aborted signal at once', async () => {
    const gate = new CallGate(1);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(gate.acquire(controller.signal), CallCancelledError);
  });

  it('gives up after maxWaitMs with WG_ERR_POOL_EXHAUSTED', async () => {
    const gate = new CallGate(1, 5);
    await gate.acquire();
    await assert.rejects(gate.acquire(), (err: unknown) => WasmgateError.is(err, 'WG_ERR_POOL_EXHAUSTED'));
    assert.equal(gate.queued, 0);
  });

  it('a larger limit admits waiters immediately', async () => {
    const gate = new CallGate(1);
    await gate.acquire();
    const waiting = gate.acquire();
    gate.setLimit(2);
    await waiting;
    assert.equal(gate.active, 2);
  });
});
