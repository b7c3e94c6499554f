// Fuel kept in a local ($lf) while a function runs, with the refill hoisted out of loops: branch
// labels renumbered across the blocks added around each loop, loops with results and parameters,
// fuel written back before calls and throws (so callees and catches cannot lose it), reloaded
// after them, and flat charges before grows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WasmgateError } from '../../../../src/errors.js';
import { ByteWriter } from '../../../../src/runtime/instrument/byte-writer.js';
import { FUEL_IMPORT, GROW_TICKS, LIMITS_IMPORT_MODULE, STACK_IMPORT, instrumentModule } from '../../../../src/runtime/instrument/index.js';
import { LimitHooks, TEST_LIMITS, instantiate, instrument, wat, type Exports } from './wat.js';

async function instrumented(text: string, hooks: LimitHooks): Promise<Exports> {
  return instantiate(instrument(wat(text)), {}, hooks);
}

/** Runs `call` on the original module and on the instrumented one with `refill`; both must agree. */
async function sameResults(text: string, calls: ReadonlyArray<readonly [string, ...unknown[]]>, refill: number): Promise<void> {
  const run = (exports: Exports): unknown[] =>
    calls.map(([name, ...args]) => {
      try {
        return exports[name]!(...args);
      } catch (err) {
        return `threw ${(err as Error).constructor.name}`;
      }
    });
  const before = run(await instantiate(wat(text)));
  const hooks = new LimitHooks(refill);
  const after = run(await instantiate(instrument(wat(text)), {}, hooks));
  assert.deepEqual(after, before);
  assert.equal(hooks.stackCalls, 0);
}

/**
 * With a refill of 1 tick, every tick calls fuel(): the call count is exactly the number of ticks
 * charged (1 per function entry, 1 per loop iteration), refills included.
 */
async function ticksCalled(text: string, name: string, ...args: unknown[]): Promise<number> {
  const hooks = new LimitHooks(1);
  const exports = await instrumented(text, hooks);
  exports[name]!(...args);
  return hooks.fuelCalls;
}

/**
 * Ticks `name` uses, measured by level: fuel() grants 1,000,000, then the module's `drain` export
 * counts loop iterations until the fuel is gone. A stale $lf written back (fuel forgotten) leaves
 * more fuel behind, which a refill of 1 cannot show.
 */
async function ticksUsed(text: string, name: string, ...args: unknown[]): Promise<number> {
  const grant = 1_000_000;
  let calls = 0;
  let draining = false;
  const drained = new Error('drained');
  const { instance } = await WebAssembly.instantiate(instrument(wat(text)), {
    [LIMITS_IMPORT_MODULE]: {
      [FUEL_IMPORT]: () => {
        if (draining) throw drained;
        calls++;
        return grant;
      },
      [STACK_IMPORT]: () => {
        throw new Error('stack');
      },
    },
  });
  const exports = instance.exports as unknown as Exports;
  exports[name]!(...args);
  const granted = 1 + calls * grant;
  draining = true;
  assert.throws(() => exports.drain!(), (err) => err === drained);
  // drain's entry tick, one tick per counted iteration, and the tick that ran out.
  const left = ((exports.drained as unknown as WebAssembly.Global).value as number) + 2;
  return granted - left;
}

// $L3 ends with a br_table whose targets are 0, 1 and 2 loops out (continue $L3 / $L2 / $L1) and
// blocks outside 2 loops ($next_i); $done is 3 loops out, the function label 3 loops and a block out.
const NESTED = `(module
  (func (export "nest") (param $n i32) (param $limit i32) (result i32)
    (local $i i32) (local $j i32) (local $k i32) (local $acc i32)
    (block $done
      (loop $L1
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $done (i32.gt_u (local.get $i) (local.get $n)))
        (local.set $j (i32.const 0))
        (block $next_i
          (loop $L2
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $next_i (i32.gt_u (local.get $j) (local.get $i)))
            (local.set $k (i32.const 0))
            (loop $L3
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $k) (local.get $j))))
              (br_if 4 (i32.mul (local.get $acc) (i32.const -1)) (i32.gt_u (local.get $acc) (local.get $limit)))
              (br_if $done (i32.eq (local.get $acc) (i32.const 77)))
              (br_if $L3 (i32.lt_u (local.get $k) (i32.const 3)))
              (br_table $L3 $L2 $L1 $next_i $L2 (i32.rem_u (local.get $acc) (i32.const 5)))))
          (unreachable))
        (br $L1)))
    (local.get $acc))
  (func (export "early_return") (param $n i32) (result i32) (local $i i32)
    (loop $a
      (loop $b
        (loop $c
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (if (i32.ge_u (local.get $i) (local.get $n)) (then (return (i32.mul (local.get $i) (i32.const 10)))))
          (br_if $c (i32.rem_u (local.get $i) (i32.const 2)))
          (br_if $b (i32.rem_u (local.get $i) (i32.const 3)))
          (br $a))))
    (i32.const -1)))`;

