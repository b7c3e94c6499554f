// #6: OnRequest semantics as SMG §3.3/§3.4 (record, continue, reject, modify order), plus
// wasmgate's: deterministic order, Content-Length recomputed, warn logs for skipped header edits,
// per-module fail-open/closed, 413 for oversized bodies.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, afterEach, before, describe, it } from 'node:test';
import { startTestGateway, type TestGateway } from '../../helpers/gateway-harness.js';
import { startUpstream, type TestUpstream } from '../../helpers/start-upstream.js';

describe('OnRequest', () => {
  let upstream: TestUpstream;
  let t: TestGateway;
  before(async () => {
    upstream = await startUpstream();
  });
  after(async () => {
    await upstream.close();
  });
  afterEach(async () => {
    await t?.close();
  });
  const fresh = async (gateway = {}) => (t = await startTestGateway({ upstreams: [upstream.url], persist: false, gateway }));

  it('gives the guest SMG request record: method, raw path, query without ?, lower-case headers one per value, body, request id, clock', async () => {
    await fresh();
    await t.register('rec', { onRequest: { do: 'record' } }, ['OnRequest']);
    const before = Date.now();
    const reply = await t.request('/v1/a%2Fb?b=2&a=%20x', {
      method: 'POST',
      headers: { 'X-Multi': ['one', 'two'], 'X-Request-Id': 'client-id-1', 'content-type': 'text/plain' },
      body: 'hello',
    });
    assert.equal(reply.status, 200);
    const record = JSON.parse(reply.json().body);
    assert.equal(record.method, 'POST');
    assert.equal(record.path, '/v1/a%2Fb');
    assert.equal(record.query, 'b=2&a=%20x');
    assert.deepEqual(record.headers.filter((h: { name: string }) => h.name === 'x-multi'), [
      { name: 'x-multi', value: 'one' },
      { name: 'x-multi', value: 'two' },
    ]);
    assert.ok(record.headers.every((h: { name: string }) => h.name === h.name.toLowerCase()));
    assert.equal(record.body, 'hello');
    assert.equal(record.requestId, 'client-id-1');
    assert.ok(record.nowEpochMs >= before && record.nowEpochMs <= Date.now());
    assert.equal(reply.headers['x-request-id'], 'client-id-1');
  });

  it('shows an empty query for a bare trailing ? and no query', async () => {
    await fresh();
    await t.register('rec', { onRequest: { do: 'record' } }, ['OnRequest']);
    assert.equal(JSON.parse((await t.request('/q?')).json().body).query, '');
    assert.equal(JSON.parse((await t.request('/q')).json().body).query, '');
  });

  it('generates SMG-style request ids by path suffix when no id header is usable', async () => {
    await fresh();
    await t.register('rec', { onRequest: { do: 'record' } }, ['OnRequest']);
    const cases: Array<[string, RegExp]> = [
      ['/v1/chat/completions', /^chatcmpl-[A-Za-z0-9]{24}$/],
      ['/v1/completions', /^cmpl-[A-Za-z0-9]{24}$/],
      ['/generate', /^gnt-[A-Za-z0-9]{24}$/],
      ['/v1/responses', /^resp-[A-Za-z0-9]{24}$/],
      ['/v1/messages', /^msg_[A-Za-z0-9]{24}$/],
      ['/v1/embeddings', /^req-[A-Za-z0-9]{24}$/],
    ];
    for (const [path, pattern] of cases) {
      const reply = await t.request(path, { method: 'POST', body: '{}' });
      const id = String(reply.headers['x-request-id']);
      assert.match(id, pattern, path);
      assert.equal(JSON.parse(reply.json().body).requestId, id);
      assert.equal(upstream.received.at(-1)!.headers['x-request-id'], id, 'the upstream gets the same id');
    }
    const correlated = await t.request('/x', { headers: { 'x-correlation-id': 'corr-7' } });
    assert.equal(correlated.headers['x-request-id'], 'corr-7');
  });

  it('takes the request id from --request-id-headers in order', async () => {
    await fresh({ requestIdHeaders: ['x-trace', 'x-other'] });
    const reply = await t.request('/x', { headers: { 'x-other': 'other-1', 'x-trace': 'trace-1', 'x-request-id': 'ignored' } });
    assert.equal(reply.headers['x-request-id'], 'trace-1');
  });

  it('reject answers at once: that status, empty body, no upstream call, later modules skipped', async () => {
    await fresh();
    await t.register('deny', { onRequest: { do: 'reject', status: 401 } }, ['OnRequest']);
    await t.register('later', { onRequest: { do: 'record' } }, ['OnRequest']);
    const calls = upstream.received.length;
    const reply = await t.request('/v1/chat/completions', { method: 'POST', body: '{}', headers: { 'x-request-id': 'rid-1' } });
    assert.equal(reply.status, 401);
    assert.equal(reply.text, '');
    assert.equal(reply.headers['content-length'], '0');
    assert.equal(reply.headers['content-type'], undefined);
    assert.equal(reply.headers['x-request-id'], 'rid-1');
    assert.equal(upstream.received.length, calls);
    assert.equal(t.loader.named('later')[0]!.requests.length, 0);
  });

  it('reject codes outside 100..999 become 400; a 1xx becomes 500; reject(200) is an empty 200', async () => {
    for (const [code, expected] of [[42, 400], [1000, 400], [100, 500], [200, 200], [599, 599]] as const) {
      await fresh();
      await t.register('deny', { onRequest: { do: 'reject', status: code } }, ['OnRequest']);
      const reply = await t.request('/x');
      assert.equal(reply.status, expected, `reject(${code})`);
      assert.equal(reply.text, '');
      await t.close();
    }
  });

  it('modify applies headers-set, then headers-add, then headers-remove, then body-replace; Content-Length follows the body', async () => {
    await fresh();
    await t.register(
      'edit',
      { onRequest: { do: 'modify', status: 299, set: [['x-a', 'set'], ['x-b', 'b1']], add: [['x-a', 'added'], ['x-b', 'b2']], remove: ['x-gone', 'X-B'], body: 'a longer body' } },
      ['OnRequest'],
    );
    const reply = await t.request('/edit', { method: 'POST', headers: { 'x-a': 'original', 'x-gone': '1', 'content-type': 'text/plain' }, body: 'hello' });
    assert.equal(reply.status, 200, 'status in an OnRequest modify is ignored');
    const seen = upstream.received.at(-1)!;
    assert.equal(seen.headers['x-a'], 'set, added');
    assert.equal(seen.headers['x-b'], undefined);
    assert.equal(seen.headers['x-gone'], undefined);
    assert.equal(seen.body.toString(), 'a longer body');
    assert.equal(seen.headers['content-length'], String(Buffer.byteLength('a longer body')));
  });

  it('skips invalid header names and values from a guest, with a warning', async () => {
    await fresh();
    await t.register('sloppy', { onRequest: { do: 'modify', set: [['bad name', 'v'], ['x-ok', 'fine'], ['x-ctl', 'a\u0001b'], ['x-utf', 'café']] } }, ['OnRequest']);
    await t.request('/h');
    const seen = upstream.received.at(-1)!;
    assert.equal(seen.headers['x-ok'], 'fine');
    assert.equal(seen.headers['x-ctl'], undefined);
    assert.equal(seen.headers['x-utf'], undefined);
    const warnings = t.logs.lines.filter((l) => l.level === 40 && /edit skipped/.test(String(l.msg)));
    assert.equal(warnings.length, 3);
    assert.ok(warnings.some((w) => w.header === 'bad name'));
  });

  it('runs modules in ascending priority, then registration order; each sees the previous changes', async () => {
    await fresh();
    await t.register('a', { version: 'a', onRequest: { do: 'modify', add: [['x-order', 'a']] } }, ['OnRequest'], { priority: 5 });
    await t.register('b', { version: 'b', onRequest: { do: 'modify', add: [['x-order', 'b']] } }, ['OnRequest'], { priority: -1 });
    await t.register('c', { version: 'c', onRequest: { do: 'modify', add: [['x-order', 'c']] } }, ['OnRequest'], { priority: 5 });
    await t.register('last', { version: 'last', onRequest: { do: 'record' } }, ['OnRequest'], { priority: 100 });
    for (let i = 0; i < 3; i++) {
      const reply = await t.request('/order');
      const record = JSON.parse(reply.json().body);
      assert.deepEqual(record.headers.filter((h: { name: string }) => h.name === 'x-order').map((h: { value: string }) => h.value), ['b', 'a', 'c']);
    }
  });

  it('skips a module attached to OnRequest that does not export on-request', async () => {
    await fresh();
    await t.register('resp-only', { exports: ['onResponse'] }, ['OnRequest']);
    const reply = await t.request('/x');
    assert.equal(reply.status, 200);
    assert.equal((await t.admin('/wasm')).json().metrics.failed_executions, 0);
  });

  it('fail-open (default, as SMG): a failing module is logged and skipped', async () => {
    await fresh();
    await t.register('crash', { onRequest: { do: 'fail', kind: 'trap' } }, ['OnRequest']);
    const reply = await t.request('/x');
    assert.equal(reply.status, 200);
    assert.ok(t.logs.find(/^Failed to execute WASM module crash: /));
    const listed = (await t.admin('/wasm')).json();
    assert.equal(listed.metrics.failed_executions, 1);
    assert.equal(listed.modules[0].metrics.failures_by_kind.trap, 1);
  });

  it('fail-closed ("fail_open": false): a failing module answers 500 JSON and nothing reaches the upstream', async () => {
    await fresh();
    await t.register('strict', { onRequest: { do: 'fail', kind: 'timeout' } }, ['OnRequest'], { fail_open: false });
    const calls = upstream.received.length;
    const reply = await t.request('/x', { headers: { 'x-request-id': 'closed-1' } });
    assert.equal(reply.status, 500);
    assert.equal(reply.headers['content-type'], 'application/json');
    const body = reply.json();
    assert.equal(body.error.code, 'WG_ERR_GUEST_TIMEOUT');
    assert.match(body.error.message, /strict/);
    assert.equal(reply.headers['x-request-id'], 'closed-1');
    assert.equal(upstream.received.length, calls);
  });

  it('413 with SMG\'s error body when the body is over the modules\' max_body_size; no module or upstream runs', async () => {
    await fresh();
    await t.register('small', { onRequest: { do: 'record' } }, ['OnRequest'], { limits: { max_body_size: 16 } });
    const calls = upstream.received.length;
    const over = await t.request('/big', { method: 'POST', body: 'x'.repeat(17) });
    assert.equal(over.status, 413);
    assert.deepEqual(over.json(), { error: 'Failed to read request body: length limit exceeded' });
    const chunked = await t.request('/big', { method: 'POST', body: Readable.from([Buffer.from('x'.repeat(10)), Buffer.from('y'.repeat(10))]) });
    assert.equal(chunked.status, 413);
    assert.equal(upstream.received.length, calls);
    assert.equal(t.loader.named('small')[0]!.requests.length, 0);
    const fits = await t.request('/big', { method: 'POST', body: 'x'.repeat(16) });
    assert.equal(fits.status, 200);
  });
});
