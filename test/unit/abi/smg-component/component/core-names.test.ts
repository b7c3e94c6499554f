import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCoreNames, coreModuleNames } from '../../../../../src/abi/smg-component/component/core-names.js';
import { loadSmgComponent } from '../../../../../src/abi/smg-component/smg-component.js';
import { ComponentLoader } from '../../../../../src/abi/smg-component/component/component-loader.js';
import { WasmgateError } from '../../../../../src/errors.js';
import { SHARED_CACHE_DIR, guestBytes } from '../component-guests.js';

const hasCode = (code: string) => (err: unknown) => err instanceof WasmgateError && err.code === code;

test('a component whose core names would inject JavaScript into the glue is refused before the glue runs', async () => {
  const g = globalThis as { __wasmgateInjected?: number };
  await assert.rejects(loadSmgComponent(await guestBytes('injection'), { maxBodySize: 1024, loader: new ComponentLoader() }), hasCode('WG_ERR_MODULE_UNSUPPORTED'));
  assert.equal(g.__wasmgateInjected, undefined);
});

test('the core names real toolchains produce are accepted', async () => {
  for (const guest of ['wasi-probe-core', 'echo']) {
    const artifact = await new ComponentLoader({ cacheDir: SHARED_CACHE_DIR }).load(await guestBytes(guest));
    const names = [...artifact.coreModules.values()].flatMap((bytes) => coreModuleNames(bytes));
    assert.ok(names.includes('cabi_realloc'));
    for (const bytes of artifact.coreModules.values()) checkCoreNames(bytes, 'm');
  }
});

test('import and export names are read from the binary, module and field alike', () => {
  // (module (import "a'b" "c" (func)) (func (export "d")))
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00, 0x02, 0x09, 0x01, 0x03, 0x61, 0x27, 0x62, 0x01, 0x63, 0x00, 0x00, 0x03,
    0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x64, 0x00, 0x01, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
  ]);
  new WebAssembly.Module(bytes);
  assert.deepEqual(coreModuleNames(bytes), ["a'b", 'c', 'd']);
  assert.throws(() => checkCoreNames(bytes, 'm'), hasCode('WG_ERR_MODULE_UNSUPPORTED'));
  assert.throws(() => checkCoreNames(bytes.slice(0, 20), 'm'), hasCode('WG_ERR_MODULE_INVALID'));
});
