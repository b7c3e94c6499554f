// --history-backend / --storage-hook-fail-open in the gateway config.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkHistoryBackend, resolveGatewayConfig } from '../../../../src/gateway/index.js';
import { FakeLoader } from '../../../helpers/fake-loader.js';

const base = { loader: new FakeLoader(), workerUrls: ['http://127.0.0.1:1'] };

describe('history configuration', () => {
  it('the history API is off unless a backend or a storage hook is configured; memory by default then', () => {
    assert.equal(resolveGatewayConfig(base).historyBackend, undefined);
    assert.equal(resolveGatewayConfig({ ...base, storageHookWasmPath: '/h.wasm' }).historyBackend, 'memory');
    assert.equal(resolveGatewayConfig({ ...base, historyBackend: 'none', storageHookWasmPath: '/h.wasm' }).historyBackend, 'none');
    assert.equal(resolveGatewayConfig({ ...base, historyBackend: ' Memory ' }).historyBackend, 'memory');
  });
  it('fail-closed by default', () => {
    assert.equal(resolveGatewayConfig(base).storageHookFailOpen, false);
    assert.equal(resolveGatewayConfig({ ...base, storageHookFailOpen: true }).storageHookFailOpen, true);
  });
  it("refuses SMG's database backends and unknown names with WG_ERR_CONFIG_INVALID", () => {
    for (const name of ['postgres', 'oracle', 'redis']) {
      assert.throws(() => checkHistoryBackend(name, undefined), { code: 'WG_ERR_CONFIG_INVALID', message: `history backend ${name} is not supported by wasmgate (supported: memory, none)` });
    }
    assert.throws(() => checkHistoryBackend('sqlite', undefined), { code: 'WG_ERR_CONFIG_INVALID', message: 'history backend must be one of memory, none, got "sqlite"' });
  });
});
