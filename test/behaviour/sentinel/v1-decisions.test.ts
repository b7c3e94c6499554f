// #4: v1 replies map guest results exactly as upstream sentinel-agent-wasm does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HeaderListGuest } from '../../../src/abi/index.js';
import { WasmgateError } from '../../../src/errors.js';
import { GuestFault } from '../../../src/runtime/guest-fault.js';
import {
  SentinelV1Client,
  configurePayload,
  guardrailInspectPayload,
  requestBodyChunkPayload,
  requestCompletePayload,
  requestHeadersPayload,
  responseBodyChunkPayload,
  responseHeadersPayload,
  websocketFramePayload,
} from '../../helpers/sentinel-client.js';
import { scriptedGuest, securityGuest, throwingGuest } from './fake-guests.js';
import { startTestAgent, type TestAgent } from './agent-fixture.js';

async function replyFor(guest: Parameters<typeof startTestAgent>[0], event = 'request_headers', payload: unknown = requestHeadersPayload()) {
  const t = await startTestAgent(guest);
  const client = await SentinelV1Client.connect(t.socketPath);
  try {
    return await client.request(event, payload);
  } finally {
    client.destroy();
    await t.dispose();
  }
}

describe('sentinel agent v1: the security guest', () => {
  let t: TestAgent;
  let client: SentinelV1Client;
  const guest = securityGuest();

  before(async () => {
    t = await startTestAgent({ guest });
    client = await SentinelV1Client.connect(t.socketPath);
  });
  after(async () => {
    client.destroy();
    await t.dispose();
  });

  it('blocks /admin with 403 "Forbidden", the exact SDK bytes', async () => {
    client.sendRaw((await import('../../helpers/sentinel-client.js')).encodeV1Request('request_headers', requestHeadersPayload({ uri: '/admin/users' })));
    const { raw } = await client.reply();
    assert.equal(
      raw,
      '{"version":1,"decision":{"block":{"status":403,"body":"Forbidden","headers":null}},"request_headers":[],"response_headers":[],"routing_metadata":{},"audit":{"tags":["admin-blocked"],"rule_ids":[],"confidence":null,"reason_codes":[],"custom":{}},"needs_more":false,"request_body_mutation":null,"response_body_mutation":null,"websocket_decision":null}',
    );
  });

  it('allows other paths with set ops in the module key order, then remove ops, and tags', async () => {
    const reply = await client.request('request_headers', requestHeadersPayload({ uri: '/api', clientIp: '10.0.0.7' }));
    assert.equal(reply['decision'], 'allow');
    assert.deepEqual(reply['request_headers'], [
      { set: { name: 'X-Processed', value: 'true' } },
      { set: { name: 'X-Client-IP', value: '10.0.0.7' } },
      { remove: { name: 'X-Debug' } },
    ]);
    assert.deepEqual(reply['response_headers'], []);
    assert.deepEqual((reply['audit'] as { tags: string[] }).tags, ['processed']);
  });

  it('passes the guest method, uri, client_ip and correlation_id from metadata, and joins repeated header values with ", "', async () => {
    await client.request(
      'request_headers',
      requestHeadersPayload({
        method: 'POST',
        uri: '/api/users?page=1',
        clientIp: '192.168.1.100',
        correlationId: 'corr-42',
        headers: { accept: ['text/html', 'application/json'], 'user-agent': ['curl/8.5.0'] },
      }),
    );
    assert.deepEqual({ ...guest.requests.at(-1) }, {
      method: 'POST',
      uri: '/api/users?page=1',
      client_ip: '192.168.1.100',
      correlation_id: 'corr-42',
      headers: { accept: 'text/html, application/json', 'user-agent': 'curl/8.5.0' },
    });
  });

  it('maps response_headers to on_response_headers: status, correlation_id, flattened headers', async () => {
    const reply = await client.request('response_headers', responseHeadersPayload({ status: 404, correlationId: 'c-9', headers: { server: ['nginx'], vary: ['a', 'b'] } }));
    assert.deepEqual({ ...guest.responses.at(-1) }, { status: 404, correlation_id: 'c-9', headers: { server: 'nginx', vary: 'a, b' } });
    assert.deepEqual(reply['response_headers'], [
      { set: { name: 'X-Content-Type-Options', value: 'nosniff' } },
      { set: { name: 'X-Frame-Options', value: 'DENY' } },
      { remove: { name: 'Server' } },
      { remove: { name: 'X-Powered-By' } },
    ]);
    assert.deepEqual((reply['audit'] as { tags: string[] }).tags, ['status-404']);
  });

  for (const [event, payload] of [
    ['request_body_chunk', requestBodyChunkPayload()],
    ['response_body_chunk', responseBodyChunkPayload()],
    ['request_complete', requestCompletePayload()],
    ['web_socket_frame', websocketFramePayload()],
    ['websocket_frame', websocketFramePayload()],
    ['guardrail_inspect', guardrailInspectPayload()],
  ] as const) {
    it(`answers ${event} with a plain allow (websocket_decision null)`, async () => {
      const reply = await client.request(event, payload);
      assert.equal(reply['decision'], 'allow');
      assert.equal(reply['websocket_decision'], null);
      assert.deepEqual(reply['request_headers'], []);
    });
  }

  it('answers configure with allow when both keys are valid', async () => {
    const reply = await client.request('configure', configurePayload({ 'fail-open': false, 'pool-size': 4 }));
    assert.equal(reply['decision'], 'allow');
  });
});

