// #6: OnResponse as SMG §3.5 (reject keeps headers and body; modify status → headers → body),
// Content-Length recomputed, streaming responses passed through unbuffered (OnResponse skipped as
// SMG does) except for header-only modules ("response_mode": "headers").
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, afterEach, before, describe, it } from 'node:test';
import { request } from 'undici';
import { startTestGateway, type TestGateway } from '../../helpers/gateway-harness.js';
import { echo, startUpstream, type TestUpstream } from '../../helpers/start-upstream.js';

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** An upstream that sends one event, waits for `release`, sends a second and ends. */
function twoEvents(res: ServerResponse, contentType: string, release: Promise<void>): void {
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache' });
  res.write('data: first\n\n');
  void release.then(() => res.end('data: second\n\n'));
}

describe('OnResponse', () => {
  let upstream: TestUpstream;
  let t: TestGateway;
  before(async () => {
    upstream = await startUpstream();
  });
  after(async () => {
    await upstream.close();
  });
  afterEach(async () => {
    upstream.setHandler(echo);
    await t?.close();
  });
  const fresh = async () => (t = await startTestGateway({ upstreams: [upstream.url], persist: false }));

  it('reject sets the status and keeps the current headers and body', async () => {
    await fresh();
    await t.register('deny', { onResponse: { do: 'reject', status: 503 } }, ['OnResponse']);
    await t.register('after', { onResponse: { do: 'modify', set: [['x-after', '1']] } }, ['OnResponse'], { priority: 1 });
    const reply = await t.request('/keep');
    assert.equal(reply.status, 503);
    assert.equal(reply.headers['content-type'], 'application/json');
    assert.equal(reply.json().url, '/keep');
    assert.equal(reply.headers['x-after'], undefined, 'modules after a reject do not run');
  });

  it('modify: status (if 100..999), then headers, then body; Content-Length recomputed', async () => {
    await fresh();
    await t.register('edit', { onResponse: { do: 'modify', status: 201, set: [['x-r', 'one']], add: [['x-r', 'two']], remove: ['content-type'], body: 'replaced body' } }, ['OnResponse']);
    await t.register('bad-status', { onResponse: { do: 'modify', status: 42, set: [['x-seen-status', '$status']] } }, ['OnResponse'], { priority: 1 });
    const reply = await t.request('/m');
    assert.equal(reply.status, 201);
    assert.deepEqual(reply.headers['x-r'], ['one', 'two']);
    assert.equal(reply.headers['content-type'], undefined);
    assert.equal(reply.text, 'replaced body');
    assert.equal(reply.headers['content-length'], String('replaced body'.length));
    assert.equal(reply.headers['x-seen-status'], '201', 'the next module sees the modified status; 42 was ignored');
  });

  it('gives the guest the status, lower-case headers and the buffered body', async () => {
    await fresh();
    await t.register('look', { onResponse: { do: 'continue' } }, ['OnResponse']);
    await t.request('/look');
    const seen = t.loader.named('look')[0]!.responses[0]!;
    assert.equal(seen.status, 200);
    assert.ok(seen.headers.some((h) => h.name === 'content-type' && h.value === 'application/json'));
    assert.equal(JSON.parse(Buffer.from(seen.body).toString()).url, '/look');
  });

  it('answers SMG\'s 500 when the response is over the modules\' max_body_size', async () => {
    await fresh();
    await t.register('tiny', { onResponse: { do: 'continue' } }, ['OnResponse'], { limits: { max_body_size: 8 } });
    const reply = await t.request('/too-big');
    assert.equal(reply.status, 500);
    assert.deepEqual(reply.json(), { error: 'Failed to read response body' });
  });

  it('runs on bodyless responses (HEAD, 204) with an empty body and sends none', async () => {
    await fresh();
    upstream.setHandler((_req, res) => res.writeHead(204, { 'x-up': '1' }).end());
    await t.register('tag', { onResponse: { do: 'modify', set: [['x-tag', 'yes']], body: 'ignored' } }, ['OnResponse']);
    const reply = await t.request('/nothing');
    assert.equal(reply.status, 204);
    assert.equal(reply.headers['x-tag'], 'yes');
    assert.equal(reply.text, '');
  });

  it('HEAD: a module that replaces the body sets the Content-Length a GET would carry; otherwise the upstream\'s is kept', async () => {
    await fresh();
    upstream.setHandler((_req, res) => res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' }).end('hello'));
    await t.register('replace', { onResponse: { do: 'modify', body: 'twelve bytes' } }, ['OnResponse']);
    const replaced = await t.request('/head', { method: 'HEAD' });
    assert.equal(replaced.status, 200);
    assert.equal(replaced.headers['content-length'], '12');
    assert.equal(replaced.text, '');
    const get = await t.request('/head');
    assert.equal(get.headers['content-length'], '12');
    assert.equal(get.text, 'twelve bytes');
    await t.close();
    await fresh();
    upstream.setHandler((_req, res) => res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' }).end('hello'));
    await t.register('headers-only', { onResponse: { do: 'modify', set: [['x-tag', 'yes']] } }, ['OnResponse']);
    const kept = await t.request('/head', { method: 'HEAD' });
    assert.equal(kept.headers['content-length'], '5');
    assert.equal(kept.headers['x-tag'], 'yes');
  });

  it('streams SSE through unbuffered and skips body-mode modules (with SMG\'s warning)', async () => {
    await fresh();
    const release = deferred();
    upstream.setHandler((_req, res) => twoEvents(res, 'text/event-stream; charset=utf-8', release.promise));
    await t.register('body-mode', { onResponse: { do: 'modify', set: [['x-body-mode', 'ran']] } }, ['OnResponse']);
    const res = await request(`${t.url}/v1/chat/completions`, { dispatcher: t.agent, method: 'POST', body: '{"stream":true}' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['x-body-mode'], undefined);
    const iterator = res.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    assert.equal(Buffer.from(first.value).toString(), 'data: first\n\n', 'the first event arrives before the upstream sends the second');
    release.resolve();
    let rest = '';
    for (let chunk = await iterator.next(); !chunk.done; chunk = await iterator.next()) rest += Buffer.from(chunk.value).toString();
    assert.equal(rest, 'data: second\n\n');
    assert.equal(t.loader.named('body-mode')[0]!.responses.length, 0);
    assert.ok(t.logs.find(/^Skipping WASM OnResponse for streaming response/));
  });

  it('detects streaming case-insensitively, for NDJSON, and for bodies without Content-Length', async () => {
    await fresh();
    await t.register('body-mode', { onResponse: { do: 'modify', set: [['x-body-mode', 'ran']] } }, ['OnResponse']);
    for (const contentType of ['Text/Event-Stream', 'application/x-ndjson', 'application/json']) {
      upstream.setHandler((_req, res) => {
        res.writeHead(200, { 'content-type': contentType }); // no content-length: chunked
        res.end('{"a":1}\n');
      });
      const reply = await t.request('/s');
      assert.equal(reply.headers['x-body-mode'], undefined, contentType);
      assert.equal(reply.text, '{"a":1}\n');
    }
  });

  it('runs header-only modules on SSE: status and headers change, the body still streams incrementally', async () => {
    await fresh();
    const release = deferred();
    upstream.setHandler((_req, res) => twoEvents(res, 'text/event-stream', release.promise));
    await t.register('headers-only', { onResponse: { do: 'modify', status: 202, set: [['x-hm', 'yes'], ['content-length', '5']], body: 'ignored' } }, ['OnResponse'], { response_mode: 'headers' });
    const res = await request(`${t.url}/sse`, { dispatcher: t.agent });
    assert.equal(res.statusCode, 202);
    assert.equal(res.headers['x-hm'], 'yes');
    assert.equal(res.headers['content-length'], undefined, 'a header-only module cannot change the framing');
    const iterator = res.body[Symbol.asyncIterator]();
    assert.equal(Buffer.from((await iterator.next()).value).toString(), 'data: first\n\n');
    release.resolve();
    let rest = '';
    for (let chunk = await iterator.next(); !chunk.done; chunk = await iterator.next()) rest += Buffer.from(chunk.value).toString();
    assert.equal(rest, 'data: second\n\n');
    const seen = t.loader.named('headers-only')[0]!.responses[0]!;
    assert.equal(seen.body.byteLength, 0, 'header-only modules see an empty body');
    assert.ok(t.logs.find(/body-replace from a module with response_mode "headers" is ignored/));
  });

  it('runs header-only modules on buffered responses without buffering for them', async () => {
    await fresh();
    await t.register('headers-only', { onResponse: { do: 'reject', status: 418 } }, ['OnResponse'], { response_mode: 'headers' });
    const reply = await t.request('/plain');
    assert.equal(reply.status, 418);
    assert.equal(reply.json().url, '/plain', 'the body passes through');
    assert.equal(t.loader.named('headers-only')[0]!.responses[0]!.body.byteLength, 0);
  });

  it('fail-closed OnResponse module: 500 JSON instead of the upstream response', async () => {
    await fresh();
    await t.register('strict', { onResponse: { do: 'fail', kind: 'memory' } }, ['OnResponse'], { fail_open: false });
    const reply = await t.request('/x');
    assert.equal(reply.status, 500);
    assert.equal(reply.json().error.code, 'WG_ERR_GUEST_MEMORY');
  });
});
