import assert from 'node:assert/strict';
import { test } from 'node:test';
import { epochNanos, epochNanosAt, monotonicMs } from '../../../src/registry/epoch-nanos.js';

test('epochNanosAt(monotonicMs()) lies between the epochNanos() read before and after it, is the same every time, and keeps the stamps in order', () => {
  const before = epochNanos();
  const stamp = monotonicMs();
  const after = epochNanos();
  const at = epochNanosAt(stamp);
  assert.ok(at >= before && at <= after, `${before} <= ${at} <= ${after}`);
  assert.equal(epochNanosAt(stamp), at, 'deterministic');
  assert.ok(epochNanosAt(stamp + 0.001) > at, 'a later stamp is later');
  const wallMs = Number(at / 1_000_000n);
  assert.ok(Math.abs(wallMs - Date.now()) < 1000, 'anchored to the wall clock');
});
