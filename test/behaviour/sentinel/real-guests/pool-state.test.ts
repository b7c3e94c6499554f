// #4 with real guests: guest state lives as long as its instance. With a pool of one instance, the
// counter guest counts 1, 2, 3... across requests, connections and protocols; a reload brings a
// fresh instance (and a fresh count).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SentinelV1Client, SentinelV2Client, V2Type, requestHeadersPayload } from '../../../helpers/sentinel-client.js';
import type { TestAgent } from '../agent-fixture.js';
import { askV1, askV2, startRealAgent, tagsOf } from './real-agent.js';

describe('real guest counter: state per instance (pool size 1)', { timeout: 20_000 }, () => {
  let t: TestAgent;
  before(async () => {
    t = await startRealAgent('test-core', 'counter', { poolSize: 1 });
  });
  after(async () => {
    await t?.dispose();
  });

  it('counts 1, 2, 3... across requests and connections, and per URI in a module-level Map', async () => {
    const a = await SentinelV1Client.connect(t.socketPath);
    const b = await SentinelV1Client.connect(t.socketPath);
    try {
      const seen: string[][] = [];
      for (const [client, uri] of [
        [a, '/x'],
        [a, '/y'],
        [b, '/x'],
        [a, '/x'],
        [b, '/y'],
      ] as const) {
        seen.push(tagsOf(await askV1(client, 'request_headers', requestHeadersPayload({ uri }))));
      }
      assert.deepEqual(seen, [
        ['count-1', 'uri-count-1'],
        ['count-2', 'uri-count-1'],
        ['count-3', 'uri-count-2'],
        ['count-4', 'uri-count-3'],
        ['count-5', 'uri-count-2'],
      ]);
      // A connection that comes and goes does not reset anything.
      a.destroy();
      const c = await SentinelV1Client.connect(t.socketPath);
      try {
        assert.deepEqual(tagsOf(await askV1(c, 'request_headers', requestHeadersPayload({ uri: '/x' }))), ['count-6', 'uri-count-4']);
      } finally {
        c.destroy();
      }
    } finally {
      a.destroy();
      b.destroy();
    }
  });

  it('v2 requests in flight at once still see one instance: counts are a permutation of the next n', async () => {
    const v2 = await SentinelV2Client.connect(t.socketPath);
    try {
      const replies = await Promise.all(
        Array.from({ length: 20 }, (_, i) => askV2(v2, V2Type.RequestHeaders, `c${i}`, requestHeadersPayload({ uri: `/v2/${i}`, correlationId: `c${i}` }))),
      );
      const counts = replies.map((r) => Number(tagsOf(r)[0]!.slice('count-'.length))).sort((x, y) => x - y);
      assert.deepEqual(counts, Array.from({ length: 20 }, (_, i) => 7 + i));
    } finally {
      v2.destroy();
    }
  });

  it('a reload installs a fresh instance: the count starts again at 1', async () => {
    const result = await t.agent.reload();
    assert.equal(result.reloaded, true);
    const client = await SentinelV1Client.connect(t.socketPath);
    try {
      assert.deepEqual(tagsOf(await askV1(client, 'request_headers', requestHeadersPayload({ uri: '/x' }))), ['count-1', 'uri-count-1']);
      assert.deepEqual(tagsOf(await askV1(client, 'request_headers', requestHeadersPayload({ uri: '/x' }))), ['count-2', 'uri-count-2']);
    } finally {
      client.destroy();
    }
  });
});

describe('real guest counter: pool size 3', { timeout: 20_000 }, () => {
  it('each instance keeps its own count; together they served every request exactly once', async () => {
    const t = await startRealAgent('test-core', 'counter', { poolSize: 3 });
    const v2 = await SentinelV2Client.connect(t.socketPath);
    try {
      const n = 60;
      const replies = await Promise.all(
        Array.from({ length: n }, (_, i) => askV2(v2, V2Type.RequestHeaders, `p${i}`, requestHeadersPayload({ uri: '/same', correlationId: `p${i}` }))),
      );
      const counts = replies.map((r) => Number(tagsOf(r)[0]!.slice('count-'.length)));
      // Instance k answered count-1..count-m_k; the histogram of counts is non-increasing and sums to n.
      const histogram = new Map<number, number>();
      for (const c of counts) histogram.set(c, (histogram.get(c) ?? 0) + 1);
      assert.ok((histogram.get(1) ?? 0) >= 1 && (histogram.get(1) ?? 0) <= 3, `instances used: ${histogram.get(1)}`);
      for (let c = 2; c <= Math.max(...counts); c++) assert.ok((histogram.get(c) ?? 0) <= (histogram.get(c - 1) ?? 0), `count-${c} more often than count-${c - 1}`);
      assert.equal(counts.length, n);
    } finally {
      v2.destroy();
      await t.dispose();
    }
  });
});
