// #4 with real guests: the test-core `decisions` guest returns every kind of result; the agent maps
// them as upstream does (decision lowercased, block/deny default 403, redirect = block 302 + Location)
// and treats an unknown decision or a wrongly typed field as a module error, answered by the fail
// policy (wasmgate refuses an unknown decision on purpose: docs/errors.md WG_ERR_GUEST_BAD_OUTPUT).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SentinelV1Client, SentinelV2Client, V2Type, requestHeadersPayload, responseHeadersPayload } from '../../../helpers/sentinel-client.js';
import type { TestAgent } from '../agent-fixture.js';
import {
  assertBareAllow,
  assertFailClosed,
  assertFailOpen,
  askV1,
  askV2,
  requestOps,
  responseOps,
  startRealAgent,
  tagsOf,
  type Json,
} from './real-agent.js';

const LOGIN = 'https://example.com/login';
const ask = (client: SentinelV1Client, uri: string): Promise<Json> => askV1(client, 'request_headers', requestHeadersPayload({ uri }));

describe('real guest decisions: result mapping (fail-closed agent)', { timeout: 20_000 }, () => {
  let t: TestAgent;
  let client: SentinelV1Client;
  before(async () => {
    t = await startRealAgent('test-core', 'decisions', { poolSize: 2 });
    client = await SentinelV1Client.connect(t.socketPath);
  });
  after(async () => {
    client?.destroy();
    await t?.dispose();
  });

  it('block with a status keeps it; block without one defaults to 403', async () => {
    for (const status of [401, 451, 503]) {
      const reply = await ask(client, `/block?status=${status}`);
      assert.deepEqual(reply['decision'], { block: { status, body: 'blocked', headers: null } });
      assert.deepEqual(requestOps(reply), []);
      assert.deepEqual(responseOps(reply), []);
    }
    const reply = await ask(client, '/block');
    assert.deepEqual(reply['decision'], { block: { status: 403, body: 'blocked', headers: null } });
  });

  it('deny is a block 403 with no body', async () => {
    const reply = await ask(client, '/deny');
    assert.deepEqual(reply['decision'], { block: { status: 403, body: null, headers: null } });
    assert.deepEqual(tagsOf(reply), []);
  });

  it('redirect is a block 302 with Location in block.headers and as the first response-header set op', async () => {
    const reply = await ask(client, '/redirect');
    assert.deepEqual(reply['decision'], { block: { status: 302, body: null, headers: { Location: LOGIN } } });
    assert.deepEqual(responseOps(reply), [{ set: { name: 'Location', value: LOGIN } }]);
    assert.deepEqual(requestOps(reply), []);
  });

  it('an upper-case decision ("BLOCK") is lowercased: block 403', async () => {
    const reply = await ask(client, '/Block-mixed-case');
    assert.deepEqual(reply['decision'], { block: { status: 403, body: null, headers: null } });
  });

  it('a zero result (ptr 0, len 0) and the plain route are allow', async () => {
    assertBareAllow(await ask(client, '/zero'));
    assertBareAllow(await ask(client, '/anything-else'));
  });

  it('a module without on_response_headers answers response_headers with allow', async () => {
    assertBareAllow(await askV1(client, 'response_headers', responseHeadersPayload({ status: 200 })));
  });

  it('an unknown decision is a module error: block 500 "Wasm Error"', async () => {
    assertFailClosed(await ask(client, '/unknown'), /unknown decision "frobnicate"/);
  });

  it('a wrongly typed field ("status":"403") is a module error: block 500 "Wasm Error"', async () => {
    assertFailClosed(await ask(client, '/bad-types'), /field "status" must be an HTTP status code/);
  });

  it('a status outside 100..999 is a module error', async () => {
    assertFailClosed(await ask(client, '/block?status=99'), /field "status" must be an HTTP status code 100\.\.999, got 99/);
    assertFailClosed(await ask(client, '/block?status=70000'), /got 70000/);
  });

  it('after module errors the same connection keeps getting correct answers', async () => {
    await ask(client, '/unknown');
    const reply = await ask(client, '/block?status=429');
    assert.deepEqual(reply['decision'], { block: { status: 429, body: 'blocked', headers: null } });
    const m = t.agent.metrics().events.request_headers!;
    assert.ok(m.errors >= 5, `errors counted: ${m.errors}`);
    assert.ok((m.decisions['block'] ?? 0) >= 5);
  });

  it('the same mapping over v2, routed by correlation ID', async () => {
    const v2 = await SentinelV2Client.connect(t.socketPath);
    try {
      const [redirect, unknown, allow] = await Promise.all([
        askV2(v2, V2Type.RequestHeaders, 'r', requestHeadersPayload({ uri: '/redirect', correlationId: 'r' })),
        askV2(v2, V2Type.RequestHeaders, 'u', requestHeadersPayload({ uri: '/unknown', correlationId: 'u' })),
        askV2(v2, V2Type.RequestHeaders, 'a', requestHeadersPayload({ uri: '/zero', correlationId: 'a' })),
      ]);
      assert.deepEqual(redirect['decision'], { block: { status: 302, body: null, headers: { Location: LOGIN } } });
      assert.deepEqual(responseOps(redirect), [{ set: { name: 'Location', value: LOGIN } }]);
      assertFailClosed(unknown, /unknown decision/);
      assert.equal(allow['decision'], 'allow');
    } finally {
      v2.destroy();
    }
  });
});

describe('real guest decisions: module errors with --fail-open', { timeout: 20_000 }, () => {
  let t: TestAgent;
  let client: SentinelV1Client;
  before(async () => {
    t = await startRealAgent('test-core', 'decisions', { poolSize: 2, failOpen: true });
    client = await SentinelV1Client.connect(t.socketPath);
  });
  after(async () => {
    client?.destroy();
    await t?.dispose();
  });

  it('an unknown decision is allowed, tagged wasm-error + fail-open, with the error as reason code', async () => {
    assertFailOpen(await ask(client, '/unknown'), /unknown decision "frobnicate"/);
  });

  it('a wrongly typed field is allowed the same way', async () => {
    assertFailOpen(await ask(client, '/bad-types'), /field "status"/);
  });

  it('valid decisions are unaffected by fail-open', async () => {
    const reply = await ask(client, '/deny');
    assert.deepEqual(reply['decision'], { block: { status: 403, body: null, headers: null } });
  });
});
