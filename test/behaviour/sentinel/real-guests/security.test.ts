// #4 with real guests: the sentinel-security example (AssemblyScript, built from source) served over
// a Unix socket, v1 and v2, every reply checked as the proxy would; and the echo guest showing
// exactly what the agent hands a guest (header arrays joined with ", ", client_ip and
// correlation_id from metadata).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  SentinelV1Client,
  SentinelV2Client,
  V2Type,
  encodeV1Request,
  guardrailInspectPayload,
  requestBodyChunkPayload,
  requestCompletePayload,
  requestHeadersPayload,
  responseBodyChunkPayload,
  responseHeadersPayload,
  websocketFramePayload,
} from '../../../helpers/sentinel-client.js';
import type { TestAgent } from '../agent-fixture.js';
import { askV1, askV2, requestOps, responseOps, startRealAgent, tagsOf, type Json } from './real-agent.js';

const ADMIN_BLOCK_V1 =
  '{"version":1,"decision":{"block":{"status":403,"body":"Forbidden","headers":null}},"request_headers":[],"response_headers":[],' +
  '"routing_metadata":{},"audit":{"tags":["admin-blocked"],"rule_ids":[],"confidence":null,"reason_codes":[],"custom":{}},' +
  '"needs_more":false,"request_body_mutation":null,"response_body_mutation":null,"websocket_decision":null}';

describe('real guest sentinel-security over v1', { timeout: 20_000 }, () => {
  let t: TestAgent;
  let client: SentinelV1Client;
  before(async () => {
    t = await startRealAgent('examples', 'sentinel-security', { poolSize: 2 });
    client = await SentinelV1Client.connect(t.socketPath);
  });
  after(async () => {
    client?.destroy();
    await t?.dispose();
  });

  it('blocks /admin with 403 "Forbidden" and the audit tag, byte for byte', async () => {
    client.sendRaw(encodeV1Request('request_headers', requestHeadersPayload({ uri: '/admin/users' })));
    const reply = await client.reply();
    assert.equal(reply.raw, ADMIN_BLOCK_V1);
    const again = await askV1(client, 'request_headers', requestHeadersPayload({ uri: '/api/admin?x=1', method: 'POST' }));
    assert.deepEqual(again['decision'], { block: { status: 403, body: 'Forbidden', headers: null } });
    assert.deepEqual(tagsOf(again), ['admin-blocked']);
  });

  it('allows other paths with the request header ops in the guest order: set X-Processed, remove X-Debug', async () => {
    for (const uri of ['/', '/api/users?page=1', '/Admin-is-case-sensitive']) {
      const reply = await askV1(
        client,
        'request_headers',
        requestHeadersPayload({ uri, headers: { 'x-debug': ['1'], 'user-agent': ['curl/8.5.0'] } }),
      );
      assert.equal(reply['decision'], 'allow', uri);
      assert.deepEqual(requestOps(reply), [{ set: { name: 'X-Processed', value: 'true' } }, { remove: { name: 'X-Debug' } }]);
      assert.deepEqual(responseOps(reply), []);
      assert.deepEqual(tagsOf(reply), ['processed']);
    }
  });

  it('answers response_headers with set X-Frame-Options: DENY, remove Server and a status tag', async () => {
    const ok = await askV1(client, 'response_headers', responseHeadersPayload({ status: 200, headers: { server: ['nginx'] } }));
    assert.equal(ok['decision'], 'allow');
    assert.deepEqual(responseOps(ok), [{ set: { name: 'X-Frame-Options', value: 'DENY' } }, { remove: { name: 'Server' } }]);
    assert.deepEqual(requestOps(ok), []);
    assert.deepEqual(tagsOf(ok), ['status-200']);
    const missing = await askV1(client, 'response_headers', responseHeadersPayload({ status: 404 }));
    assert.deepEqual(tagsOf(missing), ['status-404']);
  });

  it('answers the events the ABI has no hook for with allow', async () => {
    for (const [type, payload] of [
      ['request_body_chunk', requestBodyChunkPayload()],
      ['response_body_chunk', responseBodyChunkPayload()],
      ['request_complete', requestCompletePayload()],
      ['web_socket_frame', websocketFramePayload()],
      ['guardrail_inspect', guardrailInspectPayload()],
    ] as const) {
      const reply = await askV1(client, type, payload);
      assert.equal(reply['decision'], 'allow', type);
      assert.deepEqual(tagsOf(reply), [], type);
    }
  });
});