test('branches out of 1, 2 and 3 nested loops (br, br_if, br_table, return, br to the function) keep their targets', async () => {
  const calls = [
    ['nest', 4, 1_000_000],
    ['nest', 30, 1_000_000],
    ['nest', 30, 500],
    ['nest', 3, 10],
    ['early_return', 1],
    ['early_return', 50],
  ] as const;
  // A refill of 1 also runs the refill and re-entry path at every loop iteration.
  await sameResults(NESTED, calls, 10_000);
  await sameResults(NESTED, calls, 1);
});

const RESULTS_AND_PARAMS = `(module
  (type $two (func (result i32 i64)))
  (type $carry (func (param i32) (result i32)))
  (func (export "loop_result") (param $n i32) (result i32) (local $i i32)
    (loop $l (result i32)
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n)))
      (i32.mul (local.get $i) (i32.const 3))))
  (func (export "loop_two_results") (param $n i32) (result i32 i64) (local $i i32)
    (loop $l (type $two)
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n)))
      (local.get $i)
      (i64.mul (i64.extend_i32_u (local.get $i)) (i64.const 1000000007))))
  (func (export "value_out_of_loop") (param $n i32) (result i32)
    (block $out (result i32)
      (loop $l
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (drop (br_if $out (i32.const 42) (i32.eqz (local.get $n))))
        (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))
      (i32.const -1)))
  (func (export "param_loop") (param $n i32) (result i32)
    (i32.const 0)
    (loop $l (param i32) (result i32)
      (i32.add (local.get $n))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n))))
  (func (export "mixed_nesting") (param $n i32) (result i32) (local $i i32)
    (block $exit (result i32)
      (i32.const 1)
      (loop $p (type $carry)
        (loop $q
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (drop (br_if $exit (i32.const -7) (i32.eq (local.get $i) (i32.const 1000))))
          (br_if $q (i32.rem_u (local.get $i) (i32.const 4))))
        (i32.add (local.get $i))
        (br_if $p (i32.lt_u (local.get $i) (local.get $n))))))
  (func (export "result_loop_in_param_loop") (param $n i32) (result i32)
    (i32.const 5)
    (loop $p (param i32) (result i32)
      (loop $r (result i32)
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (drop (br_if $p (i32.add (local.get $n) (i32.const 3)) (i32.eqz (i32.rem_u (local.get $n) (i32.const 7)))))
        (br_if $r (i32.rem_u (local.get $n) (i32.const 3)))
        (local.get $n))
      (i32.add)
      (br_if $p (i32.gt_s (local.get $n) (i32.const 0))))))`;

test('loops with results (one value, a type with two) and with parameters (fallback form) compute the same', async () => {
  const calls = [
    ['loop_result', 1],
    ['loop_result', 100],
    ['loop_two_results', 77],
    ['value_out_of_loop', 10],
    ['value_out_of_loop', -3],
    ['param_loop', 1000],
    ['mixed_nesting', 100],
    ['mixed_nesting', 5000],
    ['result_loop_in_param_loop', 50],
  ] as const;
  await sameResults(RESULTS_AND_PARAMS, calls, 10_000);
  await sameResults(RESULTS_AND_PARAMS, calls, 1);
});

const EXCEPTIONS_IN_LOOPS = `(module
  (tag $e (param i32))
  (func $thrower (param i32) (throw $e (local.get 0)))
  (func (export "catch_in_loop") (param $n i32) (result i32) (local $i i32) (local $sum i32)
    (loop $outer
      (try
        (do
          (loop $inner
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (if (i32.eqz (i32.rem_u (local.get $i) (i32.const 5))) (then (call $thrower (local.get $i))))
            (br_if $inner (i32.rem_u (local.get $i) (i32.const 3)))))
        (catch $e (local.set $sum (i32.add (local.get $sum)))))
      (br_if $outer (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $sum))
  (func (export "rethrow_from_loop") (result i32) (local $i i32)
    (try (result i32)
      (do
        (try
          (do (throw $e (i32.const 5)))
          (catch $e
            (drop)
            (loop $l
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (i32.const 10)))
              (rethrow 1))))
        (i32.const -1))
      (catch $e (i32.add (local.get $i)))))
  (func (export "delegate_from_loop") (result i32) (local $i i32)
    (try (result i32)
      (do
        (loop $l
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (try (do (if (i32.eq (local.get $i) (i32.const 7)) (then (throw $e (local.get $i))))) (delegate 1))
          (br_if $l (i32.lt_u (local.get $i) (i32.const 100))))
        (i32.const -1))
      (catch $e (i32.add (i32.const 1000)))))
  (func (export "delegate_within_loop") (result i32) (local $i i32) (local $caught i32)
    (loop $l
      (try
        (do
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (try (do (loop $m (call $thrower (local.get $i)))) (delegate 0)))
        (catch $e (local.set $caught (i32.add (local.get $caught)))))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 20))))
    (local.get $caught))
  (func (export "delegate_to_caller_from_loop") (loop $l (try (do (throw $e (i32.const 3))) (delegate 1)))))`;

