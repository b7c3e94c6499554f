// componentize-js guests (SpiderMonkey inside, ~11 MB): the same loader and call paths as the
// hand-written ones. Built and transpiled once, then cached in build/ across test runs. (js-loop
// under the runtime deadline: core-module-hooks.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSmgComponent } from '../../../../src/abi/smg-component/smg-component.js';
import { plainCoreModuleHooks } from '../../../../src/abi/smg-component/core-module-hooks.js';
import type { SmgRequest } from '../../../../src/abi/smg-component/types.js';
import { SHARED_CACHE_DIR, guestBytes } from './component-guests.js';

const enc = (s: string) => new TextEncoder().encode(s);
const request: SmgRequest = { method: 'POST', path: '/v1/ü', query: '', headers: [{ name: 'x-drop', value: '1' }], body: enc('hi'), requestId: 'r', nowEpochMs: 1 };

test('a JavaScript guest returns modify actions on both sides, the same through direct calls and the glue', async () => {
  const bytes = await guestBytes('js-modify');
  const direct = await (await loadSmgComponent(bytes, { maxBodySize: 1024, cacheDir: SHARED_CACHE_DIR })).instantiate(plainCoreModuleHooks);
  const glueLoaded = await loadSmgComponent(bytes, { maxBodySize: 1024, cacheDir: SHARED_CACHE_DIR, callPath: 'glue' });
  assert.equal(glueLoaded.callPath, 'glue');
  const glue = await glueLoaded.instantiate(plainCoreModuleHooks);
  const expected = {
    tag: 'modify',
    modify: {
      headersSet: [{ name: 'x-js', value: 'POST /v1/ü' }],
      headersAdd: [{ name: 'x-body-len', value: '2' }],
      headersRemove: ['x-drop'],
      bodyReplace: enc('from js: hi'),
    },
  };
  assert.deepEqual(direct.onRequest!(request), expected);
  assert.deepEqual(glue.onRequest!(request), expected);
  const response = { status: 200, headers: [], body: new Uint8Array(0) };
  const expectedResponse = { tag: 'modify', modify: { status: 201, headersSet: [], headersAdd: [{ name: 'x-js-response', value: '200' }], headersRemove: [] } };
  assert.deepEqual(direct.onResponse!(response), expectedResponse);
  assert.deepEqual(glue.onResponse!(response), expectedResponse);
});

test('a JavaScript guest built with its WASI features disabled imports no stdio, clocks or random', async () => {
  const loaded = await loadSmgComponent(await guestBytes('js-loop'), { maxBodySize: 1024, cacheDir: SHARED_CACHE_DIR });
  for (const iface of ['wasi:cli/stdout', 'wasi:clocks/wall-clock', 'wasi:random/random']) assert.ok(!loaded.imports.includes(iface), iface);
  assert.equal(loaded.callPath, 'direct');
  const inst = await loaded.instantiate(plainCoreModuleHooks);
  assert.deepEqual(inst.onResponse!({ status: 200, headers: [], body: new Uint8Array(0) }), { tag: 'continue' });
});
