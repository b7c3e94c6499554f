import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { SentinelResultCache } from '../../../src/abi/sentinel-json/result-codec.js';
import type { SentinelResult } from '../../../src/abi/index.js';
import { serializeResponse, type AgentResponse } from '../../../src/sentinel/agent-response.js';
import { AgentMetrics } from '../../../src/sentinel/agent-metrics.js';
import { CallGate } from '../../../src/sentinel/call-gate.js';
import { EventHandler } from '../../../src/sentinel/event-handler.js';
import { GuestSlot } from '../../../src/sentinel/guest-slot.js';
import { requestHeadersPayload } from '../../helpers/sentinel-client.js';

/** A handler whose guest answers every request with `answer()`. */
function handlerWith(answer: () => SentinelResult): EventHandler {
  const guests = new GuestSlot(() => {});
  guests.install({ onRequestHeaders: async () => answer(), onResponseHeaders: async () => answer(), close: async () => {} });
  return new EventHandler({ gate: new CallGate(4), guests, metrics: new AgentMetrics(), logger: pino({ level: 'silent' }), settings: { poolSize: 4, failOpen: false } });
}

const ctx = (version: 1 | 2) => ({ version, signal: new AbortController().signal, connection: 1 });
const serialize = (r: AgentResponse) => serializeResponse(r, 1 << 20, () => assert.fail('no fallback expected'));

test('a shared guest result (as the wasm ABI returns) gets one v1 reply, serialized once, with the same content as a fresh build', async () => {
  const cache = new SentinelResultCache();
  const shared = cache.parse('{"decision":"allow","add_request_headers":{"X-Processed":"true"},"remove_request_headers":["X-Debug"],"tags":["processed"]}');
  const handler = handlerWith(() => shared);
  const first = (await handler.handle('request_headers', requestHeadersPayload(), ctx(1)))!;
  const second = (await handler.handle('request_headers', requestHeadersPayload(), ctx(1)))!;
  assert.equal(second, first, 'the same reply object');
  assert.equal(serialize(second).json, serialize(first).json);
  assert.equal(serialize(second), serialize(first), 'JSON written once and reused');
  // Same content as a reply built from an equal but unshared result.
  const fresh = handlerWith(() => JSON.parse(JSON.stringify(shared)) as SentinelResult);
  const built = (await fresh.handle('request_headers', requestHeadersPayload(), ctx(1)))!;
  assert.notEqual(built, first);
  assert.equal(serialize(built).json, serialize(first).json);
  assert.deepEqual(JSON.parse(serialize(first).json).request_headers, [{ set: { name: 'X-Processed', value: 'true' } }, { remove: { name: 'X-Debug' } }]);
});

test('results that are not shared, and every v2 reply, are built per event (a v2 reply gets its own correlation id)', async () => {
  const plain: SentinelResult = { decision: 'allow', tags: ['a'] };
  const handler = handlerWith(() => plain);
  const a = await handler.handle('request_headers', requestHeadersPayload(), ctx(1));
  const b = await handler.handle('request_headers', requestHeadersPayload(), ctx(1));
  assert.notEqual(a, b);
  const shared = new SentinelResultCache().parse('{"decision":"block","status":401}');
  const v2 = handlerWith(() => shared);
  const c = (await v2.handle('request_headers', requestHeadersPayload(), ctx(2)))!;
  const d = (await v2.handle('request_headers', requestHeadersPayload(), ctx(2)))!;
  assert.notEqual(c, d);
  c.audit.custom['correlation_id'] = 'one';
  d.audit.custom['correlation_id'] = 'two';
  assert.notEqual(serialize(c).json, serialize(d).json);
  assert.deepEqual(c.decision, { block: { status: 401, body: null, headers: null } });
});
