// #6: GET /wasm and DELETE /wasm/{uuid} as SMG answers them (reference §1.4, §1.5), plus
// wasmgate's additive fields in the listing.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gatewaySuite } from '../../helpers/gateway-harness.js';

const RFC3339_NANOS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;

describe('GET /wasm', () => {
  const { gateway: t } = gatewaySuite();

  it('lists nothing and omits average_execution_time_ms before any execution', async () => {
    const reply = await t.admin('/wasm');
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json(), {
      modules: [],
      metrics: {
        total_executions: 0,
        successful_executions: 0,
        failed_executions: 0,
        total_execution_time_ms: 0,
        max_execution_time_ms: 0,
        total_execution_time_us: 0,
        max_execution_time_us: 0,
      },
    });
  });

  it("lists SMG's module_meta fields plus wasmgate's, in execution order, and counts executions", async () => {
    const late = await t.register('late', { version: 'late' }, ['OnRequest', 'OnResponse'], { priority: 10 });
    const early = await t.register('early', { version: 'early', onRequest: { do: 'reject', status: 403 } }, ['OnRequest'], { priority: -1 });
    const before = await t.admin('/wasm');
    assert.deepEqual(before.json().modules.map((m: { module_uuid: string }) => m.module_uuid), [early, late]);

    assert.equal((await t.request('/v1/models')).status, 403);
    const reply = await t.admin('/wasm');
    const body = reply.json();
    const [first, second] = body.modules;
    assert.deepEqual(Object.keys(first.module_meta), ['name', 'file_path', 'sha256_hash', 'size_bytes', 'created_at', 'last_accessed_at', 'access_count', 'attach_points']);
    assert.equal(first.module_meta.name, 'early');
    assert.match(first.module_meta.sha256_hash, /^[0-9a-f]{64}$/);
    assert.match(first.module_meta.created_at, RFC3339_NANOS);
    assert.match(first.module_meta.last_accessed_at, RFC3339_NANOS);
    assert.ok(first.module_meta.last_accessed_at > first.module_meta.created_at);
    assert.equal(first.module_meta.access_count, 1);
    assert.deepEqual(first.module_meta.attach_points, [{ Middleware: 'OnRequest' }]);
    assert.equal(first.priority, -1);
    assert.equal(first.fail_open, true);
    assert.equal(first.response_mode, 'body');
    assert.equal(first.status, 'loaded');
    assert.equal(first.metrics.total_executions, 1);
    assert.equal(first.metrics.successful_executions, 1, 'a reject is a successful execution');
    assert.equal(second.module_meta.access_count, 0, 'the rejected request never reached the later module');
    assert.equal(body.metrics.total_executions, 1);
    assert.equal(typeof body.metrics.average_execution_time_ms, 'number');
    assert.equal(typeof body.metrics.average_execution_time_us, 'number');
    assert.ok(Number.isInteger(body.metrics.total_execution_time_ms));
    assert.equal('module_type' in first, false);
    assert.equal('config' in first, false, 'config may hold secrets and is never listed');
  });

  it('answers 405 to GET /wasm/{uuid} (only DELETE and PUT exist there)', async () => {
    const uuid = await t.register('for-405', { version: '405' }, ['OnRequest']);
    const reply = await t.admin(`/wasm/${uuid}`);
    assert.equal(reply.status, 405);
    assert.equal(reply.text, '');
  });
});

describe('DELETE /wasm/{uuid}', () => {
  const { gateway: t } = gatewaySuite();

  it('removes the module: 200 "Module removed successfully" as plain text', async () => {
    const uuid = await t.register('gone', { version: 'gone', onRequest: { do: 'reject', status: 418 } }, ['OnRequest']);
    assert.equal((await t.request('/x')).status, 418);
    const reply = await t.admin(`/wasm/${uuid}`, { method: 'DELETE' });
    assert.equal(reply.status, 200);
    assert.equal(reply.text, 'Module removed successfully');
    assert.equal(reply.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal((await t.request('/x')).status, 200, 'the module no longer runs');
    assert.equal(t.gateway.registry.get(uuid), undefined);
    assert.ok(t.loader.named('gone')[0]!.closed, 'the removed module is closed');
  });

  it('accepts every UUID text form (hyphenated any case, simple, braced, urn)', async () => {
    for (const form of [
      (u: string) => u.toUpperCase(),
      (u: string) => u.replaceAll('-', ''),
      (u: string) => `%7B${u}%7D`,
      (u: string) => `urn:uuid:${u}`,
    ]) {
      const uuid = await t.register('forms', { version: `forms-${Math.random()}` }, ['OnRequest']);
      const reply = await t.admin(`/wasm/${form(uuid)}`, { method: 'DELETE' });
      assert.equal(reply.status, 200, form(uuid));
    }
  });

  it('400 with an empty body when the path is not a UUID', async () => {
    for (const bad of ['not-a-uuid', '1234', '0198c2e4-5b7a-7c3e-9a51-3f0d2b6c8e1']) {
      const reply = await t.admin(`/wasm/${bad}`, { method: 'DELETE' });
      assert.equal(reply.status, 400);
      assert.equal(reply.text, '');
    }
  });

  it('400 (never 404) with the workflow message when no module has that UUID', async () => {
    const uuid = '0198c2e4-5b7a-7c3e-9a51-3f0d2b6c8e11';
    const reply = await t.admin(`/wasm/${uuid.toUpperCase()}`, { method: 'DELETE' });
    assert.equal(reply.status, 400);
    assert.equal(
      reply.text,
      `Workflow failed at step find_module_to_remove: Step failed: find_module_to_remove - Module with UUID ${uuid} not found`,
    );
  });

  it('405 for other verbs on /wasm', async () => {
    assert.equal((await t.admin('/wasm', { method: 'DELETE' })).status, 405);
    assert.equal((await t.admin('/wasm', { method: 'PUT' })).status, 405);
  });
});

describe('DELETE /wasm/{uuid} with --enable-wasm off', () => {
  const { gateway: t } = gatewaySuite({ gateway: { enableWasm: false } });

  it('validates the UUID first (400), then answers 500 with an empty body', async () => {
    const invalid = await t.admin('/wasm/nope', { method: 'DELETE' });
    assert.equal(invalid.status, 400);
    const valid = await t.admin('/wasm/0198c2e4-5b7a-7c3e-9a51-3f0d2b6c8e11', { method: 'DELETE' });
    assert.equal(valid.status, 500);
    assert.equal(valid.text, '');
  });

  it('runs no middleware: requests are proxied untouched', async () => {
    const reply = await t.request('/v1/anything');
    assert.equal(reply.status, 200);
  });
});
