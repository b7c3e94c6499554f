// smg:gateway components on executor threads (IsolatedSmgModule, `--isolation worker`): the same
// answers and limits as inline, but a call that loops until its deadline leaves the event loop free.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GuestFault, IsolatedSmgModule, WasmgateError, type SmgRequest } from '../../../src/index.js';
import { expectTimeoutWithinDeadline } from '../../helpers/deadline.js';
import { guestPath } from '../../helpers/guests.js';

const cacheDir = join(resolve(import.meta.dirname, '../../..'), 'build', 'cache', 'components');
const bytes = (area: string, name: string) => new Uint8Array(readFileSync(guestPath(area, name)));
const request: SmgRequest = {
  method: 'GET',
  path: '/api/v1/models',
  query: '',
  headers: [{ name: 'authorization', value: 'Bearer k-1' }],
  body: new Uint8Array(0),
  requestId: 'r1',
  nowEpochMs: Date.now(),
};

test('answers as inline does: reject, continue, module config, exports, metrics', async () => {
  const m = await IsolatedSmgModule.load(bytes('examples', 'auth'), { name: 'auth', cacheDir, poolSize: 2, config: { api_key: 'k-1' } });
  try {
    assert.equal(m.threads, 2);
    assert.deepEqual(await m.onRequest!(request), { tag: 'continue' });
    assert.deepEqual(await m.onRequest!({ ...request, headers: [] }), { tag: 'reject', status: 401 });
    assert.equal(m.metrics.executions, 2);
    const threads = await m.readMetrics();
    assert.equal(threads.executions, 2, 'the executor threads counted the same calls');
    assert.match(m.sha256, /^[0-9a-f]{64}$/);
  } finally {
    await m.close();
  }
});

test('a component that exports only on-request has no onResponse here either', async () => {
  const m = await IsolatedSmgModule.load(bytes('components', 'on-request-only'), { name: 'only', cacheDir, poolSize: 1 });
  try {
    assert.equal(typeof m.onRequest, 'function');
    assert.equal(m.onResponse, undefined);
  } finally {
    await m.close();
  }
});

test('a component looping until its deadline holds an executor thread, not the event loop', async () => {
  const deadline = 400;
  const m = await IsolatedSmgModule.load(bytes('components', 'infinite-loop'), { name: 'loop', cacheDir, poolSize: 1, limits: { maxExecutionTimeMs: deadline } });
  try {
    const timed = expectTimeoutWithinDeadline(deadline, () => m.onRequest!(request));
    // Inline, the call would run synchronously to its deadline before a timer could fire.
    const started = performance.now();
    await sleep(20);
    const lag = performance.now() - started;
    assert.ok(lag < deadline / 2, `the event loop was held for ${lag.toFixed(0)} ms`);
    await timed;
    await expectTimeoutWithinDeadline(deadline, () => m.onRequest!(request));
    assert.equal(m.metrics.failuresByKind.timeout, 2);
    assert.equal((await m.readMetrics()).failuresByKind.timeout, 2);
  } finally {
    await m.close();
  }
});

test('a trap replaces the instance inside its thread; the module keeps serving', async () => {
  const m = await IsolatedSmgModule.load(bytes('components', 'trap'), { name: 'trap', cacheDir, poolSize: 1 });
  try {
    for (let i = 0; i < 3; i++) await assert.rejects(m.onRequest!(request), (err: unknown) => err instanceof GuestFault && err.kind === 'trap');
    assert.equal((await m.readMetrics()).failuresByKind.trap, 3);
  } finally {
    await m.close();
  }
});

test('load errors cross the thread boundary with their code (wrong world, not a component)', async () => {
  await assert.rejects(IsolatedSmgModule.load(bytes('components', 'wrong-world'), { name: 'ww', cacheDir, poolSize: 1 }), (err: unknown) => WasmgateError.is(err, 'WG_ERR_MODULE_WRONG_WORLD'));
  await assert.rejects(IsolatedSmgModule.load(bytes('test-core', 'allow'), { name: 'core', cacheDir, poolSize: 1 }), (err: unknown) => WasmgateError.is(err, 'WG_ERR_MODULE_KIND_MISMATCH'));
});
