// The checks compiled into function bodies: fuel ticks (entries, loops, bulk operations), the
// stack budget with its epilogues on every exit, and exception handling that cannot swallow them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameSize } from '../../../../src/runtime/instrument/index.js';
import { FuelStop, LimitHooks, StackStop, instantiate, instrument, wat } from './wat.js';

async function instrumented(text: string, hooks: LimitHooks, maxStackSize = 1 << 20) {
  return instantiate(instrument(wat(text), { maxStackSize }), {}, hooks);
}

test('the frame estimate is 32 bytes plus 8 per parameter and declared local', () => {
  assert.equal(frameSize(0, 0), 32);
  assert.equal(frameSize(1, 2), 56);
  assert.equal(frameSize(3, 10), 136);
});

test('an infinite loop ends when the fuel hook throws, after exactly the ticks it was granted', async () => {
  const hooks = new LimitHooks(1000, 3);
  const exports = await instrumented(
    `(module (global $n (export "n") (mut i32) (i32.const 0))
       (func (export "spin") (loop (global.set $n (i32.add (global.get $n) (i32.const 1))) (br 0))))`,
    hooks,
  );
  assert.throws(() => exports.spin!(), (err) => err === hooks.stop);
  assert.equal(hooks.fuelCalls, 3);
  // The entry tick takes the initial 1; each refill of 1000 then pays 1000 loop iterations, and
  // the tick that ran the second refill out stopped the guest before its iteration's body.
  assert.equal((exports.n as unknown as WebAssembly.Global).value, 1999);
});

test('every entry of a function that calls costs one tick; a leaf (no loop, call or exception) costs none', async () => {
  const hooks = new LimitHooks(10);
  const exports = await instrumented(
    `(module (global $n (export "n") (mut i32) (i32.const 0))
       (func $leaf (export "leaf") (global.set $n (i32.add (global.get $n) (i32.const 1))))
       (func (export "caller") (call $leaf)))`,
    hooks,
  );
  for (let i = 0; i < 25; i++) exports.leaf!();
  assert.equal(hooks.fuelCalls, 0, 'leaf calls are charged to their caller');
  for (let i = 0; i < 25; i++) exports.caller!();
  assert.equal(hooks.fuelCalls, 3, 'one tick per caller entry: the first fuel call, then refills of 10');
  assert.equal((exports.n as unknown as WebAssembly.Global).value, 50);
});

test('a loop whose body only calls a leaf still ends, and a leaf adds no stack accounting of its own', async () => {
  const hooks = new LimitHooks(1000, 3);
  const exports = await instrumented(
    `(module (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
       (func (export "spin") (local i32) (loop (local.set 0 (call $leaf (local.get 0))) (br 0))))`,
    hooks,
    64,
  );
  // max_stack_size 64: spin's own frame (32 + 8) fits, spin + leaf (40 + 40) would not.
  assert.throws(() => exports.spin!(), (err) => err === hooks.stop);
  assert.equal(hooks.fuelCalls, 3);
  assert.equal(hooks.stackCalls, 0);
});

test('an infinite return_call self-loop ends', async () => {
  const hooks = new LimitHooks(1000, 5);
  const exports = await instrumented('(module (func $f (export "f") (return_call $f)))', hooks);
  assert.throws(() => exports.f!(), (err) => err === hooks.stop);
  assert.equal(hooks.stackCalls, 0);
});

test('exponential recursion without loops ends', async () => {
  const hooks = new LimitHooks(10_000, 10);
  const exports = await instrumented(
    `(module (func $f (export "f") (param i32) (result i32)
       (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
         (else (i32.add (call $f (i32.sub (local.get 0) (i32.const 1))) (call $f (i32.sub (local.get 0) (i32.const 1))))))))`,
    hooks,
  );
  assert.throws(() => exports.f!(40), (err) => err === hooks.stop);
  assert.equal(hooks.fuelCalls, 10);
});

test('a loop of 16 MiB memory.fill ends within a few fuel calls because bulk operations are charged', async () => {
  const hooks = new LimitHooks(10_000, 4);
  const exports = await instrumented(
    `(module (memory 256) (global $fills (export "fills") (mut i32) (i32.const 0))
       (func (export "fill") (loop
         (memory.fill (i32.const 0) (i32.const 1) (i32.const 16777216))
         (global.set $fills (i32.add (global.get $fills) (i32.const 1)))
         (br 0))))`,
    hooks,
  );
  assert.throws(() => exports.fill!(), (err) => err === hooks.stop);
  assert.equal(hooks.fuelCalls, 4);
  // 4096 ticks per fill: about 2.4 fills per refill of 10,000 (uncharged it would be 10,000).
  assert.ok((exports.fills as unknown as WebAssembly.Global).value <= 8);
});

test('a guest cannot swallow its timeout with catch_all', async () => {
  const hooks = new LimitHooks(1000, 3);
  const exports = await instrumented(
    `(module (func (export "stubborn")
       (loop $again (try (do (loop (br 0))) (catch_all)) (br $again))))`,
    hooks,
  );
  assert.throws(() => exports.stubborn!(), (err) => err === hooks.stop);
  assert.equal(hooks.fuelCalls, 3);
});

