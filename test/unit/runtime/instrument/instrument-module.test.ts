// The module-level contract: valid output or a WasmgateError for any input (truncated, malformed,
// components, random mutations), the sections the rewrite adds, and a real 10+ MB module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { WasmgateError } from '../../../../src/errors.js';
import { instrumentModule } from '../../../../src/runtime/instrument/index.js';
import { rewriteModule } from '../../../../src/runtime/instrument/instrument-module.js';
import { scanSections } from '../../../../src/runtime/instrument/module-sections.js';
import { ByteWriter } from '../../../../src/runtime/instrument/byte-writer.js';
import { LimitHooks, TEST_LIMITS, instantiate, instrument, wat } from './wat.js';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

function section(id: number, payload: number[]): number[] {
  const w = new ByteWriter();
  w.u32(payload.length);
  return [id, ...w.toBytes(), ...payload];
}

function customSection(name: string, content: string): number[] {
  const n = [...Buffer.from(name)];
  return section(0, [n.length, ...n, ...Buffer.from(content)]);
}

/** A module with one `() -> ()` function whose body (after the locals) is `body`. */
function moduleWithBody(body: number[], extra: number[] = []): Uint8Array {
  const code = [0x00, ...body];
  return Uint8Array.from([
    ...HEADER,
    ...section(1, [0x01, 0x60, 0x00, 0x00]),
    ...section(3, [0x01, 0x00]),
    ...extra,
    ...section(10, [0x01, code.length, ...code]),
  ]);
}

function assertCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (err) => WasmgateError.is(err) && err.code === code);
}

// Uses most section kinds and instruction families, for truncation and fuzzing.
const RICH = wat(
  `(module
    (type $t (func (param i32) (result i32)))
    (import "env" "f" (func $f (param i32) (result i32)))
    (import "env" "g" (global $g i32))
    (table $tab 4 funcref)
    (memory 1 4)
    (tag $e (param i32))
    (global $h (mut i32) (i32.const 7))
    (global $r funcref (ref.func $loop))
    (export "loop" (func $loop))
    (start $init)
    (elem (i32.const 0) $loop $f)
    (elem funcref (ref.func $init) (ref.null func))
    (data (i32.const 16) "abc")
    (data $p "xyz")
    (func $init (global.set $h (i32.const 8)))
    (func $loop (param $n i32) (result i32) (local $v v128)
      (loop $l
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br_if $l (i32.gt_s (local.get $n) (i32.const 0))))
      (memory.fill (i32.const 0) (i32.const 0) (i32.const 64))
      (memory.init $p (i32.const 0) (i32.const 0) (i32.const 3))
      (local.set $v (i32x4.splat (local.get $n)))
      (try (do (throw $e (i32.const 1))) (catch $e (drop)) (catch_all))
      (if (local.get $n) (then (return (i32.const -1))))
      (call_indirect (type $t) (i64.const -5) (drop) (global.get $g) (i32.const 1))))`,
  true,
);

test('a rich module round-trips: valid output with the two imports added after the others', () => {
  const { bytes } = instrumentModule(RICH, TEST_LIMITS);
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes)).map((i) => `${i.module}.${i.name}:${i.kind}`);
  assert.deepEqual(imports, ['env.f:function', 'env.g:global', '__wasmgate.fuel:function', '__wasmgate.stack_overflow:function']);
});

test('stats count functions, loops, call sites and sizes', () => {
  const bytes = wat(`(module (func $a (call $b) (call $b)) (func $b (loop (nop))) (func (return_call $a)))`);
  const { stats, bytes: out } = instrumentModule(bytes, TEST_LIMITS);
  assert.deepEqual(stats, { functions: 3, loops: 1, calls: 3, bytesIn: bytes.length, bytesOut: out.length });
});

test('the header-only module gains type, import and global sections in order', () => {
  const { bytes } = instrumentModule(Uint8Array.from(HEADER), TEST_LIMITS);
  assert.deepEqual(scanSections(bytes).map((s) => s.id), [1, 2, 6]);
  assert.ok(WebAssembly.validate(bytes));
});

