import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_LIMITS, limitsFromSnakeCase, resolveLimits } from '../../../src/runtime/limits.js';
import { WasmgateError } from '../../../src/errors.js';

test('defaults match SMG: 1024 pages, 1000 ms, 1 MiB stack, 10 MiB body', () => {
  assert.deepEqual({ ...DEFAULT_LIMITS }, {
    maxMemoryPages: 1024,
    maxExecutionTimeMs: 1000,
    maxStackSize: 1024 * 1024,
    maxBodySize: 10 * 1024 * 1024,
  });
  assert.equal(DEFAULT_LIMITS.maxMemoryPages * 65536, 64 * 1024 * 1024);
});

test('overrides replace single fields and the result is frozen', () => {
  const limits = resolveLimits(DEFAULT_LIMITS, { maxExecutionTimeMs: 50 });
  assert.equal(limits.maxExecutionTimeMs, 50);
  assert.equal(limits.maxMemoryPages, 1024);
  assert.ok(Object.isFrozen(limits));
});

test('range bounds are inclusive', () => {
  const limits = resolveLimits(DEFAULT_LIMITS, {
    maxMemoryPages: 65536,
    maxExecutionTimeMs: 300000,
    maxStackSize: 16 * 1024 * 1024,
    maxBodySize: 100 * 1024 * 1024,
  });
  assert.equal(limits.maxMemoryPages, 65536);
  const low = resolveLimits(DEFAULT_LIMITS, { maxMemoryPages: 1, maxExecutionTimeMs: 1, maxStackSize: 64 * 1024, maxBodySize: 1 });
  assert.equal(low.maxStackSize, 65536);
});

const rejected: Array<[string, Record<string, number>, string]> = [
  ['memory 0', { maxMemoryPages: 0 }, 'max_memory_pages cannot be 0'],
  ['memory 65537', { maxMemoryPages: 65537 }, 'max_memory_pages cannot exceed 65536 (4GB)'],
  ['exec 0', { maxExecutionTimeMs: 0 }, 'max_execution_time_ms cannot be 0'],
  ['exec 300001', { maxExecutionTimeMs: 300001 }, 'max_execution_time_ms cannot exceed 300000ms (5 minutes)'],
  ['stack 32 KiB', { maxStackSize: 32 * 1024 }, 'max_stack_size must be at least 64KB'],
  ['stack 17 MiB', { maxStackSize: 17 * 1024 * 1024 }, 'max_stack_size cannot exceed 16MB'],
  ['body 0', { maxBodySize: 0 }, 'max_body_size cannot be 0'],
  ['body 101 MiB', { maxBodySize: 101 * 1024 * 1024 }, 'max_body_size cannot exceed 100MB'],
];

for (const [label, override, smgMessage] of rejected) {
  test(`out-of-range ${label} is rejected with SMG's message naming the field and the range`, () => {
    assert.throws(
      () => resolveLimits(DEFAULT_LIMITS, override),
      (err: unknown) =>
        err instanceof WasmgateError && err.code === 'WG_ERR_CONFIG_INVALID' && err.message.startsWith(smgMessage) && err.message.includes('valid range'),
    );
  });
}

test('non-integer limits are rejected naming the field', () => {
  assert.throws(
    () => resolveLimits(DEFAULT_LIMITS, { maxExecutionTimeMs: 1.5 }),
    (err: unknown) => err instanceof WasmgateError && err.code === 'WG_ERR_CONFIG_INVALID' && err.message.includes('max_execution_time_ms'),
  );
});

test('snake_case descriptor fields convert and are validated', () => {
  assert.deepEqual(limitsFromSnakeCase({ max_memory_pages: 16, other: 1 }), { maxMemoryPages: 16 });
  assert.throws(() => limitsFromSnakeCase({ max_stack_size: 10 }), (err: unknown) => WasmgateError.is(err, 'WG_ERR_CONFIG_INVALID'));
  assert.throws(() => limitsFromSnakeCase({ max_body_size: '5' }), (err: unknown) => WasmgateError.is(err, 'WG_ERR_CONFIG_INVALID'));
});
