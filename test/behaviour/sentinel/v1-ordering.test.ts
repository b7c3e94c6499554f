// #4: v1 answers each connection's requests one by one, in order, and serves many connections at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SentinelV1Client, encodeV1Request, requestHeadersPayload } from '../../helpers/sentinel-client.js';
import { SlowGuest, securityGuest } from './fake-guests.js';
import { startTestAgent } from './agent-fixture.js';

type Reply = Record<string, unknown>;
const tags = (reply: Reply): string[] => (reply['audit'] as { tags: string[] }).tags;

describe('sentinel agent v1 ordering', () => {
  it('a pipelining client gets its replies in request order, the guest seeing one request at a time', async () => {
    const guest = new SlowGuest();
    const t = await startTestAgent({ guest, poolSize: 8 });
    const client = await SentinelV1Client.connect(t.socketPath);
    try {
      const uris = ['/one', '/two', '/three', '/four', '/five'];
      client.sendRaw(Buffer.concat(uris.map((uri) => encodeV1Request('request_headers', requestHeadersPayload({ uri })))));
      for (const [i, uri] of uris.entries()) {
        const call = await guest.nextCall();
        assert.equal((call.input as { uri: string }).uri, uri);
        assert.equal(guest.calls.length, i + 1, 'the next request starts only after this one is answered');
        call.resolve({ decision: 'allow', tags: [uri] });
        assert.deepEqual(tags((await client.reply()).value), [uri]);
      }
    } finally {
      client.destroy();
      await t.dispose();
    }
  });

  it('replies stay in order when a later request would have finished first', async () => {
    const guest = new SlowGuest();
    const t = await startTestAgent({ guest });
    const client = await SentinelV1Client.connect(t.socketPath);
    try {
      // One write: both requests are in the agent before the first guest call is made.
      client.sendRaw(
        Buffer.concat([
          encodeV1Request('request_headers', requestHeadersPayload({ uri: '/slow' })),
          encodeV1Request('request_headers', requestHeadersPayload({ uri: '/admin' })),
        ]),
      );
      const slow = await guest.nextCall();
      slow.resolve({ decision: 'allow', tags: ['slow'] });
      const second = await guest.nextCall();
      second.resolve({ decision: 'block', status: 403 });
      assert.deepEqual(tags((await client.reply()).value), ['slow']);
      assert.deepEqual((await client.reply()).value['decision'], { block: { status: 403, body: null, headers: null } });
    } finally {
      client.destroy();
      await t.dispose();
    }
  });

  it('a slow request on one connection does not hold up another connection', async () => {
    const guest = new SlowGuest();
    const t = await startTestAgent({ guest });
    const a = await SentinelV1Client.connect(t.socketPath);
    const b = await SentinelV1Client.connect(t.socketPath);
    try {
      a.sendRaw(encodeV1Request('request_headers', requestHeadersPayload({ uri: '/a' })));
      const callA = await guest.nextCall();
      b.sendRaw(encodeV1Request('request_headers', requestHeadersPayload({ uri: '/b' })));
      const callB = await guest.nextCall();
      callB.resolve({ decision: 'allow', tags: ['b'] });
      assert.deepEqual(tags((await b.reply()).value), ['b']);
      assert.equal(a.unreadReplies, 0);
      callA.resolve({ decision: 'allow', tags: ['a'] });
      assert.deepEqual(tags((await a.reply()).value), ['a']);
    } finally {
      a.destroy();
      b.destroy();
      await t.dispose();
    }
  });

  it('a client pipelining 100 requests in one write gets 100 replies in order (reading pauses and resumes)', async () => {
    const t = await startTestAgent({ guest: securityGuest() });
    const client = await SentinelV1Client.connect(t.socketPath);
    try {
      const ips = Array.from({ length: 100 }, (_, i) => `10.1.0.${i}`);
      client.sendRaw(Buffer.concat(ips.map((clientIp) => encodeV1Request('request_headers', requestHeadersPayload({ uri: '/api', clientIp })))));
      for (const ip of ips) {
        const reply = (await client.reply()).value;
        assert.deepEqual((reply['request_headers'] as unknown[])[1], { set: { name: 'X-Client-IP', value: ip } });
      }
    } finally {
      client.destroy();
      await t.dispose();
    }
  });

  it('serves 100 connections in parallel, each getting its own answer', async () => {
    const t = await startTestAgent({ guest: securityGuest() });
    const clients = await Promise.all(Array.from({ length: 100 }, () => SentinelV1Client.connect(t.socketPath)));
    try {
      const replies = await Promise.all(
        clients.map((client, i) =>
          client.request('request_headers', requestHeadersPayload({ uri: i % 10 === 0 ? `/admin/${i}` : `/api/${i}`, clientIp: `10.0.0.${i}` })),
        ),
      );
      for (const [i, reply] of replies.entries()) {
        if (i % 10 === 0) {
          assert.deepEqual(reply['decision'], { block: { status: 403, body: 'Forbidden', headers: null } });
        } else {
          assert.deepEqual((reply['request_headers'] as unknown[])[1], { set: { name: 'X-Client-IP', value: `10.0.0.${i}` } });
        }
      }
      const metrics = t.agent.metrics();
      assert.equal(metrics.events.request_headers?.count, 100);
      assert.equal(metrics.connections.v1, 100);
    } finally {
      for (const client of clients) client.destroy();
      await t.dispose();
    }
  });
});
