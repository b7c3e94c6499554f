// #6: PUT /wasm/{name} uploads component bytes and creates or atomically replaces a module:
// requests in flight finish on the version they started with; the old one is closed after them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeComponent } from '../../helpers/fake-loader.js';
import { gatewaySuite } from '../../helpers/gateway-harness.js';

describe('PUT /wasm/{name}', () => {
  const { gateway: t } = gatewaySuite();

  it('creates a module (201), attached where its exports say when no attach is given', async () => {
    const reply = await t.put('created', { version: 'c1', exports: ['onRequest'], onRequest: { do: 'modify', set: [['x-created', 'yes']] } });
    assert.equal(reply.status, 201, reply.text);
    const body = reply.json();
    assert.equal(body.result, 'created');
    assert.equal(body.name, 'created');
    assert.deepEqual(body.attach_points, [{ Middleware: 'OnRequest' }]);
    assert.match(body.sha256_hash, /^[0-9a-f]{64}$/);
    const echoed = (await t.request('/echo')).json();
    assert.equal(echoed.headers['x-created'], 'yes');
  });

  it('applies attach, priority, fail_open and response_mode from the query', async () => {
    const reply = await t.put('queried', { version: 'q1' }, 'attach=OnResponse,OnError&priority=7&fail_open=false&response_mode=headers');
    assert.equal(reply.status, 201, reply.text);
    const record = t.gateway.registry.get(reply.json().module_uuid)!;
    assert.deepEqual(record.attachPoints, ['OnResponse', 'OnError']);
    assert.equal(record.settings.priority, 7);
    assert.equal(record.settings.failOpen, false);
    assert.equal(record.settings.responseMode, 'headers');
  });

  it('replaces an existing module: new UUID, same place in the chain, old version closed', async () => {
    const first = (await t.put('swap', { version: 'v1' }, 'attach=OnRequest&priority=3')).json();
    const second = await t.put('swap', { version: 'v2' });
    assert.equal(second.status, 200, second.text);
    const body = second.json();
    assert.equal(body.result, 'replaced');
    assert.equal(body.replaced_module_uuid, first.module_uuid);
    assert.notEqual(body.module_uuid, first.module_uuid);
    const record = t.gateway.registry.get(body.module_uuid)!;
    assert.equal(record.settings.priority, 3, 'settings are inherited');
    assert.deepEqual(record.attachPoints, ['OnRequest']);
    assert.equal(t.gateway.registry.get(first.module_uuid), undefined);
    await t.loader.named('swap')[0]!.whenClosed;
    const listed = (await t.admin('/wasm')).json().modules.filter((m: { module_meta: { name: string } }) => m.module_meta.name === 'swap');
    assert.equal(listed.length, 1);
  });

  it('answers "unchanged" for the bytes already in service', async () => {
    const first = (await t.put('same', { version: 's1' })).json();
    const again = await t.put('same', { version: 's1' });
    assert.equal(again.status, 200);
    assert.equal(again.json().result, 'unchanged');
    assert.equal(again.json().module_uuid, first.module_uuid);
  });

  it('refuses bad input and keeps the old version serving', async () => {
    await t.put('keep', { version: 'k1', exports: ['onRequest'], onRequest: { do: 'modify', set: [['x-keep', 'k1']] } });
    const wrongType = await t.admin('/wasm/keep', { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: fakeComponent({ version: 'k2' }) });
    assert.equal(wrongType.status, 415);
    assert.equal(wrongType.text, 'Expected request with `Content-Type: application/wasm`');
    const badQuery = await t.put('keep', { version: 'k2' }, 'attach=OnStart');
    assert.equal(badQuery.status, 400);
    assert.equal(badQuery.json().error.code, 'WG_ERR_CONFIG_INVALID');
    const wrongWorld = await t.put('keep', { loadError: { code: 'WG_ERR_MODULE_WRONG_WORLD', message: 'exports nothing from smg:gateway' } });
    assert.equal(wrongWorld.status, 400);
    assert.deepEqual(wrongWorld.json(), { error: { code: 'WG_ERR_MODULE_WRONG_WORLD', message: 'exports nothing from smg:gateway' } });
    const duplicate = await t.put('keep', { version: 'c1', exports: ['onRequest'], onRequest: { do: 'modify', set: [['x-created', 'yes']] } });
    assert.equal(duplicate.status, 400);
    assert.equal(duplicate.json().error.code, 'WG_ERR_REGISTRY_DUPLICATE');
    assert.equal((await t.request('/echo')).json().headers['x-keep'], 'k1');
  });

  it('refuses to replace by a name several modules share', async () => {
    await t.register('twin', { version: 'twin-1' }, ['OnRequest']);
    await t.register('twin', { version: 'twin-2' }, ['OnRequest']);
    const reply = await t.put('twin', { version: 'twin-3' });
    assert.equal(reply.status, 409);
    assert.equal(reply.json().error.code, 'WG_ERR_REGISTRY_AMBIGUOUS_NAME');
    assert.match(reply.json().error.message, /^2 modules are named "twin" \(.+\); DELETE the extra ones by UUID before replacing by name$/);
  });
});

