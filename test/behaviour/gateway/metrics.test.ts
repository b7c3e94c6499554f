// #6: GET /metrics serves the gateway's own Prometheus registry: per-module calls, errors by
// kind and latency (module label = name), proxied requests by status class and latency, upstream
// errors, module and upstream gauges.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { gatewaySuite } from '../../helpers/gateway-harness.js';

describe('GET /metrics', () => {
  const { gateway: t } = gatewaySuite({ persist: false });
  before(async () => {
    await t.register('tagger', { onRequest: { do: 'modify', set: [['x-t', '1']] }, onResponse: { do: 'continue' } }, ['OnRequest', 'OnResponse']);
    await t.register('crasher', { onRequest: { do: 'fail', kind: 'timeout' } }, ['OnRequest']);
    await t.register('gate', { onRequest: { do: 'reject', status: 404 } }, ['OnRequest'], { priority: 10 });
    await t.request('/a');
    await t.request('/b');
  });

  it('serves Prometheus text with the gateway metrics', async () => {
    const reply = await t.admin('/metrics');
    assert.equal(reply.status, 200);
    assert.match(String(reply.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const text = reply.text;
    const has = (line: string) => assert.ok(text.includes(`${line}\n`), `missing: ${line}\n${text}`);
    has('wasmgate_module_calls_total{module="tagger",attach_point="OnRequest",outcome="modify"} 2');
    has('wasmgate_module_calls_total{module="crasher",attach_point="OnRequest",outcome="error"} 2');
    has('wasmgate_module_calls_total{module="gate",attach_point="OnRequest",outcome="reject"} 2');
    has('wasmgate_module_errors_total{module="crasher",attach_point="OnRequest",kind="timeout"} 2');
    has('wasmgate_module_call_duration_seconds_count{module="tagger",attach_point="OnRequest"} 2');
    has('wasmgate_proxy_requests_total{status_class="4xx"} 2');
    has('wasmgate_proxy_request_duration_seconds_count{status_class="4xx"} 2');
    has('wasmgate_modules_loaded 3');
    has('wasmgate_modules_failed 0');
    has('wasmgate_upstreams_healthy 1');
    assert.match(text, /# TYPE wasmgate_upstream_errors_total counter/);
    assert.doesNotMatch(text, /process_cpu|nodejs_/, 'its own registry, not the global default metrics');
  });
});
