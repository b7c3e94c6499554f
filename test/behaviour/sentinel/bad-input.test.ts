// #4: bad input never takes the agent down. Each case checks what the offending connection gets,
// that the reason is logged, and that a fresh connection is still served afterwards; the bad-frame
// suites run with the JS stand-in guest and with the real sentinel-security guest.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SentinelJsonModule } from '../../../src/abi/index.js';
import type { ClosableGuest, SentinelRequest } from '../../../src/sentinel/index.js';
import { guestPath } from '../../helpers/guests.js';
import {
  SentinelV1Client,
  SentinelV2Client,
  V2Type,
  encodeV1Request,
  encodeV2Event,
  encodeV2Frame,
  lengthPrefixed,
  requestHeadersPayload,
} from '../../helpers/sentinel-client.js';
import { SlowGuest, securityGuest } from './fake-guests.js';
import { assertAgentServes, startTestAgent, type TestAgent } from './agent-fixture.js';

type Json = Record<string, unknown>;
const MiB = 1024 * 1024;

/** The bad-input suites run against the JS stand-in and against the real guest built from source. */
const GUESTS: Array<[string, () => Promise<ClosableGuest>]> = [
  ['JS stand-in', async () => securityGuest()],
  ['wasm sentinel-security', () => SentinelJsonModule.load(guestPath('examples', 'sentinel-security'), { poolSize: 2 })],
];

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** Starts an agent for the enclosing suite and checks it logged no errors when the suite ends. */
function suiteAgent(loadGuest: () => Promise<ClosableGuest>): () => TestAgent {
  let t: TestAgent | undefined;
  before(async () => {
    t = await startTestAgent({ loadGuest });
  });
  after(async () => {
    assert.deepEqual(t!.logs.errors(), [], 'no error-level logs');
    await t!.dispose();
  });
  return () => t!;
}

for (const [kind, loadGuest] of GUESTS) {
  describe(`sentinel agent: bad v1 input (${kind})`, () => {
    const t = suiteAgent(loadGuest);

    async function closesWith(bytes: Buffer, reason: string, options: { end?: boolean } = {}): Promise<void> {
      const client = await SentinelV1Client.connect(t().socketPath);
      client.sendRaw(bytes);
      if (options.end) client.end();
      await client.closed;
      assert.equal(client.unreadReplies, 0, 'no reply to a frame that could not be understood');
      await t().logs.waitFor((l) => l['reason'] === reason);
      await assertAgentServes(t().socketPath);
    }

    const envelope = (text: string): Buffer => lengthPrefixed(Buffer.from(text));

    // A length of 10 MiB + 1 could still be a v2 frame: the first JSON byte tells it is v1.
    it('a length over 10 MiB closes the connection without reading the body', () =>
      closesWith(Buffer.concat([u32(10 * MiB + 1), Buffer.from('{')]), 'frame-too-large'));
    it('a length over 16 MiB closes the connection from its 4 bytes alone', () => closesWith(u32(16 * MiB + 1), 'frame-too-large'));
    it('a zero length closes the connection', () => closesWith(u32(0), 'frame-empty'));
    it('a truncated frame followed by EOF closes the connection', () =>
      closesWith(encodeV1Request('request_headers', requestHeadersPayload()).subarray(0, 40), 'truncated-frame', { end: true }));
    it('invalid JSON closes the connection', () => closesWith(envelope('{"version":1,"event_type":'), 'invalid-json'));
    it('an envelope that is not an object closes the connection', () => closesWith(envelope(' [1,2,3]'), 'envelope-not-object'));
    it('a wrong version closes the connection', () =>
      closesWith(envelope('{"version":3,"event_type":"request_headers","payload":{}}'), 'unsupported-version'));
    it('an unknown event type closes the connection', () =>
      closesWith(envelope('{"version":1,"event_type":"request_trailers","payload":{}}'), 'unknown-event-type'));
    it('a first byte that is neither JSON nor a v2 handshake closes the connection', () =>
      closesWith(Buffer.concat([u32(3), Buffer.from([0x10, 0x7b, 0x7d])]), 'unrecognised-protocol'));

    it('a frame of exactly 10 MiB is accepted', async () => {
      const base = encodeV1Request('request_headers', requestHeadersPayload({ headers: { 'x-pad': [''] } })).length - 4;
      const pad = 'a'.repeat(10 * MiB - base);
      const frame = encodeV1Request('request_headers', requestHeadersPayload({ headers: { 'x-pad': [pad] } }));
      assert.equal(frame.readUInt32BE(0), 10 * MiB);
      const client = await SentinelV1Client.connect(t().socketPath);
      try {
        client.sendRaw(frame);
        assert.equal((await client.reply()).value['decision'], 'allow');
      } finally {
        client.destroy();
      }
    });

    it('a known event with missing fields is answered by the fail policy and the connection stays usable', async () => {
      const client = await SentinelV1Client.connect(t().socketPath);
      try {
        const reply = await client.request('request_headers', { method: 'GET', uri: '/x', headers: {} });
        assert.deepEqual(reply['decision'], { block: { status: 500, body: 'Invalid Agent Event', headers: null } });
        assert.deepEqual((reply['audit'] as Json)['tags'], ['invalid-event']);
        client.sendRaw(envelope('{"version":1,"event_type":"response_headers"}'));
        assert.deepEqual(((await client.reply()).value['audit'] as Json)['tags'], ['invalid-event']);
        assert.equal((await client.request('request_headers', requestHeadersPayload()))['decision'], 'allow');
      } finally {
        client.destroy();
      }
    });

    it('requests before a bad frame are answered, in order, before the connection closes', async () => {
      const client = await SentinelV1Client.connect(t().socketPath);
      client.sendRaw(
        Buffer.concat([
          encodeV1Request('request_headers', requestHeadersPayload({ uri: '/admin' })),
          envelope('not json'),
          encodeV1Request('request_headers', requestHeadersPayload({ uri: '/never-answered' })),
        ]),
      );
      assert.deepEqual((await client.reply()).value['decision'], { block: { status: 403, body: 'Forbidden', headers: null } });
      await client.closed;
      assert.equal(client.unreadReplies, 0);
    });

    it('EOF from the client is a hang-up: the agent closes its side too', async () => {
      const client = await SentinelV1Client.connect(t().socketPath);
      client.sendRaw(encodeV1Request('request_headers', requestHeadersPayload({ uri: '/admin' })));
      client.end();
      await client.closed;
      await t().logs.waitFor((l) => l.msg === 'connection closed');
    });
  });
}

