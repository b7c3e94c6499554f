// `wasmgate demo` (what `npm start` runs): the echo upstream behind the gateway with the auth and
// logging examples, through the real CLI.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startDemoCli, type GatewayProcess } from '../../helpers/gateway-cli.js';

let demo: GatewayProcess;
before(async () => {
  demo = await startDemoCli(['--port', '0']);
});
after(() => demo.stop());

test('without the demo key the auth module answers 401', async () => {
  const res = await fetch(`${demo.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":"demo"}' });
  assert.equal(res.status, 401);
});

test('with the key the request reaches the echo upstream, changed by the logging module, and comes back whole', async () => {
  const res = await fetch(`${demo.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer demo-key', 'content-type': 'application/json' },
    body: '{"model":"demo"}',
  });
  assert.equal(res.status, 200);
  const text = await res.text();
  assert.equal(res.headers.get('content-length'), String(Buffer.byteLength(text)), 'the answer has its length: OnResponse modules see it');
  const echoed = JSON.parse(text) as { method: string; url: string; headers: Record<string, string>; body: string };
  assert.equal(echoed.method, 'POST');
  assert.equal(echoed.url, '/v1/chat/completions');
  assert.equal(echoed.body, '{"model":"demo"}');
  assert.equal(echoed.headers['x-wasm-processed'], 'true');
  assert.equal(echoed.headers['x-api-route'], 'true');
  assert.match(res.headers.get('x-request-id') ?? '', /^chatcmpl-/);
});

test('GET /wasm lists both example modules with their calls, and nothing was skipped as a stream', async () => {
  type Listed = { modules: Array<{ module_meta: { name: string }; status: string; metrics: { total_executions: number; failed_executions: number } }> };
  const listed = (await (await fetch(`${demo.url}/wasm`)).json()) as Listed;
  assert.deepEqual(listed.modules.map((m) => `${m.module_meta.name}:${m.status}`).sort(), ['auth:loaded', 'logging:loaded']);
  const logging = listed.modules.find((m) => m.module_meta.name === 'logging')!;
  // The earlier test's request ran logging on the request and on the response (401s stop at auth).
  assert.equal(logging.metrics.total_executions, 2, JSON.stringify(logging.metrics));
  assert.equal(logging.metrics.failed_executions, 0);
  assert.doesNotMatch(demo.output(), /Skipping WASM OnResponse/);
});
