// createGateway's option checks (WG_ERR_CONFIG_INVALID) and defaults.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkStorageContextHeaders, resolveGatewayConfig } from '../../../src/gateway/index.js';
import { FakeLoader } from '../../helpers/fake-loader.js';

const loader = new FakeLoader();
const invalid = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (err: any) => err.code === 'WG_ERR_CONFIG_INVALID' && pattern.test(err.message));

describe('resolveGatewayConfig', () => {
  it('fills SMG-like defaults', () => {
    const config = resolveGatewayConfig({ loader, workerUrls: ['http://127.0.0.1:30000/'] });
    assert.deepEqual(
      [config.port, config.host, config.enableWasm, config.upstreamTimeoutMs, config.dataDir, config.requestIdHeaders, config.workerUrls],
      [3000, '127.0.0.1', false, 60000, undefined, ['x-request-id', 'x-correlation-id', 'x-trace-id', 'request-id'], ['http://127.0.0.1:30000']],
    );
    assert.equal(config.limits.maxExecutionTimeMs, 1000);
  });

  it('refuses bad options with a message naming them', () => {
    invalid(() => resolveGatewayConfig({ loader, workerUrls: [] }), /at least one worker URL/);
    invalid(() => resolveGatewayConfig({ loader, workerUrls: ['127.0.0.1:30000'] }), /must use http or https|not a URL/);
    invalid(() => resolveGatewayConfig({ loader, workerUrls: ['http://h:1/v1'] }), /origin only/);
    invalid(() => resolveGatewayConfig({ loader, workerUrls: ['http://h:1'], port: 70000 }), /port must be/);
    invalid(() => resolveGatewayConfig({ loader, workerUrls: ['http://h:1'], port: 3000, adminPort: 3000 }), /must differ/);
    invalid(() => resolveGatewayConfig({ loader, workerUrls: ['http://h:1'], requestIdHeaders: ['bad header'] }), /not a valid header name/);
    invalid(() => resolveGatewayConfig({ loader, workerUrls: ['http://h:1'], apiKey: ' ' }), /API key/);
    invalid(() => resolveGatewayConfig({ loader, workerUrls: ['http://h:1'], limits: { maxMemoryPages: 0 } }), /max_memory_pages cannot be 0/);
    invalid(() => resolveGatewayConfig({ loader, workerUrls: ['http://h:1'], upstreamTimeoutMs: 0 }), /upstream timeout/);
  });

  it("checks storage context headers with SMG's messages", () => {
    invalid(() => checkStorageContextHeaders({ '': 'k' }), /^storage_context_headers must not contain empty header names$/);
    invalid(() => checkStorageContextHeaders({ h: '' }), /^storage_context_headers must not contain empty context keys$/);
    invalid(() => checkStorageContextHeaders({ a: 'k', b: 'k' }), /^storage_context_headers must not map multiple headers to the same context key: 'k'$/);
  });
});