test('custom sections stay where they were', () => {
  const inner = [...wat('(module (memory 1) (func (export "f")))').subarray(8)];
  const input = Uint8Array.from([...HEADER, ...customSection('first', 'A'), ...inner, ...customSection('last', 'Z')]);
  const { bytes } = instrumentModule(input, TEST_LIMITS);
  const ids = scanSections(bytes).map((s) => s.id);
  assert.equal(ids[0], 0);
  assert.equal(ids[ids.length - 1], 0);
  const module = new WebAssembly.Module(bytes);
  assert.deepEqual(Buffer.from(WebAssembly.Module.customSections(module, 'first')[0]!).toString(), 'A');
  assert.deepEqual(Buffer.from(WebAssembly.Module.customSections(module, 'last')[0]!).toString(), 'Z');
});

test('the added imports reuse identical existing types', () => {
  const bytes = instrument(wat('(module (type (func (result i32))) (type (func)) (func (type 1)))'));
  const types = scanSections(bytes).find((s) => s.id === 1)!;
  assert.equal(bytes[types.start], 2);
});

test('empty input, a lone magic number and a component are rejected as invalid', () => {
  assertCode(() => instrumentModule(new Uint8Array(0), TEST_LIMITS), 'WG_ERR_MODULE_INVALID');
  assertCode(() => instrumentModule(Uint8Array.of(0x00, 0x61, 0x73, 0x6d), TEST_LIMITS), 'WG_ERR_MODULE_INVALID');
  const component = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00);
  assertCode(() => instrumentModule(component, TEST_LIMITS), 'WG_ERR_MODULE_INVALID');
});

test('a module cut short inside any section is rejected as invalid', () => {
  for (const s of scanSections(RICH)) {
    const cut = RICH.subarray(0, s.start + Math.floor((s.end - s.start) / 2));
    assertCode(() => instrumentModule(cut, TEST_LIMITS), 'WG_ERR_MODULE_INVALID');
  }
});

test('a section whose payload is cut short is rejected, except a custom section, which is copied or dropped', () => {
  for (const s of scanSections(RICH)) {
    const keep = Math.floor((s.end - s.start) / 2);
    const w = new ByteWriter();
    w.span(RICH, 0, s.headerStart);
    w.byte(RICH[s.headerStart]!);
    w.u32(keep);
    w.span(RICH, s.start, s.start + keep);
    w.span(RICH, s.end, RICH.length);
    const shortened = w.toBytes();
    if (s.id === 0) assert.ok(WebAssembly.validate(instrumentModule(shortened, TEST_LIMITS).bytes));
    else assertCode(() => instrumentModule(shortened, TEST_LIMITS), 'WG_ERR_MODULE_INVALID');
  }
});

test('every prefix of a module gives valid output or a WasmgateError', () => {
  for (let n = 0; n < RICH.length; n++) {
    try {
      assert.ok(WebAssembly.validate(instrumentModule(RICH.subarray(0, n), TEST_LIMITS).bytes));
    } catch (err) {
      assert.ok(WasmgateError.is(err), `prefix of ${n} bytes: ${String(err)}`);
      assert.notEqual(err.code, 'WG_ERR_INTERNAL_BUG');
    }
  }
});

test('unknown opcodes and sections are unsupported', () => {
  assertCode(() => instrumentModule(moduleWithBody([0xfb, 0x00, 0x0b]), TEST_LIMITS), 'WG_ERR_MODULE_UNSUPPORTED');
  assertCode(() => instrumentModule(moduleWithBody([0xfc, 0x7f, 0x0b]), TEST_LIMITS), 'WG_ERR_MODULE_UNSUPPORTED');
  assertCode(() => instrumentModule(Uint8Array.from([...HEADER, ...section(14, [])]), TEST_LIMITS), 'WG_ERR_MODULE_UNSUPPORTED');
});

test('an invalid module that the added globals would make valid is still rejected', () => {
  // global.get 0 / global.set 0 with no globals: after the rewrite index 0 would be $fuel.
  const reads = moduleWithBody([0x23, 0x00, 0x1a, 0x0b]);
  const writes = moduleWithBody([0x41, 0xff, 0xff, 0xff, 0xff, 0x07, 0x24, 0x00, 0x0b]);
  assert.ok(WebAssembly.validate(rewriteModule(writes, TEST_LIMITS).bytes));
  assertCode(() => instrumentModule(reads, TEST_LIMITS), 'WG_ERR_MODULE_INVALID');
  assertCode(() => instrumentModule(writes, TEST_LIMITS), 'WG_ERR_MODULE_INVALID');
});

