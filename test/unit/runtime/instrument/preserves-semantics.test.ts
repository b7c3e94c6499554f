// Instrumentation must not change what a program computes: each program below runs before and
// after instrumentation (with a fuel hook that refills 10,000 ticks, and one that refills 1 tick)
// and must give the same results.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LimitHooks, instantiate, instrument, wat, type Exports } from './wat.js';

interface Program {
  readonly title: string;
  readonly wat: string;
  readonly calls: ReadonlyArray<readonly [string, ...unknown[]]>;
  readonly imports?: () => WebAssembly.Imports;
}

const PROGRAMS: Program[] = [
  {
    title: 'loops that leave nested blocks with br, br_if and br_table',
    wat: `(module
      (func (export "classify") (param i32) (result i32)
        (block $other (block $two (block $one (block $zero
          (br_table $zero $one $two $other (local.get 0)))
          (return (i32.const 100)))
          (return (i32.const 101)))
          (return (i32.const 102)))
        (i32.const 199))
      (func (export "sum_to") (param $n i32) (result i32) (local $acc i32)
        (block $done
          (loop $next
            (br_if $done (i32.eqz (local.get $n)))
            (local.set $acc (i32.add (local.get $acc) (local.get $n)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $next)))
        (local.get $acc))
      (func (export "first_multiple") (param $k i32) (result i32) (local $i i32)
        (block $found (result i32)
          (loop $outer
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (block $skip
              (br_if $skip (i32.rem_u (local.get $i) (local.get $k)))
              (br $found (local.get $i)))
            (br $outer))
          (unreachable))))`,
    calls: [['classify', 0], ['classify', 1], ['classify', 2], ['classify', 7], ['sum_to', 1000], ['first_multiple', 37]],
  },
  {
    title: 'early return from deep nesting, including from a loop and an else arm',
    wat: `(module
      (func $deep (export "deep") (param $x i32) (result i32) (local $i i32)
        (block (block (block
          (if (i32.gt_s (local.get $x) (i32.const 10))
            (then (loop $l
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (if (i32.ge_s (local.get $i) (local.get $x)) (then (return (i32.mul (local.get $i) (i32.const 2)))))
              (br $l)))
            (else (if (i32.eq (local.get $x) (i32.const 3)) (then (return (i32.const -3))))))
          (br 2))))
        (i32.const 7))
      (func (export "via_br_to_function") (param i32) (result i32)
        (i32.const 5)
        (br_if 0 (local.get 0))
        (drop)
        (i32.const 6))
      (func (export "void_return") (param i32) (result i32) (local $r i32)
        (call $deep (local.get 0))
        (local.set $r)
        (local.get $r)))`,
    calls: [['deep', 50], ['deep', 3], ['deep', 1], ['via_br_to_function', 1], ['via_br_to_function', 0], ['void_return', 12]],
  },
  {
    title: 'multi-value blocks, block parameters and functions returning several values',
    wat: `(module
      (type $pair (func (param i32) (result i32 i32)))
      (func $split (export "split") (param i64) (result i32 i64 f64)
        (if (i64.eqz (local.get 0)) (then (return (i32.const -1) (i64.const -1) (f64.const -0.5))))
        (i32.wrap_i64 (local.get 0))
        (i64.shr_s (local.get 0) (i64.const 32))
        (f64.convert_i64_s (local.get 0)))
      (func (export "blocks") (param i32) (result i32)
        (local.get 0)
        (i32.const 10)
        (block (type $pair) (i32.const 3))
        (i32.add)
        (i32.add)
        (block (result i32 i32) (i32.const 1) (i32.const 2))
        (i32.mul)
        (i32.add))
      (func (export "early_pair") (param i32) (result i32 i32)
        (block (result i32 i32)
          (br_if 0 (i32.const 8) (i32.const 9) (local.get 0))
          (drop) (drop)
          (return (i32.const 1) (i32.const 2)))))`,
    calls: [['split', 0x1234_5678_9abcn], ['split', 0n], ['split', -5n], ['blocks', 4], ['early_pair', 1], ['early_pair', 0]],
  },
  {
    title: 'select, typed select and reference selects',
    wat: `(module
      (func (export "pick") (param i32 i32 i32) (result i32) (select (local.get 0) (local.get 1) (local.get 2)))
      (func (export "pick_f64") (param f64 f64 i32) (result f64) (select (result f64) (local.get 0) (local.get 1) (local.get 2)))
      (func (export "pick_ref") (param externref externref i32) (result externref)
        (select (result externref) (local.get 0) (local.get 1) (local.get 2))))`,
    calls: [['pick', 1, 2, 0], ['pick', 1, 2, 5], ['pick_f64', 1.5, -2.5, 0], ['pick_ref', 'a', 'b', 1], ['pick_ref', 'a', 'b', 0]],
  },
  {
    title: 'call_indirect through a table filled by active, passive and declarative element segments',
    wat: `(module
      (type $un (func (param i32) (result i32)))
      (import "env" "triple" (func $triple (param i32) (result i32)))
      (table $t 8 funcref)
      (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
      (func $dbl (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
      (func $neg (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0)))
      (elem (i32.const 0) $inc $dbl $triple)
      (elem $later func $neg $inc)
      (elem declare func $dbl)
      (func (export "apply") (param i32 i32) (result i32) (call_indirect (type $un) (local.get 1) (local.get 0)))
      (func (export "load_later") (table.init $t $later (i32.const 4) (i32.const 0) (i32.const 2)) (elem.drop $later))
      (func (export "via_ref") (param i32) (result i32)
        (table.set $t (i32.const 6) (ref.func $dbl))
        (call_indirect (type $un) (local.get 0) (i32.const 6))))`,
    imports: () => ({ env: { triple: (x: number) => x * 3 } }),
    calls: [['apply', 0, 5], ['apply', 1, 5], ['apply', 2, 5], ['load_later'], ['apply', 4, 9], ['apply', 5, 9], ['via_ref', 21]],
  },
  {
    title: 'ref.func in globals, a start function, and exported globals and tables',
    wat: `(module
      (type $v (func (result i32)))
      (import "env" "one" (func $one (result i32)))
      (table $t (export "table") 2 funcref)
      (global $fn funcref (ref.func $seven))
      (global $counter (export "counter") (mut i32) (i32.const 0))
      (global $limit (export "limit") i64 (i64.const -42))
      (func $seven (result i32) (i32.const 7))
      (func $init (global.set $counter (i32.add (call $one) (i32.const 40))))
      (start $init)
      (func (export "call_global") (result i32)
        (table.set $t (i32.const 1) (global.get $fn))
        (call_indirect (type $v) (i32.const 1)))
      (func (export "counter_value") (result i32) (global.get $counter)))`,
    imports: () => ({ env: { one: () => 1 } }),
    calls: [['counter_value'], ['call_global'], ['#global', 'counter'], ['#global', 'limit'], ['#table', 'table']],
  },
  {
    title: 'bulk memory and table operations',
    wat: `(module
      (memory (export "mem") 1)
      (data $d "hello, wasm")
      (table $t 4 funcref)
      (func $f (result i32) (i32.const 9))
      (elem declare func $f)
      (func (export "run") (result i32)
        (memory.fill (i32.const 100) (i32.const 0x2a) (i32.const 50))
        (memory.copy (i32.const 200) (i32.const 120) (i32.const 20))
        (memory.init $d (i32.const 300) (i32.const 7) (i32.const 4))
        (data.drop $d)
        (table.fill $t (i32.const 0) (ref.func $f) (i32.const 2))
        (table.copy $t $t (i32.const 2) (i32.const 0) (i32.const 2))
        (drop (table.grow $t (ref.null func) (i32.const 3)))
        (i32.add (i32.add (i32.load8_u (i32.const 210)) (i32.load (i32.const 300)))
                 (i32.add (table.size $t) (i32.load8_u (i32.const 149)))))
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "size") (result i32) (memory.size)))`,
    calls: [['run'], ['size'], ['grow', 2], ['size']],
  },
  {
    title: 'SIMD: v128.const, shuffles, lanes and lane loads',
    wat: `(module
      (memory 1)
      (data (i32.const 0) "\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f\\10")
      (func (export "simd") (param i32) (result i32)
        (local $v v128)
        (local.set $v (i32x4.add (v128.const i32x4 1 -2 3 -4) (i32x4.splat (local.get 0))))
        (local.set $v (i8x16.shuffle 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 0 (local.get $v) (v128.load (i32.const 0))))
        (local.set $v (v128.load32_lane 1 (i32.const 4) (local.get $v)))
        (v128.store64_lane 0 (i32.const 32) (local.get $v))
        (i32.add (i32x4.extract_lane 1 (local.get $v))
                 (i32.add (i8x16.extract_lane_u 0 (local.get $v)) (i32.load (i32.const 36))))))`,
    calls: [['simd', 5], ['simd', -100]],
  },
  {
    title: 'exceptions: try, catch, catch_all, rethrow and delegate across frames',
    wat: `(module
      (tag $e (param i32))
      (tag $other)
      (func $thrower (param i32)
        (if (i32.eqz (local.get 0)) (then (throw $e (i32.const 77))))
        (call $thrower (i32.sub (local.get 0) (i32.const 1))))
      (func (export "catch_deep") (param i32) (result i32)
        (try (result i32)
          (do (call $thrower (local.get 0)) (i32.const -1))
          (catch $e (i32.add (i32.const 1000)))))
      (func (export "rethrown") (result i32)
        (try (result i32)
          (do (try (do (throw $other)) (catch_all (rethrow 0))) (i32.const 0))
          (catch $other (i32.const 5))))
      (func (export "delegated") (result i32)
        (try (result i32)
          (do (try (do (call $thrower (i32.const 3))) (delegate 0)) (i32.const 0))
          (catch $e)))
      (func (export "delegate_to_caller") (try (do (throw $other)) (delegate 0)))
      (func (export "catch_caller") (result i32)
        (try (result i32) (do (call 4) (i32.const 0)) (catch_all (i32.const 9)))))`,
    calls: [['catch_deep', 10], ['rethrown'], ['delegated'], ['catch_caller'], ['delegate_to_caller']],
  },
  {
    title: 'a return_call tail loop much deeper than the stack',
    wat: `(module
      (type $t (func (param i64 i64) (result i64)))
      (table 1 funcref)
      (elem (i32.const 0) $sum)
      (func $sum (param $n i64) (param $acc i64) (result i64)
        (if (result i64) (i64.eqz (local.get $n))
          (then (local.get $acc))
          (else (return_call $sum (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n))))))
      (func $sum_indirect (param $n i64) (param $acc i64) (result i64)
        (if (i64.eqz (local.get $n)) (then (return (local.get $acc))))
        (return_call_indirect (type $t) (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (local.get $n)) (i32.const 0)))
      (func (export "sum") (param i64) (result i64) (return_call $sum (local.get 0) (i64.const 0)))
      (func (export "sum_indirect") (param i64) (result i64) (call $sum_indirect (local.get 0) (i64.const 0))))`,
    calls: [['sum', 1_000_000n], ['sum_indirect', 300_000n]],
  },
  {
    title: 'i64 and f64 constants: negatives, extremes and NaN bit patterns',
    wat: `(module
      (func (export "i64s") (result i64 i64 i64 i64)
        (i64.const -1) (i64.const -9223372036854775808) (i64.const 9223372036854775807) (i64.const -4611686018427387905))
      (func (export "i32s") (result i32 i32 i32) (i32.const -2147483648) (i32.const -64) (i32.const 63))
      (func (export "nan_bits") (result i64 i32 i64)
        (i64.reinterpret_f64 (f64.const nan:0x4000000000001))
        (i32.reinterpret_f32 (f32.const -nan:0x200001))
        (i64.reinterpret_f64 (f64.const -0)))
      (func (export "floats") (result f64 f32) (f64.const -1.5e300) (f32.const 0x1p-149)))`,
    calls: [['i64s'], ['i32s'], ['nan_bits'], ['floats']],
  },
  {
    title: 'recursion, sign extension, saturating truncation and atomics',
    wat: `(module
      (memory 1 1 shared)
      (func $fib (export "fib") (param i32) (result i32)
        (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
          (then (local.get 0))
          (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
      (func (export "ext") (param i32) (result i64) (i64.extend8_s (i64.extend_i32_u (local.get 0))))
      (func (export "sat") (param f64) (result i32) (i32.trunc_sat_f64_s (local.get 0)))
      (func (export "atomic") (param i32) (result i32)
        (drop (i32.atomic.rmw.add (i32.const 8) (local.get 0)))
        (atomic.fence)
        (i32.atomic.load (i32.const 8))))`,
    calls: [['fib', 20], ['ext', 0x80], ['sat', 1e20], ['sat', -1e20], ['atomic', 5], ['atomic', 6]],
  },
];

async function runAll(exports: Exports, calls: Program['calls']): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const [name, ...args] of calls) {
    if (name === '#global') results.push((exports[args[0] as string] as unknown as WebAssembly.Global).value);
    else if (name === '#table') results.push((exports[args[0] as string] as unknown as WebAssembly.Table).length);
    else {
      try {
        results.push(exports[name]!(...args));
      } catch (err) {
        results.push(`threw ${(err as Error).constructor.name}`);
      }
    }
  }
  return results;
}

for (const program of PROGRAMS) {
  // 10,000 ticks per refill, as a host grants them; and 1, so the refill path (and the re-entry of
  // every loop after it) runs at each tick.
  for (const refill of [10_000, 1]) {
    test(`instrumentation preserves results (refill ${refill}): ${program.title}`, async () => {
      const original = wat(program.wat);
      const before = await runAll(await instantiate(original, program.imports?.() ?? {}), program.calls);
      const hooks = new LimitHooks(refill);
      const after = await runAll(await instantiate(instrument(original), program.imports?.() ?? {}, hooks), program.calls);
      assert.deepEqual(after, before);
      assert.equal(hooks.stackCalls, 0);
    });
  }
}
