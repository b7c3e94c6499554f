// #6 end to end with real components: the SMG examples (build/guests/examples, built from source)
// registered through POST /wasm on a gateway using the real component loader, in front of a real
// node:http upstream. auth (key from the descriptor's config), logging (request headers, 500 →
// 503), ratelimit (limits across calls, unlike under SMG).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { echo, startUpstream, type TestUpstream } from '../../../helpers/start-upstream.js';
import { example, removeAll, startRealGateway, type RealGateway } from './real-gateway.js';

const KEY = 'secret-api-key-12345';

describe('SMG examples through the gateway (real components)', () => {
  let upstream: TestUpstream;
  let g: RealGateway;
  before(async () => {
    // `/status/<code>` answers that status with a small JSON body; everything else is the echo.
    upstream = await startUpstream((req, res, received) => {
      const m = /^\/status\/(\d{3})/.exec(received.url);
      if (!m) return echo(req, res, received);
      const body = JSON.stringify({ upstream_status: Number(m[1]) });
      res.writeHead(Number(m[1]), { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    });
    g = await startRealGateway({ upstreams: [upstream.url] });
  });
  after(async () => {
    await g.close();
    await upstream.close();
  });
  beforeEach(async () => {
    await removeAll(g);
  });

  describe('auth (key from config)', () => {
    beforeEach(async () => {
      await g.register('auth', example('auth'), ['OnRequest'], { config: { api_key: KEY } });
    });

    it('answers 401 with an empty body for /api and /v1 without a key or with a wrong one, and the upstream sees nothing', async () => {
      const seen = upstream.received.length;
      const cases: Array<[string, Record<string, string>, string?]> = [
        ['/api/x', {}],
        ['/v1/chat/completions', {}, '{"model":"m","messages":[]}'],
        ['/v1/models', { authorization: 'Bearer wrong-key' }],
        ['/api/x', { authorization: `Bearer ${KEY}x` }],
        ['/api/x', { 'x-api-key': 'nope' }],
        ['/v1/models', { authorization: `Basic ${KEY}` }],
        ['/v1/models', { authorization: `bearer ${KEY}` }],
        // SMG's quirk: a wrong Authorization wins over a right x-api-key.
        ['/v1/models', { authorization: 'Bearer wrong', 'x-api-key': KEY }],
      ];
      for (const [path, headers, body] of cases) {
        const reply = await g.request(path, { method: body ? 'POST' : 'GET', headers: { 'content-type': 'application/json', ...headers }, body });
        assert.equal(reply.status, 401, `${path} ${JSON.stringify(headers)}`);
        assert.equal(reply.text, '');
        assert.equal(reply.headers['content-length'], '0');
        assert.match(String(reply.headers['x-request-id']), /^[\w-]+$/);
      }
      assert.equal(upstream.received.length, seen, 'rejected requests never reach the upstream');
    });

    it('passes the right key as Bearer, ApiKey or x-api-key, with the request unchanged', async () => {
      const variants: Array<Record<string, string>> = [{ authorization: `Bearer ${KEY}` }, { authorization: `ApiKey ${KEY}` }, { 'x-api-key': KEY }];
      for (const headers of variants) {
        const reply = await g.request('/v1/chat/completions?stream=false', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"model":"m"}' });
        assert.equal(reply.status, 200, JSON.stringify(headers));
        const seen = reply.json();
        assert.equal(seen.url, '/v1/chat/completions?stream=false');
        assert.equal(seen.body, '{"model":"m"}');
        for (const [name, value] of Object.entries(headers)) assert.equal(seen.headers[name], value);
      }
      assert.equal((await g.request('/api/x', { headers: { 'x-api-key': KEY } })).status, 200);
    });

    it('lets paths outside /api and /v1 through without a key; health routes are never middleware', async () => {
      for (const path of ['/healthz', '/generate', '/', '/V1/models']) {
        const reply = await g.request(path);
        assert.equal(reply.status, 200, path);
        assert.equal(reply.json().url, path);
      }
      const health = await g.request('/health');
      assert.equal(health.status, 200);
      assert.deepEqual(health.json(), { status: 'ok' });
      const listed = await g.listed('auth');
      assert.equal(listed.metrics.total_executions, 4, 'the four proxied paths ran the module; /health did not');
    });
  });

  describe('logging', () => {
    beforeEach(async () => {
      await g.register('logging', example('logging'), ['OnRequest', 'OnResponse']);
    });

    it('adds x-request-id, x-wasm-processed, x-processed-at and (for /v1 and /api) x-api-route to the upstream request', async () => {
      const before = Date.now();
      const reply = await g.request('/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const afterMs = Date.now();
      assert.equal(reply.status, 200);
      const seen = reply.json();
      assert.match(seen.headers['x-request-id'], /^chatcmpl-[A-Za-z0-9]{24}$/);
      assert.equal(seen.headers['x-request-id'], reply.headers['x-request-id'], 'the id the guest added is the gateway one, sent once');
      assert.equal(seen.headers['x-wasm-processed'], 'true');
      const at = Number(seen.headers['x-processed-at']);
      assert.ok(Number.isInteger(at) && at >= before && at <= afterMs, `x-processed-at ${seen.headers['x-processed-at']} within [${before}, ${afterMs}]`);
      assert.equal(seen.headers['x-api-route'], 'true');
      assert.equal(seen.body, '{}');
      assert.equal(reply.headers['x-wasm-processed'], undefined, 'request headers, not response headers');

      const plain = (await g.request('/other', { headers: { 'x-request-id': 'client-id-9' } })).json();
      assert.equal(plain.headers['x-api-route'], undefined);
      assert.equal(plain.headers['x-wasm-processed'], 'true');
      assert.equal(plain.headers['x-request-id'], 'client-id-9');
    });

    it('turns an upstream 500 into 503 for the client, body and headers untouched; other statuses pass', async () => {
      const reply = await g.request('/status/500');
      assert.equal(reply.status, 503);
      assert.deepEqual(reply.json(), { upstream_status: 500 });
      assert.equal(reply.headers['content-type'], 'application/json');
      assert.equal(reply.headers['content-length'], String(reply.body.length));
      for (const status of [200, 404, 502]) assert.equal((await g.request(`/status/${status}`)).status, status);
    });
  });

  describe('ratelimit (limit 5 per 60 s, one instance)', () => {
    beforeEach(async () => {
      await g.register('ratelimit', example('ratelimit'), ['OnRequest'], { config: { limit: 5, window_ms: 60_000 }, limits: { pool_size: 1 } });
    });

    it('rejects the 6th request of a client (x-forwarded-for) with 429 and keeps serving another client', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await g.request('/v1/models', { headers: { 'x-forwarded-for': '203.0.113.7' } })).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
      const limited = await g.request('/v1/models', { headers: { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' } });
      assert.equal(limited.status, 429, 'the first x-forwarded-for entry identifies the client');
      assert.equal(limited.text, '');
      assert.equal((await g.request('/v1/models', { headers: { 'x-forwarded-for': '198.51.100.1' } })).status, 200, 'another client is served');
    });

    it('identifies a client by its API key (Bearer and x-api-key are one client)', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await g.request('/v1/models', { headers: { authorization: 'Bearer alice' } })).status);
      for (let i = 0; i < 3; i++) statuses.push((await g.request('/v1/models', { headers: { 'x-api-key': 'alice' } })).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
      assert.equal((await g.request('/v1/models', { headers: { 'x-api-key': 'bob' } })).status, 200);
    });

    it('holds under concurrent requests: exactly 5 of 12 pass', async () => {
      const replies = await Promise.all(Array.from({ length: 12 }, () => g.request('/api/x', { headers: { 'x-api-key': 'carol' } })));
      const statuses = replies.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429, 429, 429, 429, 429]);
    });

    it('does not limit requests that carry nothing identifying (each has its own request id)', async () => {
      for (let i = 0; i < 8; i++) assert.equal((await g.request('/v1/models')).status, 200);
    });
  });
});