describe('sentinel agent: a client that goes away mid-request', () => {
  it('the guest result arriving after the socket closed is dropped without error, and others are served', async () => {
    const guest = new SlowGuest();
    const t = await startTestAgent({ guest });
    try {
      const client = await SentinelV1Client.connect(t.socketPath);
      client.sendRaw(encodeV1Request('request_headers', requestHeadersPayload()));
      const call = await guest.nextCall();
      client.destroy();
      await t.logs.waitFor((l) => l.msg === 'connection closed');
      call.resolve({ decision: 'allow' });
      await t.logs.waitFor((l) => typeof l.msg === 'string' && l.msg.startsWith('request dropped without reply'));
      const other = await SentinelV1Client.connect(t.socketPath);
      other.sendRaw(encodeV1Request('request_headers', requestHeadersPayload()));
      (await guest.nextCall()).resolve({ decision: 'allow', tags: ['second'] });
      assert.deepEqual(((await other.reply()).value['audit'] as Json)['tags'], ['second']);
      other.destroy();
      assert.equal(t.agent.metrics().events.request_headers?.cancelled, 1);
      assert.deepEqual(t.logs.errors(), []);
    } finally {
      await t.dispose();
    }
  });

  it('requests queued behind a busy pool are dropped when their v2 client disconnects', async () => {
    const guest = new SlowGuest();
    const t = await startTestAgent({ guest, poolSize: 1 });
    try {
      const client = await SentinelV2Client.connect(t.socketPath);
      client.sendRaw(
        Buffer.concat(['a', 'b', 'c'].map((id) => encodeV2Event(V2Type.RequestHeaders, id, requestHeadersPayload({ correlationId: id })))),
      );
      const running = await guest.nextCall();
      client.destroy();
      await t.logs.waitFor((l) => l.msg === 'connection closed');
      running.resolve({ decision: 'allow' });
      await t.logs.waitFor(() => t.agent.metrics().events.request_headers?.cancelled === 3);
      assert.equal(guest.calls.length, 1, 'queued requests were never run');
      await assertAgentServesWith(t, guest);
    } finally {
      await t.dispose();
    }
  });
});

async function assertAgentServesWith(t: TestAgent, guest: SlowGuest): Promise<void> {
  const client = await SentinelV1Client.connect(t.socketPath);
  try {
    client.sendRaw(encodeV1Request('request_headers', requestHeadersPayload()));
    (await guest.nextCall()).resolve({ decision: 'allow' });
    assert.equal((await client.reply()).value['decision'], 'allow');
  } finally {
    client.destroy();
  }
}

