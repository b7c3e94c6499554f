// #4 with real guests: every hostile guest behind the agent, fail-closed and fail-open. Each module
// error is answered by the fail policy (closed: block 500 "Wasm Error" + tag wasm-error; open: allow
// + tags wasm-error, fail-open), the error is in reason_codes, a runaway guest is cut at the
// deadline, and the agent keeps serving the same connection, new connections and v2 pings.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GuestLimits } from '../../../../src/index.js';
import {
  SentinelV1Client,
  SentinelV2Client,
  V2Type,
  requestHeadersPayload,
  responseHeadersPayload,
} from '../../../helpers/sentinel-client.js';
import type { TestAgent } from '../agent-fixture.js';
import { assertFailClosed, assertFailOpen, askV1, askV2, startRealAgent, within, type Json } from './real-agent.js';

const DEADLINE_MS = 100;
/** Scheduling slack on 2 shared cores: the runtime alone stops a loop within ~50 ms of the deadline. */
const SLACK_MS = 250;

interface HostileCase {
  name: string;
  reason: RegExp;
  limits?: Partial<GuestLimits>;
  runaway?: boolean;
}

const CASES: HostileCase[] = [
  { name: 'infinite-loop', reason: /ran longer than max_execution_time_ms \(100 ms\)/, runaway: true },
  { name: 'trap', reason: /trapped in on_request_headers: unreachable/ },
  // A small memory cap makes the bomb hit its limit in well under a millisecond.
  { name: 'memory-bomb', reason: /after reaching its memory limit/, limits: { maxMemoryPages: 64 } },
  { name: 'deep-recursion', reason: /overflowed the stack/ },
  { name: 'non-json-result', reason: /is not JSON/ },
  { name: 'result-out-of-bounds', reason: /lies outside guest memory/ },
  { name: 'huge-result', reason: /returned 20971520 bytes, over max_body_size/ },
];

const responseReason = (reason: RegExp): RegExp => new RegExp(reason.source.replace('on_request_headers', 'on_response_headers'));

for (const failOpen of [false, true]) {
  const policy = failOpen ? 'fail-open' : 'fail-closed';
  const check = failOpen ? assertFailOpen : assertFailClosed;

  for (const c of CASES) {
    describe(`hostile ${c.name} behind the agent (${policy})`, { timeout: 20_000 }, () => {
      let t: TestAgent;
      let client: SentinelV1Client;
      before(async () => {
        t = await startRealAgent('hostile', c.name, { poolSize: 2, failOpen, limits: { maxExecutionTimeMs: DEADLINE_MS, ...c.limits } });
        client = await SentinelV1Client.connect(t.socketPath);
      });
      after(async () => {
        client?.destroy();
        await t?.dispose();
      });

      it(`request_headers is answered by the ${policy} policy with the error as reason code`, async () => {
        const started = performance.now();
        const reply = await askV1(client, 'request_headers', requestHeadersPayload({ uri: '/first' }));
        const elapsed = performance.now() - started;
        check(reply, c.reason);
        if (c.runaway) {
          assert.ok(elapsed >= DEADLINE_MS - 1, `answered after ${elapsed.toFixed(1)} ms: before the deadline?`);
          assert.ok(elapsed < DEADLINE_MS + SLACK_MS, `answered after ${elapsed.toFixed(1)} ms, deadline ${DEADLINE_MS} ms`);
        }
      });

      it('response_headers runs the same attack and gets the same policy', async () => {
        const reply = await askV1(client, 'response_headers', responseHeadersPayload({ status: 200 }));
        check(reply, responseReason(c.reason));
      });

      it('the next request on the same connection is served, within the deadline again', async () => {
        const started = performance.now();
        check(await askV1(client, 'request_headers', requestHeadersPayload({ uri: '/next' })), c.reason);
        if (c.runaway) assert.ok(performance.now() - started < DEADLINE_MS + SLACK_MS);
      });

      it('two connections at once are both answered, and a v2 connection gets pongs and routed replies', async () => {
        const other = await SentinelV1Client.connect(t.socketPath);
        const v2 = await SentinelV2Client.connect(t.socketPath);
        try {
          const started = performance.now();
          const [a, b] = await Promise.all([
            askV1(client, 'request_headers', requestHeadersPayload({ uri: '/a' })),
            askV1(other, 'request_headers', requestHeadersPayload({ uri: '/b' })),
          ]);
          check(a, c.reason);
          check(b, c.reason);
          if (c.runaway) assert.ok(performance.now() - started < 2 * DEADLINE_MS + SLACK_MS, 'both cut at their deadline');

          const { sent, pong } = await within(v2.ping(7), 5_000, 'pong');
          assert.deepEqual(pong, sent);
          const reply: Json = await askV2(v2, V2Type.RequestHeaders, `${c.name}-v2`, requestHeadersPayload({ correlationId: `${c.name}-v2` }));
          assert.equal(reply['version'], 2);
          check(reply, c.reason);
        } finally {
          other.destroy();
          v2.destroy();
        }
      });

      it('every failure is counted as an error and the agent is still running', () => {
        const m = t.agent.metrics();
        assert.equal(m.events.request_headers?.count, 5);
        assert.equal(m.events.request_headers?.errors, 5);
        assert.equal(m.events.response_headers?.errors, 1);
        assert.deepEqual(m.events.request_headers?.decisions, failOpen ? { allow: 5 } : { block: 5 });
        assert.equal(m.connections.open >= 1, true);
        assert.deepEqual(t.logs.errors(), [], 'no error-level log lines');
        const failures = t.logs.lines.filter((l) => l.msg === 'guest call failed; answering by the fail policy');
        assert.equal(failures.length, 6);
        assert.equal(failures[0]!['failOpen'], failOpen);
      });
    });
  }
}
