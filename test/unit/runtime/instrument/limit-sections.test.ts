// Memory and table caps: defined memories and tables get a maximum no larger than the cap,
// initial sizes over the cap are refused, imported ones are left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WasmgateError } from '../../../../src/errors.js';
import { LimitHooks, instantiate, instrument, wat } from './wat.js';

const GROW = `(func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))`;

test('memory.grow past max_memory_pages returns -1', async () => {
  const exports = await instantiate(instrument(wat(`(module (memory 1) ${GROW})`), { maxMemoryPages: 4 }), {}, new LimitHooks());
  assert.equal(exports.grow!(3), 1);
  assert.equal(exports.grow!(1), -1);
});

test('a declared maximum below the cap is kept', async () => {
  const exports = await instantiate(instrument(wat(`(module (memory 1 2) ${GROW})`), { maxMemoryPages: 4 }), {}, new LimitHooks());
  assert.equal(exports.grow!(2), -1);
  assert.equal(exports.grow!(1), 1);
});

test('a shared memory stays shared and gets the cap as its maximum', async () => {
  const bytes = instrument(wat(`(module (memory (export "mem") 1 100 shared) ${GROW})`), { maxMemoryPages: 8 });
  const exports = await instantiate(bytes, {}, new LimitHooks());
  assert.ok((exports.mem as unknown as WebAssembly.Memory).buffer instanceof SharedArrayBuffer);
  assert.equal(exports.grow!(7), 1);
  assert.equal(exports.grow!(1), -1);
});

test('a module declaring more initial memory pages than the cap is refused', () => {
  assert.throws(
    () => instrument(wat('(module (memory 2000))'), { maxMemoryPages: 1024 }),
    (err) => WasmgateError.is(err, 'WG_ERR_MODULE_OVER_LIMIT'),
  );
});

test('an imported memory is left as it is', async () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 10 });
  const bytes = instrument(wat(`(module (import "env" "mem" (memory 1 10)) ${GROW})`), { maxMemoryPages: 2 });
  const exports = await instantiate(bytes, { env: { mem: memory } }, new LimitHooks());
  assert.equal(exports.grow!(5), 1);
});

test('a table maximum is clamped to max_table_elements', async () => {
  const bytes = instrument(wat('(module (table (export "t") 2 funcref))'), { maxTableElements: 10 });
  const table = (await instantiate(bytes, {}, new LimitHooks())).t as unknown as WebAssembly.Table;
  assert.equal(table.grow(8), 2);
  assert.throws(() => table.grow(1), RangeError);
});

test('table.grow inside the guest returns -1 past the cap', async () => {
  const bytes = instrument(
    wat(`(module (table 1 100 funcref)
      (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))`),
    { maxTableElements: 5 },
  );
  const exports = await instantiate(bytes, {}, new LimitHooks());
  assert.equal(exports.grow!(5), -1);
  assert.equal(exports.grow!(4), 1);
});

test('a table with more initial elements than the cap is refused', () => {
  assert.throws(
    () => instrument(wat('(module (table 50 funcref))'), { maxTableElements: 10 }),
    (err) => WasmgateError.is(err, 'WG_ERR_MODULE_OVER_LIMIT'),
  );
});

test('a 64-bit memory is refused as unsupported', () => {
  // (memory i64 1): limits flags 0x04; wabt's memory64 feature is not needed to build it by hand.
  const bytes = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x05, 0x03, 0x01, 0x04, 0x01);
  assert.throws(() => instrument(bytes), (err) => WasmgateError.is(err, 'WG_ERR_MODULE_UNSUPPORTED'));
});
