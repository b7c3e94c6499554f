// A handler's i64 result `(ptr << 32) | len` is split into two unsigned 32-bit halves, whatever
// their top bits (a negative i64 reaches JS as a negative BigInt).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GuestFault, SentinelJsonModule } from '../../../../src/index.js';
import { wat } from '../../runtime/instrument/wat.js';

const RESULT = '{"decision":"deny"}';

/** A guest whose on_request_headers returns `packed`; RESULT is at address 64. */
function guestReturning(packed: bigint): Uint8Array {
  return wat(`(module
    (memory (export "memory") 1)
    (data (i32.const 64) ${JSON.stringify(RESULT)})
    (func (export "alloc") (param i32) (result i32) (i32.const 1024))
    (func (export "dealloc") (param i32 i32))
    (func (export "on_request_headers") (param i32 i32) (result i64) (i64.const ${BigInt.asIntN(64, packed)})))`);
}

async function callWith(packed: bigint): Promise<unknown> {
  const module = await SentinelJsonModule.load(guestReturning(packed), { poolSize: 1 });
  try {
    return await module.onRequestHeaders({ method: 'GET', uri: '/', client_ip: '::1', correlation_id: 'c', headers: {} });
  } catch (err) {
    return err;
  } finally {
    await module.close();
  }
}

const faultMessage = (err: unknown): string => {
  assert.ok(err instanceof GuestFault && err.kind === 'bad-output', String(err));
  return err.message;
};

test('a result in memory is read from both halves', async () => {
  assert.deepEqual(await callWith((64n << 32n) | BigInt(RESULT.length)), { decision: 'deny', status: 403 });
});

test('a pointer with its top bit set is read unsigned (outside memory)', async () => {
  assert.match(faultMessage(await callWith((0x80000010n << 32n) | 5n)), /\[2147483664, 2147483669\) lies outside guest memory/);
});

test('a length with its top bit set is read unsigned (over max_body_size)', async () => {
  assert.match(faultMessage(await callWith((64n << 32n) | 0x80000000n)), /returned 2147483648 bytes, over max_body_size/);
});

test('all ones: pointer and length 0xffffffff', async () => {
  assert.match(faultMessage(await callWith(0xffffffffffffffffn)), /returned 4294967295 bytes/);
});