test('delegate and rethrow from inside loops reach the same handlers', async () => {
  const calls = [
    ['catch_in_loop', 100],
    ['rethrow_from_loop'],
    ['delegate_from_loop'],
    ['delegate_within_loop'],
    ['delegate_to_caller_from_loop'],
  ] as const;
  await sameResults(EXCEPTIONS_IN_LOOPS, calls, 10_000);
  await sameResults(EXCEPTIONS_IN_LOOPS, calls, 1);
});

// Fuel used by callees, thrown through catches, before and after the first loop of a function.
const ACCOUNTING = `(module
  (tag $e)
  (type $v (func (param i32)))
  (table 1 funcref)
  (elem (i32.const 0) $burn)
  (func $burn (param $n i32)
    (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func $burn_throw (param $n i32)
    (call $burn (local.get $n))
    (throw $e))
  (func $burn_loop_throw (param $n i32)
    (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (throw $e))
  (func (export "call_then_loop")
    (call $burn (i32.const 1000))
    (call $burn (i32.const 10)) (drop (i32.const 0))
    (loop $l (br_if $l (i32.const 0)))
    (call $burn (i32.const 1000)))
  (func (export "catch_then_loop")
    (try (do (call $burn_throw (i32.const 500))) (catch_all))
    (loop $l (br_if $l (i32.const 0))))
  (global $drained (export "drained") (mut i32) (i32.const 0))
  (func (export "drain") (loop $l (global.set $drained (i32.add (global.get $drained) (i32.const 1))) (br $l)))
  (func (export "loop_then_calls") (local $i i32)
    (loop $l
      (call_indirect (type $v) (i32.const 100) (i32.const 0))
      (try (do (call $burn_loop_throw (i32.const 50))) (catch $e))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 3))))
    (return_call $burn (i32.const 200))))`;

test('fuel is counted exactly across calls, call_indirect, return_call, throws and catches', async () => {
  const expected = {
    // entry 1 + burn(1000) 1001 + burn(10) 11 + one loop iteration 1 + burn(1000) 1001
    call_then_loop: 2015,
    // entry 1 + burn_throw 1 + burn(500) 501 + one loop iteration 1
    catch_then_loop: 504,
    // entry 1 + 3 x (iteration 1 + burn(100) 101 + burn_loop_throw(50) 51) + burn(200) 201
    loop_then_calls: 1 + 3 * 153 + 201,
  };
  for (const [name, ticks] of Object.entries(expected)) {
    assert.equal(await ticksUsed(ACCOUNTING, name), ticks, `${name}, by fuel level`);
    assert.equal(await ticksCalled(ACCOUNTING, name), ticks, `${name}, by fuel() calls`);
  }
});

test('a callee that loops and then throws into a catch inside an infinite loop is stopped: its fuel is not forgotten', async () => {
  const hooks = new LimitHooks(10_000, 3);
  const exports = await instrumented(
    `(module (tag $e) (global $rounds (export "rounds") (mut i32) (i32.const 0))
       (func $work (local $i i32)
         (loop $l (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 1000))))
         (throw $e))
       (func (export "forever")
         (loop $again
           (global.set $rounds (i32.add (global.get $rounds) (i32.const 1)))
           (try (do (call $work)) (catch $e))
           (br $again))))`,
    hooks,
  );
  assert.throws(() => exports.forever!(), (err) => err === hooks.stop);
  assert.equal(hooks.fuelCalls, 3);
  // ~1002 ticks a round: 2 refills of 10,000 pay ~20 rounds. Forgetting $work's 1000 loop ticks
  // would make a round cost 2 and run thousands of rounds.
  const rounds = (exports.rounds as unknown as WebAssembly.Global).value as number;
  assert.ok(rounds >= 19 && rounds <= 21, `${rounds} rounds`);
});

