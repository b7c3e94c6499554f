// Guests that grab memory or stack: the host stays within the caps and reports the right fault.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SentinelJsonModule, GuestFault, WasmgateError } from '../../src/index.js';
import { guestPath, SMALL_REQUEST } from '../helpers/guests.js';

const fault = (kind: string) => (err: unknown) => err instanceof GuestFault && err.kind === kind;

test('memory-bomb: growth stops at max_memory_pages and the trap is reported as a memory fault', async () => {
  const module = await SentinelJsonModule.load(guestPath('hostile', 'memory-bomb'), { poolSize: 1, limits: { maxMemoryPages: 32 } });
  try {
    await assert.rejects(module.call('request_headers', SMALL_REQUEST), fault('memory'));
    assert.equal(module.metrics.failuresByKind.memory, 1);
    await assert.rejects(module.call('request_headers', SMALL_REQUEST), fault('memory'), 'the replacement instance behaves the same');
  } finally {
    await module.close();
  }
});

test('memory-grow-huge: a single huge memory.grow gets -1 under the cap, and the guest says so', async () => {
  const module = await SentinelJsonModule.load(guestPath('hostile', 'memory-grow-huge'), { poolSize: 1, limits: { maxMemoryPages: 64 } });
  try {
    const result = await module.call('request_headers', SMALL_REQUEST);
    assert.equal(result.decision, 'block', 'the guest saw memory.grow fail');
  } finally {
    await module.close();
  }
});

test('a module declaring more initial memory than max_memory_pages is refused at load', async () => {
  await assert.rejects(
    SentinelJsonModule.load(guestPath('hostile', 'huge-initial-memory'), { limits: { maxMemoryPages: 1024 } }),
    (err: unknown) => WasmgateError.is(err, 'WG_ERR_MODULE_OVER_LIMIT'),
  );
});

test('deep-recursion ends as a clean stack fault at max_stack_size, and the pool recovers', async () => {
  const module = await SentinelJsonModule.load(guestPath('hostile', 'deep-recursion'), { poolSize: 1, limits: { maxStackSize: 64 * 1024 } });
  try {
    await assert.rejects(module.call('request_headers', SMALL_REQUEST), fault('stack'));
    await assert.rejects(module.call('request_headers', SMALL_REQUEST), fault('stack'));
    assert.equal(module.metrics.failuresByKind.stack, 2);
  } finally {
    await module.close();
  }
});

test('deep-recursion under the default 1 MiB stack still ends cleanly (engine limit or budget)', async () => {
  const module = await SentinelJsonModule.load(guestPath('hostile', 'deep-recursion'), { poolSize: 1 });
  try {
    await assert.rejects(module.call('request_headers', SMALL_REQUEST), fault('stack'));
  } finally {
    await module.close();
  }
});
