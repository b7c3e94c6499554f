// #4 with real guests on executor threads: IsolatedSentinelModule as the agent's loader. The agent
// serves one module, so "other work" here means everything that does not need a guest slot: while
// the infinite-loop guest holds a call, the agent still answers v2 pings and health checks, and v1
// events without a guest hook on other connections. A reload during a running call lets that call
// finish on the old guest while new requests are answered by the new one.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IsolatedSentinelModule } from '../../../../src/index.js';
import type { ClosableGuest } from '../../../../src/sentinel/index.js';
import { guestPath } from '../../../helpers/guests.js';
import {
  SentinelV1Client,
  SentinelV2Client,
  V2Type,
  encodeV2Frame,
  requestCompletePayload,
  requestHeadersPayload,
  responseHeadersPayload,
  websocketFramePayload,
} from '../../../helpers/sentinel-client.js';
import { startTestAgent, type TestAgent } from '../agent-fixture.js';
import { assertFailClosed, askV1, askV2, requestOps, responseOps, startRealAgent, tagsOf, within, type Json } from './real-agent.js';

const DEADLINE_MS = 400;

/** Sends a v2 request and tracks whether its reply has arrived. */
function track(v2: SentinelV2Client, correlationId: string, uri: string) {
  const state = { settled: false, at: 0, reply: undefined as Json | undefined };
  const sentAt = performance.now();
  const done = v2.request(V2Type.RequestHeaders, correlationId, requestHeadersPayload({ uri, correlationId })).then((reply) => {
    state.settled = true;
    state.at = performance.now() - sentAt;
    state.reply = reply;
    return reply;
  });
  return { state, done };
}

describe('isolated loader: sentinel-security on executor threads', { timeout: 20_000 }, () => {
  let t: TestAgent;
  before(async () => {
    t = await startRealAgent('examples', 'sentinel-security', { poolSize: 2, isolated: true });
  });
  after(async () => {
    await t?.dispose();
  });

  it('gives the same replies as the inline module, v1 and v2', async () => {
    const v1 = await SentinelV1Client.connect(t.socketPath);
    const v2 = await SentinelV2Client.connect(t.socketPath);
    try {
      const admin = await askV1(v1, 'request_headers', requestHeadersPayload({ uri: '/admin' }));
      assert.deepEqual(admin['decision'], { block: { status: 403, body: 'Forbidden', headers: null } });
      assert.deepEqual(tagsOf(admin), ['admin-blocked']);
      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, i) => askV2(v2, V2Type.RequestHeaders, `i${i}`, requestHeadersPayload({ uri: `/api/${i}`, correlationId: `i${i}` }))),
      );
      for (const reply of replies) {
        assert.deepEqual(requestOps(reply), [{ set: { name: 'X-Processed', value: 'true' } }, { remove: { name: 'X-Debug' } }]);
      }
      const response = await askV2(v2, V2Type.ResponseHeaders, 'resp', responseHeadersPayload({ status: 201, correlationId: 'resp' }));
      assert.deepEqual(responseOps(response), [{ set: { name: 'X-Frame-Options', value: 'DENY' } }, { remove: { name: 'Server' } }]);
      assert.deepEqual(tagsOf(response), ['status-201']);
    } finally {
      v1.destroy();
      v2.destroy();
    }
  });
});

describe('isolated loader: the agent stays responsive while a guest call loops', { timeout: 20_000 }, () => {
  let t: TestAgent;
  before(async () => {
    t = await startRealAgent('hostile', 'infinite-loop', { poolSize: 2, isolated: true, limits: { maxExecutionTimeMs: DEADLINE_MS } });
  });
  after(async () => {
    await t?.dispose();
  });

  it('answers ping, health and guest-less v1 events during the call; the call then gets the fail policy', async () => {
    const v2 = await SentinelV2Client.connect(t.socketPath);
    const v1 = await SentinelV1Client.connect(t.socketPath);
    try {
      const loop = track(v2, 'loop-1', '/spin');
      const { sent, pong } = await within(v2.ping(1), 5_000, 'pong');
      assert.deepEqual(pong, sent);
      assert.equal(loop.state.settled, false, 'the pong came back before the looping call ended');
      assert.equal(t.agent.metrics().requests.running, 1, 'the guest call is running');

      v2.sendRaw(encodeV2Frame(V2Type.HealthStatus, '{"state":1}'));
      const health = JSON.parse((await within(v2.next(V2Type.HealthStatus), 5_000, 'health')).payload.toString('utf8')) as Json;
      assert.equal(health['state'], 1);

      for (const [type, payload] of [
        ['request_complete', requestCompletePayload()],
        ['web_socket_frame', websocketFramePayload()],
      ] as const) {
        const reply = await askV1(v1, type, payload);
        assert.equal(reply['decision'], 'allow');
      }
      assert.equal(loop.state.settled, false, 'all of that was answered while the call was still running');

      const reply = await within(loop.done, 5_000, 'the looping call');
      assertFailClosed(reply, /ran longer than max_execution_time_ms \(400 ms\)/);
      assert.ok(loop.state.at >= DEADLINE_MS - 1, `answered after ${loop.state.at.toFixed(0)} ms`);
      assert.deepEqual(v2.errors, []);
    } finally {
      v1.destroy();
      v2.destroy();
    }
  });
});

describe('isolated loader: reload while a call is running', { timeout: 20_000 }, () => {
  let t: TestAgent;
  /** What the next loadGuest() returns; executor threads take a while to start, so it is loaded ahead. */
  let next: Promise<ClosableGuest> | undefined;
  before(async () => {
    t = await startTestAgent({
      poolSize: 2,
      loadGuest: () => next ?? IsolatedSentinelModule.load(guestPath('hostile', 'infinite-loop'), { poolSize: 2, limits: { maxExecutionTimeMs: DEADLINE_MS } }),
    });
    next = IsolatedSentinelModule.load(guestPath('examples', 'sentinel-security'), { poolSize: 2 });
    await next;
  });
  after(async () => {
    await t?.dispose();
  });

  it('the running call finishes on the old guest; new requests get the new one at once', async () => {
    const v2 = await SentinelV2Client.connect(t.socketPath);
    try {
      const loop = track(v2, 'old-call', '/spin');
      await within(v2.ping(1), 5_000, 'pong'); // the agent has taken the request
      assert.equal(t.agent.metrics().requests.running, 1);

      const result = await t.agent.reload();
      assert.deepEqual(result, { reloaded: true, generation: 2 });

      const admin = track(v2, 'new-call', '/admin');
      const fresh = await within(admin.done, 5_000, 'the new guest');
      assert.deepEqual(fresh['decision'], { block: { status: 403, body: 'Forbidden', headers: null } });
      assert.equal(loop.state.settled, false, 'the new guest answered while the old call was still running');

      assertFailClosed(await within(loop.done, 5_000, 'the old call'), /max_execution_time_ms/);
      assert.deepEqual(v2.errors, []);
      assert.deepEqual(t.logs.errors(), []);
    } finally {
      v2.destroy();
    }
  });
});