describe('sentinel agent v1: a guest that takes header lists', () => {
  it('gets the header value lists as the proxy sent them (a wasm module joins them as it writes its input)', async () => {
    const inputs: unknown[] = [];
    const guest: HeaderListGuest = {
      acceptsHeaderLists: true,
      async onRequestHeaders(request) {
        inputs.push(request);
        return { decision: 'allow' };
      },
      async onResponseHeaders(response) {
        inputs.push(response);
        return { decision: 'allow' };
      },
    };
    const t = await startTestAgent({ guest });
    const client = await SentinelV1Client.connect(t.socketPath);
    try {
      const headers = { accept: ['text/html', 'application/json'], 'x-empty': [] };
      await client.request('request_headers', requestHeadersPayload({ uri: '/x', clientIp: '10.1.1.1', correlationId: 'c-1', headers }));
      await client.request('response_headers', responseHeadersPayload({ status: 201, correlationId: 'c-1', headers: { vary: ['a', 'b'] } }));
      assert.deepEqual(inputs.map((i) => ({ ...(i as object) })), [
        { method: 'GET', uri: '/x', client_ip: '10.1.1.1', correlation_id: 'c-1', headers },
        { status: 201, correlation_id: 'c-1', headers: { vary: ['a', 'b'] } },
      ]);
    } finally {
      client.destroy();
      await t.dispose();
    }
  });
});

describe('sentinel agent v1: decisions and their defaults', () => {
  const cases: Array<[string, unknown, unknown, unknown[]?]> = [
    ['block without status → 403, body null', { decision: 'block' }, { block: { status: 403, body: null, headers: null } }],
    ['deny → block', { decision: 'deny', status: 401, body: 'no' }, { block: { status: 401, body: 'no', headers: null } }],
    ['decision is case-insensitive', { decision: 'BLOCK', status: 451 }, { block: { status: 451, body: null, headers: null } }],
    [
      'redirect → block 302 with Location in headers and a Location set op',
      { decision: 'redirect', body: 'https://example.com/login' },
      { block: { status: 302, body: null, headers: { Location: 'https://example.com/login' } } },
      [{ set: { name: 'Location', value: 'https://example.com/login' } }],
    ],
    [
      'redirect keeps an explicit status and puts Location before the module response headers',
      { decision: 'Redirect', status: 307, body: '/x', add_response_headers: { 'X-A': '1' } },
      { block: { status: 307, body: null, headers: { Location: '/x' } } },
      [{ set: { name: 'Location', value: '/x' } }, { set: { name: 'X-A', value: '1' } }],
    ],
    ['redirect without a URL → block 302, no Location', { decision: 'redirect' }, { block: { status: 302, body: null, headers: null } }, []],
    ['unknown decision → allow', { decision: 'quarantine', status: 418, body: 'x' }, 'allow'],
    ['allow ignores status and body', { decision: 'allow', status: 403, body: 'x' }, 'allow'],
  ];
  for (const [title, result, decision, responseHeaders] of cases) {
    it(title, async () => {
      const reply = await replyFor({ guest: scriptedGuest(result) });
      assert.deepEqual(reply['decision'], decision);
      if (responseHeaders !== undefined) assert.deepEqual(reply['response_headers'], responseHeaders);
    });
  }
});

describe('sentinel agent v1: guest errors and the fail policy', () => {
  it('fail-closed: a throwing guest gets block 500 "Wasm Error", tag wasm-error, the message as reason code', async () => {
    const fault = new GuestFault('trap', 'guest trapped in on_request_headers: unreachable');
    const reply = await replyFor({ guest: throwingGuest(fault) });
    assert.deepEqual(reply['decision'], { block: { status: 500, body: 'Wasm Error', headers: null } });
    assert.deepEqual(reply['audit'], { tags: ['wasm-error'], rule_ids: [], confidence: null, reason_codes: [fault.message], custom: {} });
  });

  it('fail-open: a throwing guest is allowed with tags wasm-error, fail-open', async () => {
    const reply = await replyFor({ guest: throwingGuest(new Error('boom')), failOpen: true });
    assert.equal(reply['decision'], 'allow');
    assert.deepEqual(reply['audit'], { tags: ['wasm-error', 'fail-open'], rule_ids: [], confidence: null, reason_codes: ['boom'], custom: {} });
  });

  it('a guest that throws a non-Error value is handled the same way', async () => {
    const reply = await replyFor({ guest: throwingGuest('plain string') });
    assert.deepEqual((reply['audit'] as { reason_codes: string[] }).reason_codes, ['plain string']);
  });

  it('a result the proxy could not use (string status) is a bad-output error, not a reply', async () => {
    const reply = await replyFor({ guest: scriptedGuest({ decision: 'block', status: '403' }) });
    assert.deepEqual(reply['decision'], { block: { status: 500, body: 'Wasm Error', headers: null } });
    const [reason] = (reply['audit'] as { reason_codes: string[] }).reason_codes;
    assert.match(reason ?? '', /status/);
  });

  it('the response hook obeys the same policy', async () => {
    const reply = await replyFor({ guest: throwingGuest(new WasmgateError('WG_ERR_GUEST_TIMEOUT')) }, 'response_headers', responseHeadersPayload());
    assert.deepEqual(reply['decision'], { block: { status: 500, body: 'Wasm Error', headers: null } });
  });
});