describe('sentinel agent: bad input on one connection leaves the others alone', () => {
  // Connections already open, each with a request running, are neither closed nor stalled by bad
  // frames on others (each closes only its own connection), and serve another request afterwards.
  // A stalled or closed connection never gets its reply: the timeout fails the test, and
  // context.after cleans up.
  it('a v1 and a v2 connection with requests in flight are answered and keep serving', { timeout: 5_000 }, async (context) => {
    const guest = new SlowGuest();
    const t = await startTestAgent({ guest, poolSize: 2 });
    const v1 = await SentinelV1Client.connect(t.socketPath);
    const v2 = await SentinelV2Client.connect(t.socketPath);
    context.after(async () => {
      v1.destroy();
      v2.destroy();
      for (const call of guest.calls) call.resolve({ decision: 'allow' }); // a held call would delay close
      await t.dispose();
    });
    v1.sendRaw(encodeV1Request('request_headers', requestHeadersPayload({ uri: '/v1-first' })));
    const v2First = v2.request(V2Type.RequestHeaders, 'v2-first', requestHeadersPayload({ uri: '/v2-first', correlationId: 'v2-first' }));
    const running = [await guest.nextCall(), await guest.nextCall()];
    const callFor = (uri: string) => running.find((c) => (c.input as SentinelRequest).uri === uri)!;

    const envelope = (text: string): Buffer => lengthPrefixed(Buffer.from(text));
    const badInputs: Array<{ protocol: 1 | 2; bytes: Buffer; reason: string; end?: boolean }> = [
      { protocol: 1, bytes: Buffer.concat([u32(10 * MiB + 1), Buffer.from('{')]), reason: 'frame-too-large' },
      { protocol: 1, bytes: u32(0), reason: 'frame-empty' },
      { protocol: 1, bytes: envelope('{"version":1,"event_type":'), reason: 'invalid-json' },
      { protocol: 1, bytes: envelope('{"version":1,"event_type":"request_trailers","payload":{}}'), reason: 'unknown-event-type' },
      { protocol: 1, bytes: envelope('{"version":3,"event_type":"request_headers","payload":{}}'), reason: 'unsupported-version' },
      { protocol: 1, bytes: encodeV1Request('request_headers', requestHeadersPayload()).subarray(0, 40), reason: 'truncated-frame', end: true },
      { protocol: 2, bytes: u32(16 * MiB + 1), reason: 'frame-too-large' },
      { protocol: 2, bytes: encodeV2Event(V2Type.RequestHeaders, 'x', requestHeadersPayload()).subarray(0, 30), reason: 'truncated-frame', end: true },
    ];
    const expectedErrors: Record<string, number> = {};
    for (const { protocol, bytes, reason, end } of badInputs) {
      const bad = protocol === 1 ? await SentinelV1Client.connect(t.socketPath) : await SentinelV2Client.connect(t.socketPath);
      bad.sendRaw(bytes);
      if (end) bad.end();
      await bad.closed;
      if (bad instanceof SentinelV1Client) assert.equal(bad.unreadReplies, 0, reason);
      else assert.deepEqual(bad.unmatched, [], reason);
      expectedErrors[reason] = (expectedErrors[reason] ?? 0) + 1;
      await t.logs.waitFor(() => t.logs.reasons().filter((r) => r === reason).length === expectedErrors[reason]);
    }
    assert.deepEqual(t.agent.metrics().protocolErrors, expectedErrors);
    assert.equal(guest.calls.length, 2, 'no bad input reached the guest');

    // Settled in the opposite order to the one they were sent in.
    callFor('/v2-first').resolve({ decision: 'allow', tags: ['v2-first'] });
    callFor('/v1-first').resolve({ decision: 'block', status: 403, body: 'Forbidden', tags: ['v1-first'] });
    const v2Reply = await v2First;
    assert.equal(v2Reply['decision'], 'allow');
    assert.deepEqual((v2Reply['audit'] as Json)['tags'], ['v2-first']);
    const v1Reply = (await v1.reply()).value;
    assert.deepEqual(v1Reply['decision'], { block: { status: 403, body: 'Forbidden', headers: null } });
    assert.deepEqual((v1Reply['audit'] as Json)['tags'], ['v1-first']);

    v1.sendRaw(encodeV1Request('request_headers', requestHeadersPayload({ uri: '/v1-second' })));
    (await guest.nextCall()).resolve({ decision: 'allow', tags: ['v1-second'] });
    assert.deepEqual(((await v1.reply()).value['audit'] as Json)['tags'], ['v1-second']);
    const v2Second = v2.request(V2Type.RequestHeaders, 'v2-second', requestHeadersPayload({ uri: '/v2-second', correlationId: 'v2-second' }));
    (await guest.nextCall()).resolve({ decision: 'allow', tags: ['v2-second'] });
    assert.deepEqual(((await v2Second)['audit'] as Json)['tags'], ['v2-second']);

    assert.equal(guest.calls.length, 4);
    assert.deepEqual(v2.unmatched, []);
    assert.deepEqual(v2.errors, []);
    assert.equal(v1.unreadReplies, 0);
    assert.deepEqual(t.logs.errors(), []);
  });
});