describe('hot replace', () => {
  const { gateway: t } = gatewaySuite();

  const versioned = (version: string) => ({
    version,
    onRequest: { do: 'modify' as const, set: [['x-version-in', '$version'] as [string, string]] },
    onResponse: { do: 'modify' as const, set: [['x-version', '$version'] as [string, string]] },
  });

  it('a request in flight finishes on the version it started with; the old one closes after it', async () => {
    const gated = { version: 'g1', onRequest: { do: 'gate' as const, gate: 'g1', then: { do: 'modify' as const, set: [['x-version-in', 'g1'] as [string, string]] } }, onResponse: { do: 'modify' as const, set: [['x-version', 'g1'] as [string, string]] } };
    assert.equal((await t.put('gated', gated, 'fail_open=false')).status, 201);
    const inFlight = t.request('/slow');
    await t.loader.gate('g1').arrived;
    const replaced = await t.put('gated', versioned('g2'));
    assert.equal(replaced.json().result, 'replaced');
    const old = t.loader.named('gated')[0]!;
    assert.equal(old.closed, false, 'not closed while a request still uses it');
    const fresh = await t.request('/fresh');
    assert.equal(fresh.headers['x-version'], 'g2', 'new requests get the new version');
    t.loader.gate('g1').open();
    const reply = await inFlight;
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['x-version'], 'g1', 'OnResponse ran on the version the request started with');
    assert.equal(reply.json().headers['x-version-in'], 'g1');
    await old.whenClosed;
    assert.equal(old.callsAfterClose, 0);
  });

  it('zero failed requests while PUT replaces the module under load', async () => {
    assert.equal((await t.put('hot', versioned('h0'), 'fail_open=false')).status, 201);
    let stop = false;
    const statuses: number[] = [];
    const mismatches: string[] = [];
    const seen = new Set<string>();
    const client = async (): Promise<void> => {
      while (!stop) {
        const reply = await t.request('/load');
        statuses.push(reply.status);
        if (reply.status !== 200) continue;
        const out = String(reply.headers['x-version']);
        seen.add(out);
        const inbound = reply.json().headers['x-version-in'];
        if (inbound !== out) mismatches.push(`${inbound} -> ${out}`);
      }
    };
    const clients = Array.from({ length: 8 }, client);
    for (let v = 1; v <= 10; v++) {
      const reply = await t.put('hot', versioned(`h${v}`));
      assert.equal(reply.json().result, 'replaced');
      // let some requests through on this version before the next swap
      const target = statuses.length + 16;
      while (statuses.length < target) await new Promise((r) => setImmediate(r));
    }
    stop = true;
    await Promise.all(clients);
    assert.ok(statuses.length > 100, `only ${statuses.length} requests ran`);
    assert.deepEqual(statuses.filter((s) => s !== 200), []);
    assert.deepEqual(mismatches, [], 'each request used one version for both phases');
    assert.ok(seen.size >= 5, `versions seen: ${[...seen].join(', ')}`);
    for (const module of t.loader.named('hot')) assert.equal(module.callsAfterClose, 0);
  });
});
