// #6 end to end with real components (build/guests/components, built from source) through the
// real loader: chain order by priority, Content-Length after body-replace on both sides, hostile
// guests (trap, endless loop, memory bomb) skipped fail-open or answered 500 fail-closed while the
// gateway keeps serving, and components refused at registration (wrong world, core module).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { rawRequest } from '../../../helpers/gateway-raw-http.js';
import { guestPath } from '../../../helpers/guests.js';
import { echo, startUpstream, type TestUpstream } from '../../../helpers/start-upstream.js';
import { component, descriptor, example, removeAll, startRealGateway, type RealGateway } from './real-gateway.js';

const KEY = 'chain-key';

describe('real components: chain, framing, faults, refusals', () => {
  let upstream: TestUpstream;
  let g: RealGateway;
  before(async () => {
    upstream = await startUpstream();
    g = await startRealGateway({ upstreams: [upstream.url] });
  });
  after(async () => {
    await g.close();
    await upstream.close();
  });
  beforeEach(async () => {
    await removeAll(g);
  });

  describe('chain order', () => {
    // echo: headers-set x-body-len (the body it was given) and x-header-count, headers-add the
    // headers it was given, body-replace the body it was given. modify-request: headers-set
    // x-set, headers-add x-add ×2, headers-remove x-remove-me, body-replace "replaced body".
    const send = () =>
      g.request('/v1/order', { method: 'POST', headers: { 'content-type': 'text/plain', 'x-remove-me': 'r' }, body: 'the original body' });

    it('runs modules by ascending priority, not registration order: modify-request (0) then echo (1)', async () => {
      await g.register('echo', component('echo'), ['OnRequest'], { priority: 1 });
      await g.register('modify-request', component('modify-request'), ['OnRequest'], { priority: 0 });
      const listed = (await g.admin('/wasm')).json().modules.map((m: any) => m.module_meta.name);
      assert.deepEqual(listed, ['modify-request', 'echo'], 'GET /wasm lists modules in execution order');
      const seen = (await send()).json();
      assert.equal(seen.body, 'replaced body', 'echo replaced the body with what it was given: modify-request ran first');
      assert.equal(seen.headers['x-body-len'], String('replaced body'.length));
      // echo headers-adds what it was given, so modify-request's headers arrive twice.
      assert.equal(seen.headers['x-set'], 'one, one');
      assert.equal(seen.headers['x-add'], 'two, three, two, three');
      assert.equal(seen.headers['x-remove-me'], undefined, 'removed before echo saw the headers');
    });

    it('the other way round: echo (0) then modify-request (1)', async () => {
      await g.register('modify-request', component('modify-request'), ['OnRequest'], { priority: 1 });
      await g.register('echo', component('echo'), ['OnRequest'], { priority: 0 });
      const seen = (await send()).json();
      assert.equal(seen.body, 'replaced body');
      assert.equal(seen.headers['x-body-len'], String('the original body'.length), 'echo saw the client body: it ran first');
      assert.equal(seen.headers['x-remove-me'], undefined, 'modify-request ran after echo re-added the header');
    });

    it('same priority: registration order; a reject stops the chain before later modules (auth then modify-request)', async () => {
      await g.register('auth', example('auth'), ['OnRequest'], { config: { api_key: KEY } });
      await g.register('modify-request', component('modify-request'), ['OnRequest']);
      assert.equal((await g.request('/v1/x')).status, 401);
      assert.equal((await g.listed('modify-request')).metrics.total_executions, 0, 'modify-request never ran after the reject');
      const ok = await g.request('/v1/x', { headers: { authorization: `Bearer ${KEY}` } });
      assert.equal(ok.status, 200);
      assert.equal(ok.json().body, 'replaced body');
      assert.equal((await g.listed('modify-request')).metrics.total_executions, 1);
    });

    it('modify-request (priority -1) before auth (0): its edits happen even on rejected requests', async () => {
      await g.register('auth', example('auth'), ['OnRequest'], { config: { api_key: KEY } });
      await g.register('modify-request', component('modify-request'), ['OnRequest'], { priority: -1 });
      assert.equal((await g.request('/v1/x')).status, 401);
      assert.equal((await g.listed('modify-request')).metrics.total_executions, 1, 'modify-request ran before auth rejected');
    });
  });

  describe('Content-Length after body-replace', () => {
    it('the upstream reads exactly the new request body with a matching Content-Length', async () => {
      await g.register('modify-request', component('modify-request'), ['OnRequest']);
      for (const body of ['x'.repeat(5000), '', 'short']) {
        const reply = await g.request('/cl', { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
        assert.equal(reply.status, 200);
        const received = upstream.received.at(-1)!;
        assert.equal(received.body.toString(), 'replaced body');
        assert.equal(received.headers['content-length'], String('replaced body'.length), `client body of ${body.length} bytes`);
        assert.equal(received.headers['transfer-encoding'], undefined);
      }
      // A chunked client body too.
      const chunked = await rawRequest(Number(new URL(g.url).port), ['POST /cl HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked', 'Connection: close'], '4\r\nabcd\r\n0\r\n\r\n');
      assert.equal(chunked.status, 200);
      assert.equal(upstream.received.at(-1)!.headers['content-length'], '13');
      assert.equal(upstream.received.at(-1)!.body.toString(), 'replaced body');
    });

    it('the client gets the replaced response body with its own Content-Length (checked on the wire)', async () => {
      await g.register('modify-response', component('modify-response'), ['OnResponse']);
      const reply = await g.request('/cr?pad=' + 'p'.repeat(300));
      assert.equal(reply.status, 503);
      assert.equal(reply.text, 'service unavailable');
      assert.equal(reply.headers['content-length'], String('service unavailable'.length));
      assert.equal(reply.headers['x-modified'], 'yes');
      const raw = await rawRequest(Number(new URL(g.url).port), ['GET /cr HTTP/1.1', 'Host: x', 'Connection: close']);
      assert.equal(raw.status, 503);
      assert.deepEqual(raw.headers.filter(([n]) => n === 'content-length'), [['content-length', '19']]);
      assert.equal(raw.headers.find(([n]) => n === 'transfer-encoding'), undefined);
      assert.equal(raw.body, 'service unavailable', 'exactly the declared bytes, nothing of the upstream body');
    });

    it('an upstream 204 turned into 503 with a body by modify-response is sent with that body and its length', async () => {
      await g.register('modify-response', component('modify-response'), ['OnResponse']);
      upstream.setHandler((_req, res) => res.writeHead(204, { 'x-up': '1' }).end());
      try {
        const raw = await rawRequest(Number(new URL(g.url).port), ['GET /nothing HTTP/1.1', 'Host: x', 'Connection: close']);
        assert.equal(raw.status, 503);
        assert.deepEqual(raw.headers.filter(([n]) => n === 'content-length'), [['content-length', '19']]);
        assert.equal(raw.headers.find(([n]) => n === 'transfer-encoding'), undefined);
        assert.equal(raw.body, 'service unavailable');
      } finally {
        upstream.setHandler(echo);
      }
    });
  });

  describe('hostile guests', () => {
    it('a trapping module is skipped fail-open: the request reaches the upstream', async () => {
      await g.register('trap', component('trap'), ['OnRequest']);
      const seen = upstream.received.length;
      const reply = await g.request('/trap', { method: 'POST', body: 'payload' });
      assert.equal(reply.status, 200);
      assert.equal(reply.json().body, 'payload');
      assert.equal(upstream.received.length, seen + 1);
      assert.ok(g.logs.find(/^Failed to execute WASM module trap: /), 'SMG-style error log');
      const listed = await g.listed('trap');
      assert.equal(listed.metrics.failed_executions, 1);
      assert.equal(listed.metrics.failures_by_kind.trap, 1);
      assert.equal((await g.request('/trap-again')).status, 200, 'the replaced instance keeps failing open');
    });

    it('with fail_open:false a trapping module answers 500 JSON and the upstream is not called', async () => {
      await g.register('trap', component('trap'), ['OnRequest'], { fail_open: false });
      const seen = upstream.received.length;
      const reply = await g.request('/trap');
      assert.equal(reply.status, 500);
      const body = reply.json();
      assert.equal(body.error.code, 'WG_ERR_GUEST_TRAP');
      assert.match(body.error.message, /^module trap failed: /);
      assert.equal(reply.headers['content-length'], String(reply.body.length));
      assert.equal(upstream.received.length, seen);
    });

    it('an endless loop with max_execution_time_ms 100 is cut at the deadline and skipped; the gateway keeps serving', async (t) => {
      await g.register('loop', component('infinite-loop'), ['OnRequest'], { limits: { max_execution_time_ms: 100 } });
      const timings: number[] = [];
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const reply = await g.request(`/loop/${i}`);
        timings.push(performance.now() - started);
        assert.equal(reply.status, 200, 'skipped fail-open');
      }
      const listed = await g.listed('loop');
      assert.equal(listed.metrics.failures_by_kind.timeout, 3);
      const guestMs = listed.metrics.max_execution_time_us / 1000;
      t.diagnostic(`looping requests: ${timings.map((ms) => ms.toFixed(1)).join(', ')} ms; longest guest call ${guestMs.toFixed(1)} ms`);
      assert.ok(guestMs >= 100 && guestMs < 150, `the guest call was stopped after ${guestMs.toFixed(1)} ms`);
      // Whole request (proxy + upstream included); generous for a shared 2-core machine.
      assert.ok(Math.min(...timings) < 150, `fastest looping request took ${Math.min(...timings).toFixed(1)} ms (${timings.map((t) => t.toFixed(0)).join(', ')})`);
      assert.ok(Math.max(...timings) < 400, `slowest looping request took ${Math.max(...timings).toFixed(1)} ms`);

      // Concurrent requests while the module loops: all are served. Guests run on the gateway's
      // thread, so the four calls take their deadlines one after another.
      const batchStarted = performance.now();
      const replies = await Promise.all(Array.from({ length: 4 }, (_, i) => g.request(`/loop/c${i}`)));
      assert.deepEqual(replies.map((r) => r.status), [200, 200, 200, 200]);
      t.diagnostic(`4 concurrent looping requests served in ${(performance.now() - batchStarted).toFixed(0)} ms`);
      assert.equal((await g.request('/health')).status, 200);
      await removeAll(g);
      const started = performance.now();
      assert.equal((await g.request('/after-loop')).status, 200);
      assert.ok(performance.now() - started < 100, 'no lingering cost once the module is gone');
    });

    it('a memory bomb stops at max_memory_pages and is skipped; fail-closed answers 500', async () => {
      await g.register('bomb', component('memory-bomb'), ['OnRequest'], { limits: { max_memory_pages: 64 } });
      const reply = await g.request('/bomb');
      assert.equal(reply.status, 200);
      const listed = await g.listed('bomb');
      assert.equal(listed.metrics.failures_by_kind.memory, 1);
      assert.equal((await g.request('/bomb-2')).status, 200, 'the next call gets a fresh instance');
      await removeAll(g);
      await g.register('bomb', component('memory-bomb'), ['OnRequest'], { limits: { max_memory_pages: 64 }, fail_open: false });
      const closed = await g.request('/bomb');
      assert.equal(closed.status, 500);
      assert.equal(closed.json().error.code, 'WG_ERR_GUEST_MEMORY');
    });
  });

  describe('refused at registration', () => {
    it('a component of the wrong world: add_result Error, 400, nothing registered', async () => {
      const reply = await g.addModules([descriptor('wrong', component('wrong-world'), ['OnRequest'])]);
      assert.equal(reply.status, 400);
      const error = reply.json().modules[0].add_result.Error as string;
      assert.match(error, /^Workflow failed at step validate_wasm_component: Step failed: validate_wasm_component - Invalid WASM component: /);
      assert.match(error, /smg:gateway/);
      assert.deepEqual((await g.admin('/wasm')).json().modules, []);
    });

    it('a core module: add_result Error with SMG hint', async () => {
      const reply = await g.addModules([descriptor('core', guestPath('test-core', 'allow'), ['OnRequest'])]);
      assert.equal(reply.status, 400);
      const error = reply.json().modules[0].add_result.Error as string;
      assert.match(error, /Invalid WASM component: .*core module/);
      assert.match(error, /wasm-tools component new/);
    });

    it('a mixed batch registers the good one and refuses the others; PUT refuses a wrong world too', async () => {
      const reply = await g.addModules([
        descriptor('wrong', component('wrong-world'), ['OnRequest']),
        descriptor('good', component('continue'), ['OnRequest']),
        descriptor('sig', component('wrong-signature'), ['OnRequest']),
      ]);
      assert.equal(reply.status, 400);
      const results = reply.json().modules.map((m: any) => Object.keys(m.add_result)[0]);
      assert.deepEqual(results, ['Error', 'Success', 'Error']);
      assert.deepEqual((await g.admin('/wasm')).json().modules.map((m: any) => m.module_meta.name), ['good']);
      const put = await g.put('wrong', component('wrong-world'));
      assert.ok(put.status >= 400 && put.status < 500, `PUT answered ${put.status}`);
      assert.match(put.json().error.code, /^WG_ERR_MODULE_/);
      assert.equal((await g.request('/still-fine')).status, 200);
    });
  });
});