describe('real guest sentinel-security over v2', { timeout: 20_000 }, () => {
  let t: TestAgent;
  let client: SentinelV2Client;
  before(async () => {
    t = await startRealAgent('examples', 'sentinel-security', { poolSize: 2 });
    client = await SentinelV2Client.connect(t.socketPath);
  });
  after(async () => {
    client?.destroy();
    await t?.dispose();
  });

  it('routes block and allow replies by correlation ID', async () => {
    const [admin, api, response] = await Promise.all([
      askV2(client, V2Type.RequestHeaders, 'cid-admin', requestHeadersPayload({ uri: '/admin', correlationId: 'cid-admin' })),
      askV2(client, V2Type.RequestHeaders, 'cid-api', requestHeadersPayload({ uri: '/api', correlationId: 'cid-api' })),
      askV2(client, V2Type.ResponseHeaders, 'cid-resp', responseHeadersPayload({ status: 200, correlationId: 'cid-resp' })),
    ]);
    assert.equal(admin['version'], 2);
    assert.deepEqual(admin['decision'], { block: { status: 403, body: 'Forbidden', headers: null } });
    assert.deepEqual(tagsOf(admin), ['admin-blocked']);
    assert.deepEqual(requestOps(api), [{ set: { name: 'X-Processed', value: 'true' } }, { remove: { name: 'X-Debug' } }]);
    assert.deepEqual(responseOps(response), [{ set: { name: 'X-Frame-Options', value: 'DENY' } }, { remove: { name: 'Server' } }]);
    assert.deepEqual(tagsOf(response), ['status-200']);
  });
});

describe('real guest echo: what the agent hands the guest', { timeout: 20_000 }, () => {
  let t: TestAgent;
  let client: SentinelV1Client;
  before(async () => {
    t = await startRealAgent('test-core', 'echo', { poolSize: 2 });
    client = await SentinelV1Client.connect(t.socketPath);
  });
  after(async () => {
    client?.destroy();
    await t?.dispose();
  });

  it('request: method, uri, client_ip and correlation_id from metadata; header arrays joined with ", "', async () => {
    const reply = await askV1(
      client,
      'request_headers',
      requestHeadersPayload({
        method: 'PATCH',
        uri: '/items/42?q=a%20b&x=1',
        clientIp: '2001:db8::7',
        correlationId: 'corr-7f3a',
        headers: {
          accept: ['text/html', 'application/json'],
          'x-forwarded-for': ['10.0.0.1', '10.0.0.2', '10.0.0.3'],
          'x-single': ['one'],
          'x-empty-list': [],
          'x-quoted': ['say "hi" \\ back', 'tab\there'],
          'x-unicode': ['café ✓'],
        },
      }),
    );
    assert.equal(reply['decision'], 'allow');
    assert.deepEqual(tagsOf(reply), ['PATCH', '/items/42?q=a%20b&x=1', '2001:db8::7', 'corr-7f3a']);
    // The proxy's payload is a serde Value (sorted keys), so the guest sees headers in sorted order.
    assert.deepEqual(requestOps(reply), [
      { set: { name: 'x-echo-accept', value: 'text/html, application/json' } },
      { set: { name: 'x-echo-x-empty-list', value: '' } },
      { set: { name: 'x-echo-x-forwarded-for', value: '10.0.0.1, 10.0.0.2, 10.0.0.3' } },
      { set: { name: 'x-echo-x-quoted', value: 'say "hi" \\ back, tab\there' } },
      { set: { name: 'x-echo-x-single', value: 'one' } },
      { set: { name: 'x-echo-x-unicode', value: 'café ✓' } },
    ]);
  });

  it('response: status and correlation_id; header arrays joined with ", "', async () => {
    const reply = await askV1(
      client,
      'response_headers',
      responseHeadersPayload({ status: 503, correlationId: 'resp-9', headers: { 'set-cookie': ['a=1', 'b=2'], server: ['nginx'] } }),
    );
    assert.deepEqual(tagsOf(reply), ['503', 'resp-9']);
    assert.deepEqual(responseOps(reply), [
      { set: { name: 'x-echo-server', value: 'nginx' } },
      { set: { name: 'x-echo-set-cookie', value: 'a=1, b=2' } },
    ]);
  });

  it('v2: the guest sees metadata.correlation_id, and the reply carries the event correlation_id', async () => {
    const v2 = await SentinelV2Client.connect(t.socketPath);
    try {
      const reply: Json = await askV2(
        v2,
        V2Type.RequestHeaders,
        'v2-cid',
        requestHeadersPayload({ correlationId: 'v2-cid', clientIp: '203.0.113.9', uri: '/v2' }),
      );
      assert.deepEqual(tagsOf(reply), ['GET', '/v2', '203.0.113.9', 'v2-cid']);
    } finally {
      v2.destroy();
    }
  });
});
