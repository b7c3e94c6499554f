// #6: the reverse proxy: RFC 9110 hop-by-hop fields removed, X-Forwarded-*, bodies streamed when
// no module needs them, 502/504 as JSON errors, client aborts reach the upstream, round-robin with
// passive health (failover), and OnError modules shaping gateway errors.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, afterEach, before, describe, it } from 'node:test';
import { request } from 'undici';
import { rawRequest } from '../../helpers/gateway-raw-http.js';
import { gatewaySuite, startTestGateway, type TestGateway } from '../../helpers/gateway-harness.js';
import { closedPort, echo, startUpstream, type TestUpstream } from '../../helpers/start-upstream.js';

describe('proxying', () => {
  const { gateway: t, upstream } = gatewaySuite({ persist: false });
  afterEach(() => upstream.setHandler(echo));

  it('removes hop-by-hop request fields, including those Connection lists', async () => {
    const port = Number(new URL(t.url).port);
    const reply = await rawRequest(port, [
      'GET /hop?x=1 HTTP/1.1',
      'Host: front.example',
      'Connection: close, X-Hop',
      'X-Hop: secret',
      'Keep-Alive: timeout=5',
      'Proxy-Authorization: Basic abc',
      'TE: trailers',
      'Upgrade: websocket',
      'X-Kept: yes',
    ]);
    assert.equal(reply.status, 200);
    const seen = upstream.received.at(-1)!;
    assert.equal(seen.url, '/hop?x=1');
    for (const name of ['x-hop', 'keep-alive', 'proxy-authorization', 'te', 'upgrade']) assert.equal(seen.headers[name], undefined, name);
    assert.equal(seen.headers['x-kept'], 'yes');
  });

  it('removes hop-by-hop response fields', async () => {
    upstream.setHandler((_req, res) => {
      res.setHeader('connection', 'keep-alive, x-resp-hop');
      res.setHeader('x-resp-hop', '1');
      res.setHeader('proxy-authenticate', 'Basic');
      res.setHeader('trailer', 'x-t');
      res.setHeader('x-kept', 'yes');
      res.end('ok');
    });
    const reply = await t.request('/hop-res');
    assert.equal(reply.text, 'ok');
    for (const name of ['x-resp-hop', 'proxy-authenticate', 'trailer']) assert.equal(reply.headers[name], undefined, name);
    assert.equal(reply.headers['x-kept'], 'yes');
  });

  it('appends X-Forwarded-For and sets X-Forwarded-Proto, X-Forwarded-Host and X-Request-Id', async () => {
    const reply = await t.request('/fwd', { headers: { 'x-forwarded-for': '10.0.0.1', 'x-request-id': 'fwd-1' } });
    const seen = upstream.received.at(-1)!;
    assert.equal(seen.headers['x-forwarded-for'], '10.0.0.1, 127.0.0.1');
    assert.equal(seen.headers['x-forwarded-proto'], 'http');
    assert.equal(seen.headers['x-forwarded-host'], new URL(t.url).host);
    assert.equal(seen.headers['x-request-id'], 'fwd-1');
    assert.equal(reply.headers['x-request-id'], 'fwd-1');
  });

  it('streams a request body through when no OnRequest module needs it', async () => {
    const body = new PassThrough();
    body.write('part-1|');
    const pending = request(`${t.url}/upload`, { dispatcher: t.agent, method: 'POST', body, headers: { 'content-type': 'text/plain' } });
    const arrived = await upstream.nextRequest();
    assert.equal(arrived.url, '/upload', 'the upstream sees the request before the client finished its body');
    body.end('part-2');
    const res = await pending;
    assert.equal(JSON.parse(await res.body.text()).body, 'part-1|part-2');
  });

  it('aborts the upstream request when the client goes away', async () => {
    upstream.setHandler(() => {}); // never answers
    const controller = new AbortController();
    const pending = t.request('/hang', { signal: controller.signal }).catch((err: Error) => err);
    const arrived = await upstream.nextRequest();
    controller.abort();
    assert.deepEqual(await arrived.closed, { aborted: true });
    assert.equal(((await pending) as Error).name, 'AbortError');
  });
});

