// #6: who may use the admin API: --api-key (Bearer, 401 empty body otherwise, as SMG), loopback
// clients only when no key is set (403 naming the fix), and --admin-port separation.
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import { createGateway, type Gateway } from '../../../src/gateway/index.js';
import { FakeLoader } from '../../helpers/fake-loader.js';
import { gatewaySuite, send } from '../../helpers/gateway-harness.js';
import { startUpstream, type TestUpstream } from '../../helpers/start-upstream.js';

describe('admin API with --api-key', () => {
  const { gateway: t } = gatewaySuite({ gateway: { apiKey: 's3cret-key' } });

  it('answers 401 with an empty body without the right Bearer key', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong' }, { authorization: 's3cret-key' }, { authorization: 'Basic s3cret-key' }, { authorization: 'Bearer s3cret-key-longer' }];
    for (const headers of attempts) {
      for (const path of ['/wasm', '/metrics']) {
        const reply = await t.admin(path, { headers });
        assert.equal(reply.status, 401, `${path} ${JSON.stringify(headers)}`);
        assert.equal(reply.text, '');
      }
    }
    const del = await t.admin('/wasm/0198c2e4-5b7a-7c3e-9a51-3f0d2b6c8e11', { method: 'DELETE' });
    assert.equal(del.status, 401, 'auth runs before UUID validation');
  });

  it('serves the admin API with Authorization: Bearer <key>', async () => {
    assert.equal((await t.admin('/wasm', { headers: { authorization: 'Bearer s3cret-key' } })).status, 200);
    assert.equal((await t.admin('/metrics', { headers: { authorization: 'bearer s3cret-key' } })).status, 200);
  });

  it('leaves proxied routes and health checks alone', async () => {
    assert.equal((await t.request('/v1/models')).status, 200);
    for (const path of ['/health', '/liveness', '/readiness']) {
      const reply = await t.request(path);
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.json(), { status: 'ok' });
    }
  });
});

function nonLoopbackAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const entry of list ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return undefined;
}

describe('admin API without an API key', () => {
  const address = nonLoopbackAddress();
  let upstream: TestUpstream;
  let gateway: Gateway;
  let port: number;
  const agent = new Agent();
  before(async () => {
    upstream = await startUpstream();
    gateway = createGateway({ loader: new FakeLoader(), workerUrls: [upstream.url], host: '0.0.0.0', port: 0, enableWasm: true });
    port = (await gateway.listen()).port;
  });
  after(async () => {
    await gateway.close();
    await agent.close();
    await upstream.close();
  });

  it('answers loopback clients', async () => {
    assert.equal((await send(agent, `http://127.0.0.1:${port}/wasm`)).status, 200);
  });

  it('refuses other clients with 403 and says how to set a key', { skip: address === undefined ? 'no non-loopback address here (see the admin-auth unit test)' : false }, async () => {
    for (const path of ['/wasm', '/metrics']) {
      const reply = await send(agent, `http://${address}:${port}${path}`);
      assert.equal(reply.status, 403);
      const body = reply.json();
      assert.equal(body.error.code, 'WG_ERR_ADMIN_FORBIDDEN');
      assert.match(body.error.message, /--api-key/);
    }
    assert.equal((await send(agent, `http://${address}:${port}/v1/models`)).status, 200, 'proxied routes stay open');
  });
});

describe('--admin-port', () => {
  const { gateway: t } = gatewaySuite({ gateway: { adminPort: 0 } });

  it('serves /wasm and /metrics on the admin port only', async () => {
    assert.notEqual(t.adminUrl, t.url);
    assert.equal((await t.admin('/wasm')).status, 200);
    assert.match((await t.admin('/metrics')).text, /wasmgate_proxy_requests_total/);
    for (const path of ['/wasm', '/metrics']) {
      const reply = await t.request(path);
      assert.equal(reply.status, 200);
      assert.equal(reply.json().url, path, `${path} on the main port is an ordinary proxied path`);
    }
  });

  it('answers health on both ports and 404 for anything else on the admin port', async () => {
    assert.equal((await t.admin('/health')).status, 200);
    assert.equal((await t.request('/health')).status, 200);
    assert.equal((await t.admin('/v1/chat/completions')).status, 404);
  });
});