// rec(n) makes n + 1 frames and leaves through a `return` inside a loop, a `br` to the function
// label, or by falling off the end; every path must undo its frame.
const RECURSIVE = `(module
  (func $rec (export "rec") (param $n i32) (result i32) (local $a i64) (local $b f64)
    (if (i32.eqz (local.get $n)) (then (block (loop (return (i32.const 0))))))
    (if (i32.eq (i32.rem_u (local.get $n) (i32.const 3)) (i32.const 1))
      (then (br 1 (i32.add (call $rec (i32.sub (local.get $n) (i32.const 1))) (i32.const 1)))))
    (i32.add (call $rec (i32.sub (local.get $n) (i32.const 1))) (i32.const 1))))`;
const STACK = 65536;
const FRAMES = Math.floor(STACK / frameSize(1, 2)); // 1170 frames of 56 bytes fit in 64 KiB

test('deep recursion calls stack_overflow at max_stack_size / frame size frames, not before', async () => {
  const hooks = new LimitHooks();
  const exports = await instrumented(RECURSIVE, hooks, STACK);
  assert.equal(exports.rec!(FRAMES - 1), FRAMES - 1);
  assert.equal(hooks.stackCalls, 0);
  assert.throws(() => exports.rec!(FRAMES), StackStop);
  assert.equal(hooks.stackCalls, 1);
});

test('the stack estimate returns to zero after every way of leaving a function', async () => {
  const hooks = new LimitHooks();
  const exports = await instrumented(RECURSIVE, hooks, STACK);
  for (let i = 0; i < 5; i++) assert.equal(exports.rec!(FRAMES - 1), FRAMES - 1);
  assert.equal(hooks.stackCalls, 0);
});

test('return_call frames replace each other in the stack estimate', async () => {
  const hooks = new LimitHooks();
  const exports = await instrumented(
    `(module (func $count (export "count") (param i32) (result i32)
       (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 42))
         (else (return_call $count (i32.sub (local.get 0) (i32.const 1)))))))`,
    hooks,
    STACK,
  );
  assert.equal(exports.count!(100_000), 42);
  assert.equal(hooks.stackCalls, 0);
});

test('catching an exception in an outer frame restores the stack accounting', async () => {
  const hooks = new LimitHooks();
  // 51 frames of $down (40 bytes) + run (48 bytes) fit in 4 KiB once; leaking them would not.
  const exports = await instrumented(
    `(module (tag $e)
       (func $down (param $n i32)
         (if (i32.eqz (local.get $n)) (then (throw $e)))
         (call $down (i32.sub (local.get $n) (i32.const 1))))
       (func (export "run") (param $times i32) (result i32) (local $caught i32)
         (loop $l
           (try (do (call $down (i32.const 50)))
             (catch $e (local.set $caught (i32.add (local.get $caught) (i32.const 1)))))
           (br_if $l (i32.lt_u (local.get $caught) (local.get $times))))
         (local.get $caught)))`,
    hooks,
    4096,
  );
  assert.equal(exports.run!(10_000), 10_000);
  assert.equal(exports.run!(10_000), 10_000);
  assert.equal(hooks.stackCalls, 0);
});

test('a guest cannot swallow its stack fault with catch_all', async () => {
  const hooks = new LimitHooks();
  const exports = await instrumented(
    `(module (func $r (export "r") (param i32) (result i32)
       (try (result i32) (do (call $r (i32.add (local.get 0) (i32.const 1)))) (catch_all (i32.const -1)))))`,
    hooks,
    STACK,
  );
  assert.throws(() => exports.r!(0), StackStop);
  assert.equal(hooks.stackCalls, 1);
});

test('a stack_overflow hook that returns instead of throwing still stops the guest with a trap', async () => {
  const bytes = instrument(wat('(module (func $r (export "r") (call $r)))'), { maxStackSize: STACK });
  const { instance } = await WebAssembly.instantiate(bytes, {
    __wasmgate: { fuel: () => 1000, stack_overflow: () => undefined },
  });
  assert.throws(() => (instance.exports.r as () => void)(), WebAssembly.RuntimeError);
});

test('an atomic wait on shared memory times out at once instead of blocking the host thread', async () => {
  // Uninstrumented, wait32 with timeout -1 blocks the thread forever: nothing can notify it.
  const exports = await instrumented(
    `(module (memory 1 1 shared)
       (func (export "wait32") (result i32) (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))
       (func (export "wait64") (result i32) (memory.atomic.wait64 (i32.const 8) (i64.const 0) (i64.const -1)))
       (func (export "mismatch") (result i32) (memory.atomic.wait32 (i32.const 0) (i32.const 1) (i64.const -1))))`,
    new LimitHooks(),
  );
  assert.deepEqual([exports.wait32!(), exports.wait64!(), exports.mismatch!()], [2, 2, 1]);
});

test('the fuel fault is the hook error itself, not a wrapper', async () => {
  const hooks = new LimitHooks(10, 2);
  const exports = await instrumented('(module (func (export "spin") (loop (br 0))))', hooks);
  assert.throws(() => exports.spin!(), FuelStop);
});