test('an infinite loop with block parameters (tick in place) ends after exactly the ticks it was granted', async () => {
  const hooks = new LimitHooks(1000, 3);
  const exports = await instrumented(
    `(module (global $n (export "n") (mut i32) (i32.const 0))
       (func (export "spin") (result i32)
         (i32.const 0)
         (loop $l (param i32) (result i32)
           (global.set $n (i32.add (global.get $n) (i32.const 1)))
           (i32.add (i32.const 1))
           (br $l))))`,
    hooks,
  );
  assert.throws(() => exports.spin!(), (err) => err === hooks.stop);
  assert.equal(hooks.fuelCalls, 3);
  assert.equal((exports.n as unknown as WebAssembly.Global).value, 1999);
});

test('an infinite loop nested three deep ends after exactly the ticks it was granted', async () => {
  const hooks = new LimitHooks(1000, 3);
  const exports = await instrumented(
    `(module (global $n (export "n") (mut i32) (i32.const 0))
       (func (export "spin") (result i32)
         (loop $a (result i32) (loop $b (result i32) (loop $c (result i32)
           (global.set $n (i32.add (global.get $n) (i32.const 1)))
           (br $c))))))`,
    hooks,
  );
  assert.throws(() => exports.spin!(), (err) => err === hooks.stop);
  assert.equal(hooks.fuelCalls, 3);
  // The entry tick takes the initial 1; $a and $b take 1 tick each; then 1000 iterations per refill.
  assert.equal((exports.n as unknown as WebAssembly.Global).value, 1997);
});

for (const [what, grow] of [
  ['memory.grow', '(drop (memory.grow (i32.const 0)))'],
  ['table.grow', '(drop (table.grow $t (ref.null func) (i32.const 0)))'],
] as const) {
  test(`a loop of ${what} ends within a few fuel calls because each grow costs ${GROW_TICKS} ticks`, async () => {
    const hooks = new LimitHooks(10_000, 4);
    const exports = await instrumented(
      `(module (memory 1) (table $t 0 funcref) (global $grows (export "grows") (mut i32) (i32.const 0))
         (func (export "grow") (loop ${grow}
           (global.set $grows (i32.add (global.get $grows) (i32.const 1)))
           (br 0))))`,
      hooks,
    );
    assert.throws(() => exports.grow!(), (err) => err === hooks.stop);
    assert.equal(hooks.fuelCalls, 4);
    // 3 refills of 10,000 at 65 ticks a round: ~460 grows (uncharged it would be ~30,000).
    const grows = (exports.grows as unknown as WebAssembly.Global).value as number;
    const perRound = GROW_TICKS + 1;
    assert.ok(grows >= Math.floor(30_000 / perRound) - 2 && grows <= Math.ceil(30_000 / perRound) + 2, `${grows} grows`);
  });
}

test('a limit fault raised in a loop inside a try inside loops is still rethrown by every catch', async () => {
  const hooks = new LimitHooks(1000, 3);
  const exports = await instrumented(
    `(module (tag $e)
       (func $inner (loop $l (try (do (loop $m (br $m))) (catch_all (br $l)))))
       (func (export "stubborn")
         (loop $again
           (try (do (loop $x (call $inner) (br $x))) (catch $e) (catch_all))
           (br $again))))`,
    hooks,
  );
  assert.throws(() => exports.stubborn!(), (err) => err === hooks.stop);
  assert.equal(hooks.fuelCalls, 3);
});

test("a function too close to V8's 50,000-local limit for the added locals is refused as unsupported", () => {
  /** A module with one function of `params` i32 parameters and `locals` declared i32 locals. */
  const module = (params: number, locals: number): Uint8Array => {
    const w = new ByteWriter();
    const section = (id: number, payload: number[]): void => {
      w.byte(id);
      w.u32(payload.length);
      w.bytes(Uint8Array.from(payload));
    };
    const leb = (n: number): number[] => {
      const x = new ByteWriter();
      x.u32(n);
      return [...x.toBytes()];
    };
    w.bytes(Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00));
    section(1, [1, 0x60, ...leb(params), ...Array<number>(params).fill(0x7f), 0]);
    section(3, [1, 0]);
    const body = [1, ...leb(locals), 0x7f, 0x0b];
    section(10, [1, ...leb(body.length), ...body]);
    return w.toBytes();
  };
  assert.ok(WebAssembly.validate(instrumentModule(module(0, 49_998), TEST_LIMITS).bytes));
  for (const [params, locals] of [[0, 49_999], [0, 50_000], [3, 49_997]]) {
    assert.throws(
      () => instrumentModule(module(params!, locals!), TEST_LIMITS),
      (err) => WasmgateError.is(err) && err.code === 'WG_ERR_MODULE_UNSUPPORTED',
    );
  }
  // Over the limit already: invalid input, reported as such.
  assert.throws(() => instrumentModule(module(0, 50_001), TEST_LIMITS), (err) => WasmgateError.is(err) && err.code === 'WG_ERR_MODULE_INVALID');
});
