// The CoreModuleHooks contract, with stub hooks and with the runtime's real instrumentation
// (CoreCompiler + CallBudget): every core module of a component is compiled by the runtime and gets
// its limit imports, so deadlines and memory caps apply inside components too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSmgComponent } from '../../../../src/abi/smg-component/smg-component.js';
import type { CoreModuleHooks } from '../../../../src/abi/smg-component/core-module-hooks.js';
import { mergeImports } from '../../../../src/abi/smg-component/component/instantiate-component.js';
import { CallBudget, CoreCompiler, LIMITS_IMPORT_MODULE, resolveLimits } from '../../../../src/runtime/index.js';
import { GuestFault } from '../../../../src/runtime/guest-fault.js';
import { WasmgateError } from '../../../../src/errors.js';
import { SHARED_CACHE_DIR, guestBytes } from './component-guests.js';

const request = { method: 'GET', path: '/', query: '', headers: [], body: new Uint8Array(0), requestId: 'r', nowEpochMs: 1 };
const isFault = (kind: string) => (err: unknown) => err instanceof GuestFault && err.kind === kind;

function instrumentedHooks(maxMemoryPages = 1024): { hooks: CoreModuleHooks; budget: CallBudget } {
  const limits = resolveLimits(undefined, { maxExecutionTimeMs: 100, maxMemoryPages });
  const compiler = new CoreCompiler();
  const budget = new CallBudget(limits.maxStackSize);
  return {
    budget,
    hooks: {
      compileCore: async (bytes) => (await compiler.compile(bytes, limits)).module,
      coreImports: () => ({ [LIMITS_IMPORT_MODULE]: budget.imports }),
      maxMemoryPages: limits.maxMemoryPages,
    },
  };
}

function within<T>(budget: CallBudget, call: () => T): T {
  budget.begin(100);
  try {
    return call();
  } finally {
    budget.end();
  }
}

test('every core module of a component is compiled through compileCore; coreImports is asked once per instance', async () => {
  const loaded = await loadSmgComponent(await guestBytes('js-modify'), { maxBodySize: 1024, cacheDir: SHARED_CACHE_DIR });
  const compiled: number[] = [];
  let importSets = 0;
  const hooks: CoreModuleHooks = {
    compileCore: (bytes) => {
      compiled.push(bytes.byteLength);
      return WebAssembly.compile(bytes);
    },
    coreImports: () => {
      importSets++;
      return { unused: {} };
    },
  };
  const inst = await loaded.instantiate(hooks);
  assert.equal(compiled.length, 4);
  assert.equal(importSets, 1);
  assert.equal(inst.onRequest!(request).tag, 'modify');
});

test('the runtime namespace is added only to modules that import it, and replaces any the glue passes', () => {
  const plain = new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
  const fuel = () => 1;
  assert.deepEqual(mergeImports(plain, { a: {} }, { __wasmgate: { fuel } }), { a: {} });
  // (module (import "__wasmgate" "fuel" (func (result i32))))
  const importing = new WebAssembly.Module(
    new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, 0x02, 0x13, 0x01, 0x0a, 0x5f, 0x5f, 0x77, 0x61, 0x73, 0x6d,
      0x67, 0x61, 0x74, 0x65, 0x04, 0x66, 0x75, 0x65, 0x6c, 0x00, 0x00,
    ]),
  );
  const merged = mergeImports(importing, { __wasmgate: { fuel: () => 2 } }, { __wasmgate: { fuel } });
  assert.equal(merged.__wasmgate!.fuel, fuel);
  new WebAssembly.Instance(importing, merged);
});

test('with the runtime instrumentation an endless loop in a component is stopped at the deadline', async () => {
  const { hooks, budget } = instrumentedHooks();
  const inst = await (await loadSmgComponent(await guestBytes('infinite-loop'), { maxBodySize: 1024, cacheDir: SHARED_CACHE_DIR })).instantiate(hooks);
  assert.throws(() => within(budget, () => inst.onRequest!(request)), isFault('timeout'));
});

test('with the runtime instrumentation an endless JavaScript loop in a componentize-js guest is stopped', async () => {
  const { hooks, budget } = instrumentedHooks();
  const loaded = await loadSmgComponent(await guestBytes('js-loop'), { maxBodySize: 1024, cacheDir: SHARED_CACHE_DIR });
  const inst = await loaded.instantiate(hooks);
  assert.throws(() => within(budget, () => inst.onRequest!(request)), isFault('timeout'));
});

test('with the runtime memory cap a guest growing memory without end faults as memory', async () => {
  const { hooks, budget } = instrumentedHooks(64);
  const inst = await (await loadSmgComponent(await guestBytes('memory-bomb'), { maxBodySize: 1024, cacheDir: SHARED_CACHE_DIR })).instantiate(hooks);
  assert.throws(() => within(budget, () => inst.onRequest!(request)), isFault('memory'));
});

test('a component whose core module needs more memory than the cap fails to instantiate, cleanly', async () => {
  const { hooks } = instrumentedHooks(64);
  const loaded = await loadSmgComponent(await guestBytes('js-modify'), { maxBodySize: 1024, cacheDir: SHARED_CACHE_DIR });
  await assert.rejects(loaded.instantiate(hooks), (err: unknown) => err instanceof WasmgateError && err.code === 'WG_ERR_MODULE_OVER_LIMIT');
});