for (const [kind, loadGuest] of GUESTS) {
  describe(`sentinel agent: bad v2 input (${kind})`, () => {
    const t = suiteAgent(loadGuest);

    async function closesWith(send: (c: SentinelV2Client) => void, reason: string): Promise<void> {
      const client = await SentinelV2Client.connect(t().socketPath);
      send(client);
      await client.closed;
      await t().logs.waitFor((l) => l['reason'] === reason);
      await assertAgentServes(t().socketPath);
    }

    it('a zero length closes the connection', () => closesWith((c) => c.sendRaw(u32(0)), 'frame-empty'));
    it('a length over 16 MiB closes the connection', () => closesWith((c) => c.sendRaw(u32(16 * MiB + 1)), 'frame-too-large'));
    it('a truncated frame followed by EOF closes the connection', () =>
      closesWith((c) => {
        c.sendRaw(encodeV2Event(V2Type.RequestHeaders, 'x', requestHeadersPayload()).subarray(0, 30));
        c.end();
      }, 'truncated-frame'));

    it('an unknown message type is skipped and the connection carries on', async () => {
      const client = await SentinelV2Client.connect(t().socketPath);
      try {
        client.sendRaw(encodeV2Frame(0x99, '{}'));
        client.sendRaw(encodeV2Frame(V2Type.AgentResponse, '{}'));
        await client.ping(1);
        assert.equal((await client.request(V2Type.RequestHeaders, 'ok', requestHeadersPayload()))['decision'], 'allow');
        await t().logs.waitFor((l) => l['reason'] === 'unknown-message-type');
        await t().logs.waitFor((l) => l['reason'] === 'unexpected-message-type');
      } finally {
        client.destroy();
      }
    });

    it('an event that is not JSON, or has no correlation ID, is dropped; the connection carries on', async () => {
      const client = await SentinelV2Client.connect(t().socketPath);
      try {
        client.sendRaw(encodeV2Frame(V2Type.RequestHeaders, '{"metadata":'));
        client.sendRaw(encodeV2Frame(V2Type.ResponseHeaders, '{"status":200,"headers":{}}'));
        assert.equal((await client.request(V2Type.RequestHeaders, 'ok', requestHeadersPayload()))['decision'], 'allow');
        await t().logs.waitFor((l) => l['reason'] === 'invalid-json');
        await t().logs.waitFor((l) => l['reason'] === 'missing-correlation-id');
        assert.deepEqual(client.unmatched, []);
      } finally {
        client.destroy();
      }
    });

    it('an event with a correlation ID but missing fields gets a fail-policy reply routed to it', async () => {
      const client = await SentinelV2Client.connect(t().socketPath);
      try {
        const reply = await client.request(V2Type.ResponseHeaders, 'bad-1', { headers: {} });
        assert.deepEqual(reply['decision'], { block: { status: 500, body: 'Invalid Agent Event', headers: null } });
      } finally {
        client.destroy();
      }
    });

    for (const [title, handshake, error] of [
      ['without version 2', '{"supported_versions":[1,3],"proxy_id":"p","proxy_version":"0","config":null}', /supported_versions must include 2/],
      ['that is not JSON', 'not json', /not UTF-8 JSON/],
      ['that is not an object', '[2]', /supported_versions must include 2/],
    ] as const) {
      it(`a handshake ${title} gets success:false with an error, then the connection closes`, async () => {
        const client = await SentinelV2Client.connect(t().socketPath, { handshake });
        assert.equal(client.handshake?.['success'], false);
        assert.match(String(client.handshake?.['error']), error);
        await client.closed;
        await t().logs.waitFor((l) => l['reason'] === 'handshake-invalid');
        await assertAgentServes(t().socketPath);
      });
    }

    it('an event before the handshake closes the connection', async () => {
      const client = await SentinelV1Client.connect(t().socketPath);
      client.sendRaw(encodeV2Frame(V2Type.Ping, '{"sequence":1}'));
      await client.closed;
      await t().logs.waitFor((l) => l['reason'] === 'unrecognised-protocol');
      await assertAgentServes(t().socketPath);
    });
  });
}
