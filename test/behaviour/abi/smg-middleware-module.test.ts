// smg:gateway components under the runtime: pooled instances, limits inside every core module,
// per-module metrics, faulted instances replaced — what the gateway's registry loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GuestFault, SmgMiddlewareModule, WasmgateError, type SmgRequest } from '../../../src/index.js';
import { expectTimeoutWithinDeadline } from '../../helpers/deadline.js';
import { guestPath } from '../../helpers/guests.js';

const cacheDir = join(resolve(import.meta.dirname, '../../..'), 'build', 'cache', 'components');
const bytes = (name: string) => new Uint8Array(readFileSync(guestPath('components', name)));
const request: SmgRequest = { method: 'GET', path: '/api', query: '', headers: [], body: new Uint8Array(0), requestId: 'r1', nowEpochMs: Date.now() };
const fault = (kind: string) => (err: unknown) => err instanceof GuestFault && err.kind === kind;

async function load(name: string, options: Partial<Parameters<typeof SmgMiddlewareModule.load>[1]> = {}) {
  return SmgMiddlewareModule.load(bytes(name), { name, cacheDir, poolSize: 1, ...options });
}

test('a component that exports only on-request has no onResponse', async () => {
  const m = await load('on-request-only');
  try {
    assert.equal(typeof m.onRequest, 'function');
    assert.equal(m.onResponse, undefined);
    assert.deepEqual(await m.onRequest!(request), { tag: 'reject', status: 403 });
  } finally {
    await m.close();
  }
});

test('state persists across calls on a pooled component instance, unlike SMG', async () => {
  const m = await load('counter');
  try {
    const counts = [];
    for (let i = 0; i < 3; i++) {
      const action = await m.onRequest!(request);
      assert.equal(action.tag, 'modify');
      if (action.tag === 'modify') counts.push(action.modify.headersAdd[0]?.value);
    }
    assert.deepEqual(counts, ['1', '2', '3']);
  } finally {
    await m.close();
  }
});

test('a trapping component instance is replaced and the module keeps serving', async () => {
  const m = await load('trap');
  try {
    await assert.rejects(m.onRequest!(request), fault('trap'));
    await assert.rejects(m.onRequest!(request), fault('trap'), 'the replacement is a fresh instance that traps the same way');
    assert.equal(m.metrics.failuresByKind.trap, 2);
    assert.ok(m.metrics.instancesReplaced >= 1);
  } finally {
    await m.close();
  }
});

test('an endless loop in a component is stopped within the deadline', async () => {
  const m = await load('infinite-loop', { limits: { maxExecutionTimeMs: 100 } });
  try {
    await expectTimeoutWithinDeadline(100, () => m.onRequest!(request));
    await expectTimeoutWithinDeadline(100, () => m.onRequest!(request));
    assert.equal(m.metrics.failuresByKind.timeout, 2);
  } finally {
    await m.close();
  }
});

test('a memory bomb in a component stops at max_memory_pages as a memory fault', async () => {
  const m = await load('memory-bomb', { limits: { maxMemoryPages: 32 } });
  try {
    await assert.rejects(m.onRequest!(request), fault('memory'));
  } finally {
    await m.close();
  }
});

test('a componentize-js guest looping forever is stopped at the deadline', async () => {
  const m = await load('js-loop', { limits: { maxExecutionTimeMs: 200 } });
  try {
    await expectTimeoutWithinDeadline(200, () => m.onRequest!(request));
  } finally {
    await m.close();
  }
});

test('a component of the wrong world is refused at load, not on every call', async () => {
  await assert.rejects(load('wrong-world'), (err: unknown) => WasmgateError.is(err, 'WG_ERR_MODULE_WRONG_WORLD'));
});

test('metrics count executions and time per module', async () => {
  const m = await load('continue', { poolSize: 2 });
  try {
    for (let i = 0; i < 5; i++) await m.onRequest!(request);
    const s = m.metrics;
    assert.equal(s.executions, 5);
    assert.equal(s.successes, 5);
    assert.ok(s.averageExecutionTimeUs > 0);
  } finally {
    await m.close();
  }
});
