// Settings for `wasmgate gateway` (src/config): defaults < config file < WASMGATE_* env < flags.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadGatewayConfig } from '../../../src/config/index.js';

describe('loadGatewayConfig', () => {
  let dir: string;
  let file: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wasmgate-cfg-'));
    file = join(dir, 'gateway.json');
    await writeFile(file, JSON.stringify({ port: 4000, host: '0.0.0.0', worker_urls: ['http://file:1'], enable_wasm: true, api_key: 'from-file', max_memory_pages: 64 }));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('applies CLI defaults', async () => {
    const { settings } = await loadGatewayConfig();
    assert.deepEqual(settings, { enable_wasm: false, port: 3000, host: '127.0.0.1', data_dir: './.wasmgate', log_level: 'info' });
  });

  it('lets flags win over env, and env over the file', async () => {
    const { settings } = await loadGatewayConfig({
      configFile: file,
      env: { WASMGATE_PORT: '5000', WASMGATE_WORKER_URLS: 'http://env:1, http://env:2', WASMGATE_ENABLE_WASM: 'false', WASMGATE_UPSTREAM_TIMEOUT_MS: '250', WASMGATE_MAX_PAYLOAD_SIZE: '4096' },
      flags: { port: '6000', request_id_headers: ['x-a', 'x-b'] },
    });
    assert.equal(settings.port, 6000);
    assert.equal(settings.host, '0.0.0.0');
    assert.deepEqual(settings.worker_urls, ['http://env:1', 'http://env:2']);
    assert.equal(settings.enable_wasm, false);
    assert.equal(settings.api_key, 'from-file');
    assert.equal(settings.upstream_timeout_ms, 250);
    assert.equal(settings.max_payload_size, 4096);
    assert.equal(settings.max_memory_pages, 64);
    assert.deepEqual(settings.request_id_headers, ['x-a', 'x-b']);
  });

  it('reads the config file from WASMGATE_CONFIG and storage context pairs as SMG does', async () => {
    const { settings, warnings } = await loadGatewayConfig({
      env: { WASMGATE_CONFIG: file },
      flags: { storage_context_headers: ['X-Tenant=tenant_id', 'x-user=user_id', 'nonsense', 'x-tenant=tenant'] },
    });
    assert.equal(settings.port, 4000);
    assert.deepEqual(settings.storage_context_headers, { 'x-tenant': 'tenant', 'x-user': 'user_id' });
    assert.equal(warnings.length, 1);
  });

  it('names the source and field of a bad value', async () => {
    await assert.rejects(loadGatewayConfig({ env: { WASMGATE_PORT: 'eighty' } }), { code: 'WG_ERR_CONFIG_INVALID', message: 'WASMGATE_PORT must be a whole number, got "eighty"' });
    await assert.rejects(loadGatewayConfig({ env: { WASMGATE_ENABLE_WASM: 'yes' } }), /WASMGATE_ENABLE_WASM must be true, false, 1 or 0/);
    await assert.rejects(loadGatewayConfig({ flags: { port: '70000' } }), /command line: port must be in 0\.\.65535/);
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ prot: 1 }));
    await assert.rejects(loadGatewayConfig({ configFile: bad }), /unknown setting "prot"/);
    await writeFile(bad, '{');
    await assert.rejects(loadGatewayConfig({ configFile: bad }), /is not valid JSON/);
  });
});
