// Guests that never stop: each is stopped within max_execution_time_ms + 50 ms, reports a timeout,
// its instance is replaced, and the process keeps serving — meanwhile too, with worker isolation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IsolatedSentinelModule, SentinelJsonModule, GuestFault } from '../../src/index.js';
import { expectTimeoutWithinDeadline } from '../helpers/deadline.js';
import { guestPath, SMALL_REQUEST } from '../helpers/guests.js';

const DEADLINE_MS = 100;

for (const name of ['infinite-loop', 'memory-fill-loop', 'table-grow-bomb']) {
  test(`${name}: stopped within the deadline, instance replaced, pool keeps serving`, async () => {
    const module = await SentinelJsonModule.load(guestPath('hostile', name), { poolSize: 2, limits: { maxExecutionTimeMs: DEADLINE_MS } });
    try {
      await expectTimeoutWithinDeadline(DEADLINE_MS, () => module.call('request_headers', SMALL_REQUEST));
      await expectTimeoutWithinDeadline(DEADLINE_MS, () => module.call('request_headers', SMALL_REQUEST));
      const m = module.metrics;
      assert.equal(m.failuresByKind.timeout, 2);
      assert.equal(m.executions, 2);
      await new Promise((r) => setImmediate(r));
      assert.ok(m.instancesReplaced >= 1);
    } finally {
      await module.close();
    }
  });
}

test('a start function that loops forever fails the load with a timeout, in time', async () => {
  const started = performance.now();
  await assert.rejects(
    SentinelJsonModule.load(guestPath('test-core', 'slow-init'), { poolSize: 1, limits: { maxExecutionTimeMs: DEADLINE_MS } }),
    (err: unknown) => err instanceof GuestFault && err.kind === 'timeout',
  );
  assert.ok(performance.now() - started < DEADLINE_MS + 500, 'load includes compile time, but the loop itself was cut at the deadline');
});

test('other modules keep serving while a runaway guest runs on an executor thread', async () => {
  const runaway = await IsolatedSentinelModule.load(guestPath('hostile', 'infinite-loop'), { poolSize: 1, limits: { maxExecutionTimeMs: 400 } });
  const healthy = await SentinelJsonModule.load(guestPath('test-core', 'allow'), { poolSize: 1 });
  try {
    let runawaySettled = false;
    const loop = runaway.call('request_headers', SMALL_REQUEST).finally(() => (runawaySettled = true));
    const served: number[] = [];
    for (let i = 0; i < 50; i++) {
      const r = await healthy.onRequestHeaders(SMALL_REQUEST);
      assert.equal(r.decision, 'allow');
      if (!runawaySettled) served.push(i);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    assert.equal(served.length, 50, 'every healthy call completed while the runaway guest was still running');
    await assert.rejects(loop, (err: unknown) => err instanceof GuestFault && err.kind === 'timeout');
    // The executor thread survived: the next call runs (and times out) again rather than failing to dispatch.
    await assert.rejects(runaway.call('request_headers', SMALL_REQUEST), (err: unknown) => err instanceof GuestFault && err.kind === 'timeout');
    const m = await runaway.readMetrics();
    assert.equal(m.failuresByKind.timeout, 2);
  } finally {
    await runaway.close();
    await healthy.close();
  }
});
