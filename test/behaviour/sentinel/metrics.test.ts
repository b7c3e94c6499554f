// #4: counters and latency per event type, as metrics() JSON and as Prometheus text on 127.0.0.1.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SentinelV1Client, SentinelV2Client, V2Type, lengthPrefixed, requestHeadersPayload, responseHeadersPayload } from '../../helpers/sentinel-client.js';
import { securityGuest, throwingGuest } from './fake-guests.js';
import { startTestAgent, type TestAgent } from './agent-fixture.js';

async function traffic(t: TestAgent): Promise<void> {
  const client = await SentinelV1Client.connect(t.socketPath);
  await client.request('request_headers', requestHeadersPayload({ uri: '/ok' }));
  await client.request('request_headers', requestHeadersPayload({ uri: '/admin' }));
  await client.request('request_headers', requestHeadersPayload({ uri: '/ok2' }));
  await client.request('response_headers', responseHeadersPayload());
  client.destroy();
  const v2 = await SentinelV2Client.connect(t.socketPath);
  await v2.request(V2Type.RequestHeaders, 'm-1', requestHeadersPayload());
  v2.destroy();
  const bad = await SentinelV1Client.connect(t.socketPath);
  bad.sendRaw(lengthPrefixed(Buffer.from('{oops')));
  await bad.closed;
}

describe('sentinel agent metrics', () => {
  it('metrics() counts events, decisions, errors, latency, connections and bad input', async () => {
    const t = await startTestAgent({ guest: securityGuest(), poolSize: 5 });
    try {
      await traffic(t);
      await t.logs.waitFor((l) => l['reason'] === 'invalid-json');
      const m = t.agent.metrics();
      const rh = m.events.request_headers;
      assert.equal(rh?.count, 4);
      assert.deepEqual(rh?.decisions, { allow: 3, block: 1 });
      assert.equal(rh?.errors, 0);
      for (const v of Object.values(rh?.latencyUs ?? {})) assert.ok(typeof v === 'number' && v >= 0);
      assert.ok((rh?.latencyUs.p99 ?? 0) >= (rh?.latencyUs.p50 ?? 0));
      assert.equal(m.events.response_headers?.count, 1);
      assert.equal(m.connections.total, 3);
      assert.equal(m.connections.v1, 2, 'the bad frame started with "{", so it was a v1 connection');
      assert.equal(m.connections.v2, 1);
      assert.equal(m.protocolErrors['invalid-json'], 1);
      assert.equal(m.poolSize, 5);
      assert.equal(m.guestGeneration, 1);
      assert.equal(JSON.parse(JSON.stringify(m)).events.request_headers.count, 4, 'plain JSON (the CLI logs it on SIGUSR2)');
    } finally {
      await t.dispose();
    }
  });

  it('counts guest errors per event type', async () => {
    const t = await startTestAgent({ guest: throwingGuest(new Error('trap')) });
    const client = await SentinelV1Client.connect(t.socketPath);
    try {
      await client.request('request_headers', requestHeadersPayload());
      const rh = t.agent.metrics().events.request_headers;
      assert.equal(rh?.errors, 1);
      assert.deepEqual(rh?.decisions, { block: 1 });
    } finally {
      client.destroy();
      await t.dispose();
    }
  });

  it('serves Prometheus text on 127.0.0.1 GET /metrics from its own registry, 404 elsewhere', async () => {
    const t = await startTestAgent({ guest: securityGuest(), metricsPort: 0 });
    try {
      await traffic(t);
      const url = t.agent.metricsUrl ?? '';
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const res = await fetch(url);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      const text = await res.text();
      assert.match(text, /wasmgate_sentinel_events_total\{event="request_headers",decision="allow"\} 3/);
      assert.match(text, /wasmgate_sentinel_events_total\{event="request_headers",decision="block"\} 1/);
      assert.match(text, /wasmgate_sentinel_event_duration_seconds_count\{event="request_headers"\} 4/);
      assert.match(text, /wasmgate_sentinel_protocol_errors_total\{reason="invalid-json"\} 1/);
      assert.match(text, /wasmgate_sentinel_pool_size 4/);
      assert.doesNotMatch(text, /process_cpu|nodejs_/, 'no default (global) metrics');
      assert.equal((await fetch(url.replace('/metrics', '/other'))).status, 404);
      const other = await startTestAgent({ guest: securityGuest(), metricsPort: 0 });
      const otherText = await (await fetch(other.agent.metricsUrl ?? '')).text();
      assert.doesNotMatch(otherText, /decision="allow"\} 3/, 'each agent has its own registry');
      await other.dispose();
    } finally {
      await t.dispose();
    }
  });
});
