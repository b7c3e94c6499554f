// #4 with real guests: the echo guest under load. 100 v1 connections in parallel, each pipelining
// 10 requests, get every reply right and in order; one v2 connection with 1000 requests in flight
// gets every reply routed by audit.custom.correlation_id to the request that asked it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  SentinelV1Client,
  SentinelV2Client,
  V2Type,
  assertProxyAccepts,
  encodeV1Request,
  encodeV2Event,
  requestHeadersPayload,
} from '../../../helpers/sentinel-client.js';
import type { TestAgent } from '../agent-fixture.js';
import { askV2, nextV1, requestOps, startRealAgent, tagsOf, within } from './real-agent.js';

describe('real guest echo under concurrency', { timeout: 30_000 }, () => {
  let t: TestAgent;
  before(async () => {
    t = await startRealAgent('test-core', 'echo', { poolSize: 4 });
  });
  after(async () => {
    await t?.dispose();
  });

  it('100 parallel v1 connections x 10 pipelined requests: all correct, in order per connection', async () => {
    const connections = 100;
    const perConnection = 10;
    const clients = await Promise.all(Array.from({ length: connections }, () => SentinelV1Client.connect(t.socketPath)));
    try {
      const expected = (c: number, r: number) => ({ uri: `/c${c}/r${r}`, cid: `c${c}-r${r}`, ip: `10.${c}.0.${r}` });
      await Promise.all(
        clients.map(async (client, c) => {
          const frames = Array.from({ length: perConnection }, (_, r) => {
            const e = expected(c, r);
            return encodeV1Request('request_headers', requestHeadersPayload({ uri: e.uri, correlationId: e.cid, clientIp: e.ip, headers: { 'x-conn': [String(c)], 'x-seq': [String(r)] } }));
          });
          client.sendRaw(Buffer.concat(frames));
          for (let r = 0; r < perConnection; r++) {
            const reply = await nextV1(client);
            const e = expected(c, r);
            assert.equal(reply['decision'], 'allow');
            assert.deepEqual(tagsOf(reply), ['GET', e.uri, e.ip, e.cid], `connection ${c}, request ${r}`);
            assert.deepEqual(requestOps(reply), [
              { set: { name: 'x-echo-x-conn', value: String(c) } },
              { set: { name: 'x-echo-x-seq', value: String(r) } },
            ]);
          }
          assert.equal(client.unreadReplies, 0);
        }),
      );
      const m = t.agent.metrics();
      assert.equal(m.events.request_headers?.count, connections * perConnection);
      assert.equal(m.events.request_headers?.errors, 0);
      assert.equal(m.connections.v1, connections);
    } finally {
      for (const client of clients) client.destroy();
    }
  });

  it('v2: 1000 requests in flight on one connection, each reply routed by correlation ID', async () => {
    const v2 = await SentinelV2Client.connect(t.socketPath);
    try {
      const n = 1000;
      const before = t.agent.metrics().events.request_headers?.count ?? 0;
      // Every frame goes out in one write before any reply is read: 1000 requests truly in flight.
      const waits = Array.from({ length: n }, (_, i) => v2.expectReply(`req-${i}`));
      v2.sendRaw(
        Buffer.concat(
          Array.from({ length: n }, (_, i) =>
            encodeV2Event(V2Type.RequestHeaders, `req-${i}`, requestHeadersPayload({ uri: `/item/${i}`, correlationId: `req-${i}`, clientIp: `172.16.${i >> 8}.${i & 255}` })),
          ),
        ),
      );
      const replies = await within(Promise.all(waits), 20_000, '1000 v2 replies');
      for (const [i, reply] of replies.entries()) {
        assertProxyAccepts(reply, { protocol: 2, correlationId: `req-${i}` });
        assert.deepEqual(tagsOf(reply), ['GET', `/item/${i}`, `172.16.${i >> 8}.${i & 255}`, `req-${i}`]);
      }
      assert.deepEqual(v2.errors, []);
      assert.deepEqual(v2.unmatched, []);
      assert.equal(t.agent.metrics().events.request_headers?.count, before + n);
      // The connection is still usable afterwards.
      const last = await askV2(v2, V2Type.RequestHeaders, 'after', requestHeadersPayload({ uri: '/after', correlationId: 'after' }));
      assert.deepEqual(tagsOf(last).slice(1, 2), ['/after']);
    } finally {
      v2.destroy();
    }
  });
});
