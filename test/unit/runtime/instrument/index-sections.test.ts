// Function indices shift by 2 past the imports; every place that names a function must follow:
// exports, the start function, all 8 kinds of element segment, ref.func, and the name section.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteReader } from '../../../../src/runtime/instrument/byte-reader.js';
import { LimitHooks, instantiate, instrument, wat } from './wat.js';

// Two imports ($i1 = 101, $i2 = 102) and defined functions returning 1..4.
const FUNCS = `
  (import "env" "i1" (func $i1 (result i32)))
  (import "env" "i2" (func $i2 (result i32)))
  (import "env" "started" (func $started (param i32)))
  (func $a (result i32) (i32.const 1))
  (func $b (result i32) (i32.const 2))
  (func $c (result i32) (i32.const 3))
  (func $d (result i32) (i32.const 4))`;
const ENV = (): WebAssembly.Imports => ({ env: { i1: () => 101, i2: () => 102, started: (_: number) => undefined } });

const ELEMENTS = `(module ${FUNCS}
  (table $t0 (export "t0") 16 funcref)
  (table $t1 (export "t1") 16 funcref)
  (elem (i32.const 0) $a $i2 $b)                                       ;; 0: active, table 0, indices
  (elem $p1 func $c $i1)                                                ;; 1: passive, indices
  (elem (table $t1) (i32.const 0) func $d $a)                           ;; 2: active, explicit table, indices
  (elem declare func $b)                                                ;; 3: declarative, indices
  (elem (i32.const 4) funcref (ref.func $c) (ref.null func) (ref.func $i1)) ;; 4: active, table 0, expressions
  (elem $p5 funcref (ref.func $d) (ref.func $i2) (ref.null func))      ;; 5: passive, expressions
  (elem (table $t1) (i32.const 4) funcref (ref.func $b) (ref.null func)) ;; 6: active, explicit table, expressions
  (elem declare funcref (ref.func $c) (ref.null func))                  ;; 7: declarative, expressions
  (global $g (export "g") funcref (ref.func $d))
  (func (export "init")
    (table.init $t0 $p1 (i32.const 8) (i32.const 0) (i32.const 2))
    (table.init $t1 $p5 (i32.const 8) (i32.const 0) (i32.const 2))
    (table.set $t0 (i32.const 12) (ref.func $b))
    (table.set $t1 (i32.const 12) (ref.func $c))))`;

/** Flags of every element segment in a module (constant expressions here hold one LEB operand). */
function elementFlags(bytes: Uint8Array): number[] {
  const r = new ByteReader(bytes, 8);
  while (!r.atEnd()) {
    const id = r.u8();
    const size = r.u32();
    if (id !== 9) {
      r.skip(size);
      continue;
    }
    const flags: number[] = [];
    for (let i = r.u32(); i > 0; i--) {
      const f = r.u32();
      flags.push(f);
      if ((f & 1) === 0) {
        if (f & 2) r.u32();
        skipConstExpr(r);
      }
      if (f & 3) r.u8();
      for (let n = r.u32(); n > 0; n--) (f & 4 ? skipConstExpr(r) : r.u32());
    }
    return flags;
  }
  return [];
}

function skipConstExpr(r: ByteReader): void {
  while (r.u8() !== 0x0b) r.u32();
}

function tableValues(table: WebAssembly.Table): Array<number | null> {
  return Array.from({ length: table.length }, (_, i) => {
    const f = table.get(i) as (() => number) | null;
    return f ? f() : null;
  });
}

test('element segments of all 8 kinds keep pointing at the same functions', async () => {
  const original = wat(ELEMENTS);
  assert.deepEqual(elementFlags(original), [0, 1, 2, 3, 4, 5, 6, 7]);
  const results = [];
  for (const bytes of [original, instrument(original)]) {
    const exports = await instantiate(bytes, ENV(), new LimitHooks());
    exports.init!();
    results.push({
      t0: tableValues(exports.t0 as unknown as WebAssembly.Table),
      t1: tableValues(exports.t1 as unknown as WebAssembly.Table),
      g: ((exports.g as unknown as WebAssembly.Global).value as () => number)(),
    });
  }
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[0]!.t0.slice(0, 13), [1, 102, 2, null, 3, null, 101, null, 3, 101, null, null, 2]);
  assert.equal(results[0]!.g, 4);
});

test('exports and the start function name the same functions after the shift', async () => {
  const started: number[] = [];
  const text = `(module ${FUNCS}
    (func $init (call $started (i32.add (call $c) (call $i2))))
    (start $init)
    (export "d" (func $d)) (export "a" (func $a)) (export "i1" (func $i1)) (export "c" (func $c)))`;
  const env = { env: { ...ENV().env, started: (v: number) => started.push(v) } };
  const exports = await instantiate(instrument(wat(text)), env, new LimitHooks());
  assert.deepEqual(started, [105]);
  assert.deepEqual([exports.d!(), exports.a!(), exports.i1!(), exports.c!()], [4, 1, 101, 3]);
});

/** Function names (subsection 1 of the name section) as index -> name; local names (2) as index -> locals. */
function functionNames(bytes: Uint8Array): Map<number | string, string> {
  const section = WebAssembly.Module.customSections(new WebAssembly.Module(bytes), 'name')[0];
  assert.ok(section, 'name section present');
  const data = new Uint8Array(section);
  const r = new ByteReader(data);
  const names = new Map<number | string, string>();
  while (!r.atEnd()) {
    const id = r.u8();
    const size = r.u32();
    const n = id === 1 || id === 2 ? r.u32() : (r.skip(size), 0);
    for (let i = 0; i < n; i++) {
      const index = r.u32();
      if (id === 1) {
        names.set(index, Buffer.from(r.name()).toString());
        continue;
      }
      const locals: string[] = [];
      const count = r.u32();
      for (let j = 0; j < count; j++) locals.push(`${r.u32()}=${Buffer.from(r.name()).toString()}`);
      names.set(`locals of ${index}`, locals.join(','));
    }
  }
  return names;
}

test('the name section follows the shift and names the added imports', () => {
  const original = wat(`(module ${FUNCS} (func $boom (param $x i32) (local $y i32) (unreachable)))`, true);
  const before = functionNames(original);
  const after = functionNames(instrument(original));
  assert.equal(after.get(0), before.get(0));
  assert.equal(after.get(1), before.get(1));
  assert.equal(after.get(2), before.get(2));
  assert.equal(after.get(3), '__wasmgate.fuel');
  assert.equal(after.get(4), '__wasmgate.stack_overflow');
  for (let i = 3; i <= 7; i++) assert.equal(after.get(i + 2), before.get(i));
  assert.equal(after.get(9), 'boom');
  assert.equal(after.get('locals of 9'), before.get('locals of 7'));
  assert.equal(after.get('locals of 9'), '0=x,1=y');
});

test('a trap in an instrumented function still shows its name in the stack trace', async () => {
  const original = wat(`(module (func $deeply_named_guest_fn (export "boom") (unreachable)))`, true);
  const exports = await instantiate(instrument(original), {}, new LimitHooks());
  assert.throws(
    () => exports.boom!(),
    (err) => err instanceof WebAssembly.RuntimeError && (err.stack ?? '').includes('deeply_named_guest_fn'),
  );
});
