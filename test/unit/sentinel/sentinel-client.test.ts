// The test client's model of the proxy's deserializer matches the accepted/rejected table of the
// protocol notes row for row, so tests that lean on assertProxyAccepts check the real contract.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PROXY_HANDSHAKE,
  ProxyRejection,
  assertHandshakeAccepted,
  assertProxyAccepts,
  assertSdkShape,
  canonicalJson,
  encodeV1Request,
  encodeV2Frame,
  requestHeadersPayload,
} from '../../helpers/sentinel-client.js';

const accepted: Array<[string, string]> = [
  ['minimal allow', '{"version":1,"decision":"allow"}'],
  ['allow as a map with null', '{"version":1,"decision":{"allow":null}}'],
  ['block with only a status', '{"version":1,"decision":{"block":{"status":403}}}'],
  ['confidence null', '{"version":1,"decision":"allow","audit":{"confidence":null}}'],
  ['redirect with url and status', '{"version":1,"decision":{"redirect":{"url":"https://example.com/login","status":302}}}'],
  ['challenge with params', '{"version":1,"decision":{"challenge":{"challenge_type":"captcha","params":{"site_key":"abc"}}}}'],
  ['websocket close', '{"version":1,"decision":"allow","websocket_decision":{"close":{"code":1008,"reason":"policy"}}}'],
  [
    'header ops in serde form',
    '{"version":1,"decision":"allow","request_headers":[{"set":{"name":"X-Wasm-Processed","value":"true"}},{"remove":{"name":"X-Debug"}}],"response_headers":[{"add":{"name":"X-Frame-Options","value":"DENY"}}]}',
  ],
  [
    'the SDK block example',
    '{"version":1,"decision":{"block":{"status":403,"body":"Forbidden","headers":null}},"request_headers":[],"response_headers":[],"routing_metadata":{},"audit":{"tags":["sqli-detected"],"rule_ids":["942100"],"confidence":0.9,"reason_codes":["SQLI"],"custom":{}},"needs_more":false,"request_body_mutation":null,"response_body_mutation":null,"websocket_decision":null}',
  ],
  ['unknown fields are ignored', '{"version":1,"decision":"allow","extra":{"anything":[1,2]}}'],
];

const rejected: Array<[string, string]> = [
  ['missing version', '{"decision":"allow"}'],
  ['{"allow":{}} from the published docs', '{"version":1,"decision":{"allow":{}}}'],
  ['"Allow" capitalised', '{"version":1,"decision":"Allow"}'],
  ['string status', '{"version":1,"decision":{"block":{"status":"403"}}}'],
  ['redirect without status', '{"version":1,"decision":{"redirect":{"url":"/x"}}}'],
  ['challenge without params', '{"version":1,"decision":{"challenge":{"challenge_type":"captcha"}}}'],
  ['audit null', '{"version":1,"decision":"allow","audit":null}'],
  ['request_headers null', '{"version":1,"decision":"allow","request_headers":null}'],
  ['{"type":"set"} header-op form', '{"version":1,"decision":"allow","request_headers":[{"type":"set","name":"a","value":"b"}]}'],
  ['status out of u16 range', '{"version":1,"decision":{"block":{"status":70000}}}'],
  ['block as a bare string', '{"version":1,"decision":"block"}'],
  ['missing decision', '{"version":1}'],
];

describe('assertProxyAccepts models the proxy deserializer', () => {
  for (const [title, json] of accepted) {
    it(`accepts ${title}`, () => {
      assertProxyAccepts(json, { protocol: 1 });
    });
  }
  for (const [title, json] of rejected) {
    it(`rejects ${title}`, () => {
      assert.throws(() => assertProxyAccepts(json, { protocol: 1 }), ProxyRejection);
    });
  }

  it('"version":2 parses but the v1 client rejects it (VersionMismatch); v2 accepts it', () => {
    const json = '{"version":2,"decision":"allow"}';
    assert.throws(() => assertProxyAccepts(json, { protocol: 1 }), /VersionMismatch/);
    assertProxyAccepts(json, { protocol: 2 });
  });

  it('v2 replies must carry the request correlation_id in audit.custom', () => {
    const json = '{"version":2,"decision":"allow","audit":{"custom":{"correlation_id":"abc"}}}';
    assertProxyAccepts(json, { protocol: 2, correlationId: 'abc' });
    assert.throws(() => assertProxyAccepts(json, { protocol: 2, correlationId: 'other' }), ProxyRejection);
    assert.throws(() => assertProxyAccepts('{"version":2,"decision":"allow"}', { protocol: 2, correlationId: 'abc' }), ProxyRejection);
  });

  it('assertSdkShape insists on every field, in SDK order', () => {
    const full = JSON.parse(accepted[8]?.[1] ?? '') as Record<string, unknown>;
    assertSdkShape(full);
    assert.throws(() => assertSdkShape({ version: 1, decision: 'allow' }), ProxyRejection);
  });
});

describe('the test client speaks the proxy wire format', () => {
  it('v1 request frames start as the notes show: length then {"version":1,"event_', () => {
    const frame = encodeV1Request('request_headers', requestHeadersPayload());
    assert.equal(frame.readUInt32BE(0), frame.length - 4);
    assert.equal(frame.subarray(4, 24).toString('hex'), Buffer.from('{"version":1,"event_').toString('hex'));
  });

  it('payload keys come out sorted, as serde_json::Value writes them', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
  });

  it('the handshake frame starts 00 00 00 7c 01 7b', () => {
    const frame = encodeV2Frame(0x01, PROXY_HANDSHAKE);
    assert.equal(frame.subarray(0, 6).toString('hex'), '0000007c017b');
  });

  it('the notes handshake response example satisfies the handshake checks; features:{} does not', () => {
    const example =
      '{"protocol_version":2,"capabilities":{"agent_id":"ts-agent","name":"TS Agent","version":"1.0.0","supported_events":[1,3],"features":{"streaming_body":false,"websocket":false,"guardrails":false,"config_push":false,"metrics_export":false,"concurrent_requests":100,"cancellation":false,"flow_control":false,"health_reporting":false},"limits":{"max_body_size":10485760,"max_concurrency":100,"preferred_chunk_size":65536}},"success":true,"error":null,"encoding":"json"}';
    assertHandshakeAccepted(JSON.parse(example));
    const broken = JSON.parse(example) as { capabilities: { features: unknown } };
    broken.capabilities.features = {};
    assert.throws(() => assertHandshakeAccepted(broken), ProxyRejection);
  });
});