describe('upstream failures', () => {
  let t: TestGateway;
  afterEach(async () => {
    await t?.close();
  });

  it('502 JSON when no upstream accepts the connection', async () => {
    t = await startTestGateway({ upstreams: [`http://127.0.0.1:${await closedPort()}`], persist: false });
    const reply = await t.request('/v1/models', { headers: { 'x-request-id': 'down-1' } });
    assert.equal(reply.status, 502);
    assert.equal(reply.headers['content-type'], 'application/json');
    assert.equal(reply.headers['x-request-id'], 'down-1');
    const body = reply.json();
    assert.equal(body.error.code, 'WG_ERR_UPSTREAM_UNREACHABLE');
    assert.match(body.error.message, /ECONNREFUSED/);
  });

  it('504 JSON when the upstream is slower than --upstream-timeout-ms', async () => {
    const slow = await startUpstream(() => {}); // never answers
    try {
      t = await startTestGateway({ upstreams: [slow.url], persist: false, gateway: { upstreamTimeoutMs: 150 } });
      const reply = await t.request('/slow');
      assert.equal(reply.status, 504);
      assert.equal(reply.json().error.code, 'WG_ERR_UPSTREAM_TIMEOUT');
    } finally {
      await t.close();
      await slow.close();
    }
  });

  it('OnError modules see the error as a response and may modify it', async () => {
    t = await startTestGateway({ upstreams: [`http://127.0.0.1:${await closedPort()}`], persist: false });
    await t.register('pass', { version: 'pass', onResponse: { do: 'continue' } }, ['OnError']);
    await t.register('shape', { version: 'shape', onResponse: { do: 'modify', status: 503, set: [['x-err', 'shaped'], ['content-type', 'text/plain']], body: 'try again later' } }, ['OnError'], { priority: 1 });
    const reply = await t.request('/x');
    assert.equal(reply.status, 503);
    assert.equal(reply.headers['x-err'], 'shaped');
    assert.equal(reply.text, 'try again later');
    assert.equal(reply.headers['content-length'], String('try again later'.length));
    const seen = t.loader.named('pass')[0]!.responses[0]!;
    assert.equal(seen.status, 502);
    assert.ok(seen.headers.some((h) => h.name === 'content-type' && h.value === 'application/json'));
    assert.equal(JSON.parse(Buffer.from(seen.body).toString()).error.code, 'WG_ERR_UPSTREAM_UNREACHABLE');
  });

  it('OnError runs when a fail-closed module fails; reject keeps the error body; a failing OnError module is skipped', async () => {
    const upstream = await startUpstream();
    try {
      t = await startTestGateway({ upstreams: [upstream.url], persist: false });
      await t.register('strict', { version: 'strict', onRequest: { do: 'fail', kind: 'trap' } }, ['OnRequest'], { fail_open: false });
      await t.register('broken', { version: 'broken', onResponse: { do: 'fail', kind: 'trap' } }, ['OnError'], { fail_open: false });
      await t.register('limit', { version: 'limit', onResponse: { do: 'reject', status: 429 } }, ['OnError'], { priority: 1 });
      const reply = await t.request('/x');
      assert.equal(reply.status, 429);
      assert.equal(reply.json().error.code, 'WG_ERR_GUEST_TRAP');
      assert.equal(upstream.received.length, 0);
    } finally {
      await t.close();
      await upstream.close();
    }
  });
});

describe('several upstreams', () => {
  const upstreams: TestUpstream[] = [];
  let t: TestGateway;
  before(async () => {
    for (const name of ['a', 'b']) {
      upstreams.push(
        await startUpstream((_req, res) => {
          res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '1' }).end(name);
        }),
      );
    }
  });
  after(async () => {
    await Promise.all(upstreams.map((u) => u.close()));
  });
  afterEach(async () => {
    await t?.close();
  });

  it('balances round-robin', async () => {
    t = await startTestGateway({ upstreams: upstreams.map((u) => u.url), persist: false });
    const order: string[] = [];
    for (let i = 0; i < 6; i++) order.push((await t.request('/rr')).text);
    assert.deepEqual(order, ['a', 'b', 'a', 'b', 'a', 'b']);
  });

  it('fails over from an upstream that refuses connections and then skips it while it cools down', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    t = await startTestGateway({ upstreams: [dead, upstreams[0]!.url], persist: false, gateway: { upstreamCooldownMs: 60_000 } });
    const before = upstreams[0]!.received.length;
    for (let i = 0; i < 6; i++) {
      const reply = await t.request('/fo');
      assert.equal(reply.status, 200);
      assert.equal(reply.text, 'a');
    }
    assert.equal(upstreams[0]!.received.length - before, 6);
    const metrics = (await t.admin('/metrics')).text;
    assert.match(metrics, new RegExp(`wasmgate_upstream_errors_total\\{upstream="${dead.replace(/[.]/g, '\\.')}",kind="unreachable"\\} 1\\n`));
    assert.match(metrics, /wasmgate_upstreams_healthy 1\n/);
  });

  it('replays a buffered body on the next upstream', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    t = await startTestGateway({ upstreams: [dead, upstreams[1]!.url], persist: false });
    await t.register('buffer', { onRequest: { do: 'continue' } }, ['OnRequest']);
    const reply = await t.request('/post', { method: 'POST', body: 'payload' });
    assert.equal(reply.status, 200);
    assert.equal(reply.text, 'b');
    assert.equal(upstreams[1]!.received.at(-1)!.body.toString(), 'payload');
  });
});
