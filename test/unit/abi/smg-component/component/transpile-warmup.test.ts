// The transpile worker's background warm-up (prewarmTranspiler): it runs, ends by itself, yields to
// real jobs, and leaves the worker transpiling real components. The worker is per process, and
// node --test runs each file in its own process, so this file sees a fresh one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prewarmTranspiler, transpileOffThread, transpilerWarmedUp } from '../../../../../src/abi/smg-component/component/transpile-worker.js';
import { guestBytes } from '../component-guests.js';

test('the warm-up runs in the background, gives way to a real transpile, and ends by itself', async () => {
  assert.deepEqual(await transpilerWarmedUp(), { jobs: 0, ms: 0, lastMs: 0 }, 'no warm-up before prewarm');
  const bytes = await guestBytes('modify-request');
  await prewarmTranspiler();
  let warmedAt = 0;
  const warmed = transpilerWarmedUp().then((report) => {
    warmedAt = performance.now();
    return report;
  });
  // Requested while the warm-up runs: served next, not after the whole warm-up.
  const real = await transpileOffThread(bytes);
  const realAt = performance.now();
  assert.ok(Object.keys(real.files).some((name) => name.endsWith('.js')), 'the real job got its glue');
  const report = await warmed;
  assert.ok(realAt < warmedAt, 'the real transpile finished before the warm-up ended');
  assert.ok(report.jobs >= 2 && report.jobs <= 40, `warm-up jobs: ${report.jobs}`);
  assert.ok(report.ms > 0 && report.lastMs > 0);
  // After the warm-up the worker is still there and transpiles real components.
  const again = await transpileOffThread(bytes);
  assert.deepEqual(Object.keys(again.files).sort(), Object.keys(real.files).sort());
});
