// #4: `configure` ({agent_id, config: {"pool-size", "fail-open"}}) applies process-wide, or is rejected like upstream.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SentinelAgentSettings } from '../../../src/sentinel/index.js';
import { SentinelV1Client, SentinelV2Client, configurePayload, encodeV1Request, requestHeadersPayload } from '../../helpers/sentinel-client.js';
import { SlowGuest, throwingGuest } from './fake-guests.js';
import { startTestAgent } from './agent-fixture.js';

type Json = Record<string, unknown>;

describe('sentinel agent: configure', () => {
  it('applies fail-open and pool-size to every connection, and tells onConfigure first', async () => {
    const seen: SentinelAgentSettings[] = [];
    const t = await startTestAgent({ guest: throwingGuest(new Error('trap')), onConfigure: async (s) => void seen.push(s) });
    const init = await SentinelV1Client.connect(t.socketPath);
    const pooled = await SentinelV1Client.connect(t.socketPath);
    try {
      assert.deepEqual((await pooled.request('request_headers', requestHeadersPayload()))['decision'], {
        block: { status: 500, body: 'Wasm Error', headers: null },
      });
      const reply = await init.request('configure', configurePayload({ 'fail-open': true, 'pool-size': 9 }));
      assert.equal(reply['decision'], 'allow');
      assert.deepEqual(seen, [{ poolSize: 9, failOpen: true }]);
      // Pooled connections never receive configure: the setting is process-wide.
      const after = await pooled.request('request_headers', requestHeadersPayload());
      assert.equal(after['decision'], 'allow');
      assert.deepEqual((after['audit'] as Json)['tags'], ['wasm-error', 'fail-open']);
      const metrics = t.agent.metrics();
      assert.equal(metrics.poolSize, 9);
      assert.equal(metrics.failOpen, true);
      const v2 = await SentinelV2Client.connect(t.socketPath);
      assert.equal(((v2.handshake?.['capabilities'] as Json)['limits'] as Json)['max_concurrency'], 9);
      v2.destroy();
    } finally {
      init.destroy();
      pooled.destroy();
      await t.dispose();
    }
  });

  for (const [title, config] of [
    ['pool-size is missing', { 'fail-open': true }],
    ['fail-open is missing', { 'pool-size': 4 }],
    ['keys are snake_case', { pool_size: 4, fail_open: true }],
    ['pool-size is 0', { 'pool-size': 0, 'fail-open': false }],
    ['fail-open is a string', { 'pool-size': 4, 'fail-open': 'true' }],
  ] as const) {
    it(`rejects configure with Block 500 when ${title}, changing nothing`, async () => {
      const t = await startTestAgent({ poolSize: 3 });
      const client = await SentinelV1Client.connect(t.socketPath);
      try {
        const reply = await client.request('configure', configurePayload(config));
        assert.deepEqual(reply['decision'], { block: { status: 500, body: 'Configuration rejected', headers: null } });
        assert.equal(t.agent.metrics().poolSize, 3);
      } finally {
        client.destroy();
        await t.dispose();
      }
    });
  }

  it('rejects configure when onConfigure throws (e.g. the pool could not be resized)', async () => {
    const t = await startTestAgent({ onConfigure: async () => Promise.reject(new Error('no memory for 200 instances')) });
    const client = await SentinelV1Client.connect(t.socketPath);
    try {
      const reply = await client.request('configure', configurePayload({ 'pool-size': 200, 'fail-open': false }));
      assert.deepEqual(reply['decision'], { block: { status: 500, body: 'Configuration rejected', headers: null } });
      assert.equal(t.agent.metrics().poolSize, 4);
    } finally {
      client.destroy();
      await t.dispose();
    }
  });

  it('a larger pool-size admits queued calls at once', async () => {
    const guest = new SlowGuest();
    const t = await startTestAgent({ guest, poolSize: 1 });
    const a = await SentinelV1Client.connect(t.socketPath);
    const b = await SentinelV1Client.connect(t.socketPath);
    const admin = await SentinelV1Client.connect(t.socketPath);
    try {
      a.sendRaw(encodeV1Request('request_headers', requestHeadersPayload({ uri: '/a' })));
      const callA = await guest.nextCall();
      b.sendRaw(encodeV1Request('request_headers', requestHeadersPayload({ uri: '/b' })));
      await admin.request('configure', configurePayload({ 'pool-size': 2, 'fail-open': false }));
      const callB = await guest.nextCall(); // admitted while /a still runs
      assert.equal((callB.input as { uri: string }).uri, '/b');
      callB.resolve({ decision: 'allow' });
      callA.resolve({ decision: 'allow' });
      await a.reply();
      await b.reply();
    } finally {
      a.destroy();
      b.destroy();
      admin.destroy();
      await t.dispose();
    }
  });
});
