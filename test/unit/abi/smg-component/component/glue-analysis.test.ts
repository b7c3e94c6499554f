import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseGlue, patchGlue } from '../../../../../src/abi/smg-component/component/glue-analysis.js';
import { ComponentLoader } from '../../../../../src/abi/smg-component/component/component-loader.js';
import { SHARED_CACHE_DIR, guestBytes } from '../component-guests.js';

const EXPORT = 'smg:gateway/middleware-on-request#on-request';

test('the glue of a hand-written component is analysed: one core instance holds export, memory, allocator and post-return', async () => {
  const artifact = await new ComponentLoader({ cacheDir: SHARED_CACHE_DIR }).load(await guestBytes('echo'));
  const lifted = artifact.analysis.lifted(EXPORT);
  assert.deepEqual(lifted, {
    coreExport: EXPORT,
    instantiateCall: 0,
    memoryExport: 'memory',
    reallocExport: 'cabi_realloc',
    postReturnExport: `cabi_post_${EXPORT}`,
  });
  assert.deepEqual(artifact.analysis.coreModules, ['component.core.wasm']);
});

test('the glue of a component importing WASI names each member it takes from each import', async () => {
  const artifact = await new ComponentLoader({ cacheDir: SHARED_CACHE_DIR }).load(await guestBytes('wasi-probe-core'));
  assert.deepEqual(artifact.analysis.imports.get('wasi:cli/environment'), ['getArguments', 'getEnvironment', 'initialCwd']);
  assert.deepEqual(artifact.analysis.imports.get('wasi:filesystem/preopens'), ['getDirectories']);
});

test('the stored glue has its per-call debug logging patched out', async () => {
  const artifact = await new ComponentLoader({ cacheDir: SHARED_CACHE_DIR }).load(await guestBytes('continue'));
  assert.equal(typeof artifact.instantiate, 'function');
  const patched = patchGlue('a\nconst _debugLog = (...args) => {\n  if (x) { return; }\n}\nb');
  assert.ok(patched.startsWith('a\nconst _debugLog = () => {};\nconst _jcoDebugLog = (...args) => {'));
  assert.equal(patchGlue('no debug log here'), 'no debug log here');
});

test('a wrapper whose memory comes from another core instance is reported unsupported (the glue is used)', () => {
  const glue = `
  ({ exports: exports0 } = yield instantiateCore(yield module0));
  ({ exports: exports1 } = yield instantiateCore(yield module1));
  memory0 = exports0.memory;
  realloc0 = exports1.cabi_realloc;
  postReturn0 = exports1['cabi_post_${EXPORT}'];
  function onRequest(arg0) {
    var ptr1 = utf8Encode(arg0.method, realloc0, memory0);
    const ret = fn0(ptr1);
    postReturn0(ret);
  }
  fn0 = exports1['${EXPORT}'];
`;
  const lifted = analyseGlue(glue).lifted(EXPORT);
  assert.ok('unsupported' in lifted);
});

test('an export the glue never binds is reported unsupported', () => {
  assert.ok('unsupported' in analyseGlue('').lifted(EXPORT));
});
