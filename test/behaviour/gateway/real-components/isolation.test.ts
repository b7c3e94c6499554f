// `--isolation worker` with real components: a module looping until its deadline holds an executor
// thread; the gateway keeps answering everything else meanwhile, and the looping request still ends
// at the deadline (skipped, fail-open).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startUpstream, type TestUpstream } from '../../../helpers/start-upstream.js';
import { component, example, startRealGateway, type RealGateway } from './real-gateway.js';

const DEADLINE_MS = 1000;

describe('gateway with --isolation worker', { timeout: 60_000 }, () => {
  let upstream: TestUpstream;
  let g: RealGateway;
  before(async () => {
    upstream = await startUpstream();
    g = await startRealGateway({ upstreams: [upstream.url], isolation: 'worker' });
  });
  after(async () => {
    await g.close();
    await upstream.close();
  });

  it('runs real examples on executor threads with their config', async () => {
    await g.register('auth', example('auth'), ['OnRequest'], { config: { api_key: 'secret' } });
    assert.equal((await g.request('/api/x')).status, 401);
    assert.equal((await g.request('/api/x', { headers: { authorization: 'Bearer secret' } })).status, 200);
    const listed = await g.listed('auth');
    assert.equal(listed.metrics.total_executions, 2);
    const list = (await g.admin('/wasm')).json();
    for (const m of list.modules) await g.admin(`/wasm/${m.module_uuid}`, { method: 'DELETE' });
  });

  it('a looping module holds an executor thread: /wasm and /health answer at once meanwhile', async () => {
    await g.register('loop', component('infinite-loop'), ['OnRequest'], { limits: { max_execution_time_ms: DEADLINE_MS } });
    const started = performance.now();
    const looping = g.request('/loop');
    await new Promise((r) => setTimeout(r, 100)); // the call is running in its thread by now
    const adminStarted = performance.now();
    assert.equal((await g.admin('/wasm')).status, 200);
    assert.equal((await g.request('/health')).status, 200);
    const adminMs = performance.now() - adminStarted;
    assert.ok(adminMs < DEADLINE_MS / 2, `the admin API waited ${adminMs.toFixed(0)} ms behind the looping guest`);
    const reply = await looping;
    const loopMs = performance.now() - started;
    assert.equal(reply.status, 200, 'the module is skipped fail-open once stopped');
    assert.ok(loopMs >= DEADLINE_MS, `the looping request ended after ${loopMs.toFixed(0)} ms, before its deadline`);
    assert.equal((await g.listed('loop')).metrics.failures_by_kind.timeout, 1);
  });
});
