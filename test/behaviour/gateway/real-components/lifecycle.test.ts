// #6 end to end with real components: hot replace (PUT /wasm/{name}) while requests run, restart
// persistence (a new gateway on the same data dir lists and runs the same components with their
// config and limits), and per-module metrics in GET /wasm and GET /metrics.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startUpstream, type TestUpstream } from '../../../helpers/start-upstream.js';
import { component, example, startRealGateway, type RealGateway } from './real-gateway.js';

const KEY = 'lifecycle-key';

describe('real components: hot replace, restart, metrics', () => {
  let upstream: TestUpstream;
  before(async () => {
    upstream = await startUpstream();
  });
  after(async () => {
    await upstream.close();
  });

  it('hot replace under load: PUT new versions while requests run; no request fails, each sees exactly one version', async () => {
    const g = await startRealGateway({ upstreams: [upstream.url] });
    try {
      await g.register('auth', example('auth'), ['OnRequest'], { config: { api_key: KEY } });
      // v1 counter (upstream sees x-count), v2 logging (x-wasm-processed), v3 counter again.
      const created = await g.put('mw', component('counter'), 'attach=OnRequest&priority=1');
      assert.equal(created.status, 201);
      const versions = [component('counter'), example('logging'), component('counter')];
      const markerOf = (headers: Record<string, string>): number[] => [headers['x-count'] !== undefined ? 1 : 0, headers['x-wasm-processed'] !== undefined ? 2 : 0].filter(Boolean);

      let phase = 0; // index of the version whose PUT has returned
      let stop = false;
      const failures: string[] = [];
      const outcomes: Array<{ startedInPhase: number; marker: number }> = [];
      let completed = 0;
      const waiters: Array<{ count: number; resolve: () => void }> = [];
      const whenCompleted = (count: number) => new Promise<void>((resolve) => waiters.push({ count, resolve }));
      const worker = async (id: number) => {
        for (let i = 0; !stop; i++) {
          const startedInPhase = phase;
          try {
            const reply = await g.request(`/v1/load/${id}/${i}`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'text/plain' }, body: `w${id}-${i}` });
            if (reply.status !== 200) {
              failures.push(`${reply.status} ${reply.text}`);
              continue;
            }
            const seen = reply.json();
            if (seen.body !== `w${id}-${i}`) failures.push(`body ${seen.body}`);
            const marker = markerOf(seen.headers);
            if (marker.length !== 1) failures.push(`markers ${JSON.stringify(marker)}`);
            outcomes.push({ startedInPhase, marker: marker[0] ?? 0 });
          } catch (err) {
            failures.push(String(err));
          }
          completed++;
          for (const w of waiters.filter((w) => completed >= w.count)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve();
          }
        }
      };
      const workers = Array.from({ length: 8 }, (_, id) => worker(id));
      const replacedUuids: string[] = [created.json().module_uuid];
      for (let v = 1; v < versions.length; v++) {
        await whenCompleted(completed + 60);
        const put = await g.put('mw', versions[v]!);
        assert.equal(put.status, 200, put.text);
        assert.equal(put.json().result, 'replaced');
        assert.equal(put.json().replaced_module_uuid, replacedUuids.at(-1));
        replacedUuids.push(put.json().module_uuid);
        phase = v;
      }
      await whenCompleted(completed + 60);
      stop = true;
      await Promise.all(workers);

      assert.deepEqual(failures, [], 'zero failed requests');
      assert.ok(outcomes.length >= 240, `${outcomes.length} requests`);
      const expected = [1, 2, 1];
      for (let v = 0; v < versions.length; v++) {
        const after = outcomes.filter((o) => o.startedInPhase === v);
        assert.ok(after.length > 0, `requests ran in phase ${v}`);
        // Requests started once PUT v returned run on version v or a later one.
        const laterMarkers = new Set(expected.slice(v));
        assert.ok(after.every((o) => laterMarkers.has(o.marker)), `phase ${v}: markers ${JSON.stringify([...new Set(after.map((o) => o.marker))])}`);
      }
      assert.ok(outcomes.some((o) => o.marker === 2), 'the logging version served requests');
      const listed = (await g.admin('/wasm')).json().modules;
      assert.deepEqual(listed.map((m: any) => m.module_meta.name), ['auth', 'mw']);
      assert.equal(listed[1].module_uuid, replacedUuids.at(-1));
      assert.deepEqual(listed[1].module_meta.attach_points, [{ Middleware: 'OnRequest' }], 'attach points inherited');
      assert.equal(listed[1].priority, 1, 'priority inherited');
      // The counter restarted at 1 with the new version (fresh instances), then counts on.
      const next = (await g.request('/v1/after', { headers: { 'x-api-key': KEY } })).json();
      assert.ok(Number(next.headers['x-count']) >= 1);
    } finally {
      await g.close();
    }
  });

  it('restart: a new gateway on the same data dir lists and runs the same components, config and limits included', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wasmgate-real-restart-'));
    try {
      const first = await startRealGateway({ upstreams: [upstream.url], dir });
      let before: any[];
      try {
        await first.register('auth', example('auth'), ['OnRequest'], { config: { api_key: KEY }, priority: 0 });
        await first.register('ratelimit', example('ratelimit'), ['OnRequest'], { config: { limit: 2, window_ms: 60_000 }, limits: { pool_size: 1, max_execution_time_ms: 250 }, priority: 1 });
        await first.register('logging', example('logging'), ['OnRequest', 'OnResponse'], { priority: 2 });
        const put = await first.put('counter', component('counter'), 'attach=OnRequest&priority=3');
        assert.equal(put.status, 201);
        assert.equal((await first.request('/v1/x', { headers: { authorization: `Bearer ${KEY}`, 'x-forwarded-for': '10.9.9.9' } })).status, 200);
        before = (await first.admin('/wasm')).json().modules;
      } finally {
        await first.close();
      }
      const stored = await readdir(join(dir, 'data', 'modules'));
      assert.equal(stored.filter((f) => f.endsWith('.wasm')).length, 4, `module bytes kept in the data dir: ${stored.join(', ')}`);

      const second = await startRealGateway({ upstreams: [upstream.url], dir });
      try {
        const listed = (await second.admin('/wasm')).json().modules;
        const shape = (m: any) => [m.module_uuid, m.module_meta.name, m.module_meta.sha256_hash, m.module_meta.size_bytes, m.module_meta.attach_points, m.priority, m.limits, m.pool_size];
        assert.deepEqual(listed.map(shape), before.map(shape));
        assert.deepEqual(listed.map((m: any) => m.status), ['loaded', 'loaded', 'loaded', 'loaded']);
        assert.equal(listed[1].pool_size, 1);
        assert.equal(listed[1].limits.max_execution_time_ms, 250);

        assert.equal((await second.request('/v1/x')).status, 401, 'auth still runs');
        assert.equal((await second.request('/v1/x', { headers: { authorization: 'Bearer other' } })).status, 401);
        const ok = await second.request('/v1/x', { headers: { authorization: `Bearer ${KEY}`, 'x-forwarded-for': '10.1.1.1' } });
        assert.equal(ok.status, 200, 'its config (the key) survived');
        const seen = ok.json();
        assert.equal(seen.headers['x-wasm-processed'], 'true', 'logging runs');
        assert.equal(seen.headers['x-api-route'], 'true');
        assert.equal(seen.headers['x-count'], '1', 'counter runs, on a fresh instance');
        // ratelimit keeps its limit of 2 per key (its counters start empty after a restart).
        const statuses: number[] = [];
        for (let i = 0; i < 2; i++) statuses.push((await second.request('/v1/y', { headers: { authorization: `Bearer ${KEY}` } })).status);
        assert.deepEqual(statuses, [200, 429], 'with the request above, the 2nd from this key passes and the 3rd is limited');
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('metrics', () => {
    let g: RealGateway;
    before(async () => {
      g = await startRealGateway({ upstreams: [upstream.url] });
      await g.register('auth', example('auth'), ['OnRequest'], { config: { api_key: KEY } });
      await g.register('logging', example('logging'), ['OnRequest', 'OnResponse'], { priority: 1 });
      await g.register('trap', component('trap'), ['OnRequest'], { priority: 2 });
    });
    after(async () => {
      await g.close();
    });

    it('GET /wasm: per-module and global counters move with traffic', async () => {
      const before = (await g.admin('/wasm')).json();
      assert.equal(before.metrics.total_executions, 0);
      assert.equal(before.metrics.average_execution_time_ms, undefined, 'omitted at 0 executions (SMG)');
      for (let i = 0; i < 5; i++) assert.equal((await g.request(`/v1/m/${i}`, { headers: { 'x-api-key': KEY } })).status, 200);
      for (let i = 0; i < 3; i++) assert.equal((await g.request(`/v1/m/${i}`)).status, 401);
      const afterList = (await g.admin('/wasm')).json();
      const by = (name: string) => afterList.modules.find((m: any) => m.module_meta.name === name);
      const auth = by('auth');
      assert.equal(auth.module_meta.access_count, 8);
      assert.deepEqual([auth.metrics.total_executions, auth.metrics.successful_executions, auth.metrics.failed_executions], [8, 8, 0]);
      assert.ok(auth.metrics.total_execution_time_us > 0 && auth.metrics.max_execution_time_us > 0);
      assert.ok(auth.module_meta.last_accessed_at > auth.module_meta.created_at);
      const logging = by('logging');
      assert.equal(logging.metrics.total_executions, 10, '5 on-request + 5 on-response; rejected requests never reach it');
      const trap = by('trap');
      assert.deepEqual([trap.metrics.total_executions, trap.metrics.failed_executions, trap.metrics.failures_by_kind.trap], [5, 5, 5]);
      assert.equal(afterList.metrics.total_executions, 23);
      assert.equal(afterList.metrics.failed_executions, 5);
      assert.equal(afterList.metrics.successful_executions, 18);
      assert.equal(typeof afterList.metrics.average_execution_time_us, 'number');
      assert.equal(afterList.metrics.total_execution_time_ms, Math.floor(afterList.metrics.total_execution_time_us / 1000));
    });

    it('GET /metrics: Prometheus counters per module, attach point and outcome', async () => {
      const text = (await g.admin('/metrics')).text;
      const has = (line: string) => assert.ok(text.includes(`${line}\n`), `missing: ${line}\n${text.split('\n').filter((l) => l.startsWith('wasmgate_module_calls') || l.startsWith('wasmgate_module_errors')).join('\n')}`);
      has('wasmgate_module_calls_total{module="auth",attach_point="OnRequest",outcome="continue"} 5');
      has('wasmgate_module_calls_total{module="auth",attach_point="OnRequest",outcome="reject"} 3');
      has('wasmgate_module_calls_total{module="logging",attach_point="OnRequest",outcome="modify"} 5');
      has('wasmgate_module_calls_total{module="logging",attach_point="OnResponse",outcome="continue"} 5');
      has('wasmgate_module_calls_total{module="trap",attach_point="OnRequest",outcome="error"} 5');
      has('wasmgate_module_errors_total{module="trap",attach_point="OnRequest",kind="trap"} 5');
      has('wasmgate_module_call_duration_seconds_count{module="auth",attach_point="OnRequest"} 8');
      has('wasmgate_proxy_requests_total{status_class="2xx"} 5');
      has('wasmgate_proxy_requests_total{status_class="4xx"} 3');
      has('wasmgate_modules_loaded 3');
      // One more request moves the counters.
      await g.request('/v1/more', { headers: { 'x-api-key': KEY } });
      const again = (await g.admin('/metrics')).text;
      assert.ok(again.includes('wasmgate_module_calls_total{module="auth",attach_point="OnRequest",outcome="continue"} 6\n'));
      assert.ok(again.includes('wasmgate_proxy_requests_total{status_class="2xx"} 6\n'));
    });
  });
});
