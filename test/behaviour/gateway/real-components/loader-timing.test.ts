// The real component loader tells the gateway whether a call runs the guest inside the call
// (inline modules with a free instance), so the gateway can time the guest alone (see
// middleware-chain-timing.test.ts); modules on executor threads do not.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import pino from 'pino';
import { createComponentLoader } from '../../../../src/cli/component-loader.js';
import { DEFAULT_LIMITS } from '../../../../src/runtime/index.js';
import { CACHE_DIR, component } from './real-gateway.js';

const spec = { name: 'continue', limits: DEFAULT_LIMITS, poolSize: 1, config: {} };

test('inline modules run now while an instance is free; executor-thread modules never say so', async () => {
  const bytes = new Uint8Array(await readFile(component('continue')));
  const logger = pino({ level: 'silent' });
  const inline = await createComponentLoader({ cacheDir: CACHE_DIR, logger }).load(bytes, spec);
  try {
    assert.equal(inline.runsNow?.(), true);
    const call = inline.onRequest!({ method: 'GET', path: '/', query: '', headers: [], body: new Uint8Array(0), requestId: 'r', nowEpochMs: 0 });
    assert.equal(inline.metrics().calls, 1, 'the guest ran before the call returned');
    assert.equal((await call).tag, 'continue');
  } finally {
    await inline.close();
  }
  const isolated = await createComponentLoader({ cacheDir: CACHE_DIR, logger, isolation: 'worker' }).load(bytes, spec);
  try {
    assert.equal(isolated.runsNow, undefined);
  } finally {
    await isolated.close();
  }
});