test('a module importing from the reserved namespace is rejected, so it cannot be instrumented twice', () => {
  assertCode(() => instrument(wat('(module (import "__wasmgate" "fuel" (func (result i32))))')), 'WG_ERR_MODULE_INVALID');
  assertCode(() => instrument(instrument(RICH)), 'WG_ERR_MODULE_INVALID');
});

/** mulberry32: a small seeded generator, so a failing mutation can be reproduced. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(base: Uint8Array, next: () => number): Uint8Array {
  const bytes = [...base];
  const edits = 1 + Math.floor(next() * 3);
  for (let i = 0; i < edits; i++) {
    const at = 8 + Math.floor(next() * (bytes.length - 8));
    const choice = next();
    const value = [0x00, 0x7f, 0x80, 0xff, Math.floor(next() * 256)][Math.floor(next() * 5)]!;
    if (choice < 0.5) bytes[at] = value;
    else if (choice < 0.65) bytes[at] = bytes[at]! ^ (1 << Math.floor(next() * 8));
    else if (choice < 0.8) bytes.splice(at, 0, value);
    else if (choice < 0.95) bytes.splice(at, 1 + Math.floor(next() * 4));
    else bytes.splice(at, 0, ...bytes.slice(at, at + 16));
  }
  return Uint8Array.from(bytes);
}

test('200 random mutations of a valid module give valid output or a WasmgateError, never a hang or another error', () => {
  const next = random(0x5eed);
  const outcomes = new Map<string, number>();
  for (let i = 0; i < 200; i++) {
    const input = mutate(RICH, next);
    let outcome: string;
    try {
      const { bytes } = instrumentModule(input, TEST_LIMITS);
      assert.ok(WebAssembly.validate(bytes), `mutation ${i} produced invalid output`);
      outcome = 'instrumented';
    } catch (err) {
      assert.ok(WasmgateError.is(err), `mutation ${i} threw ${String(err)}`);
      assert.notEqual(err.code, 'WG_ERR_INTERNAL_BUG', `mutation ${i}: ${err.message}`);
      outcome = err.code;
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    // The rewrite alone (before validation) must also fail only with a WasmgateError.
    try {
      rewriteModule(input, TEST_LIMITS);
    } catch (err) {
      assert.ok(WasmgateError.is(err), `rewrite of mutation ${i} threw ${String(err)}`);
    }
  }
  console.log('fuzz outcomes:', Object.fromEntries(outcomes));
});

/** The biggest core module shipped with componentize-js (SpiderMonkey / StarlingMonkey). */
function biggestCoreModule(): string | undefined {
  const dir = join(import.meta.dirname, '../../../../node_modules/@bytecodealliance/componentize-js/lib');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.wasm')).map((f) => join(dir, f));
  } catch {
    return undefined;
  }
  const core = files.filter((f) => readFileSync(f).subarray(4, 8).equals(Buffer.from([1, 0, 0, 0])));
  return core.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

test('the SpiderMonkey core module of componentize-js instruments into a valid module', (t) => {
  const path = biggestCoreModule();
  if (!path) return t.skip('componentize-js is not installed');
  const input = new Uint8Array(readFileSync(path));
  const started = performance.now();
  const { bytes, stats } = instrumentModule(input, TEST_LIMITS);
  const ms = performance.now() - started;
  assert.ok(WebAssembly.validate(bytes));
  console.log(
    `${path.split('/').pop()}: ${(input.length / 1e6).toFixed(2)} MB -> ${(bytes.length / 1e6).toFixed(2)} MB ` +
      `(x${(bytes.length / input.length).toFixed(3)}) in ${ms.toFixed(0)} ms; ${stats.functions} functions, ${stats.loops} loops`,
  );
});

test('a small instrumented module runs', async () => {
  const input = wat(`(module (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2))))))))`);
  const started = performance.now();
  const { bytes } = instrumentModule(input, TEST_LIMITS);
  console.log(`fib module: ${input.length} -> ${bytes.length} bytes in ${(performance.now() - started).toFixed(2)} ms`);
  const exports = await instantiate(bytes, {}, new LimitHooks());
  assert.equal(exports.fib!(20), 6765);
});
