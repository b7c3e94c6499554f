// The registry: atomic duplicate check, replace by name, leases keep a version alive for the
// requests holding it, nothing becomes visible when the store fails, restore after restart.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WasmgateError } from '../../../src/errors.js';
import { DEFAULT_MODULE_SETTINGS, MemoryStore, ModuleRegistry, parseModuleSettings, type StoredIndex } from '../../../src/registry/index.js';
import { FakeLoader, fakeComponent, type FakeModule } from '../../helpers/fake-loader.js';

function registry(store = new MemoryStore(), loader = new FakeLoader()) {
  return { registry: new ModuleRegistry({ loader, store }), loader, store };
}

describe('ModuleRegistry', () => {
  it('registers, lists in execution order and builds the chain snapshot', async () => {
    const { registry: r } = registry();
    await r.open();
    const b = await r.register({ name: 'b', bytes: fakeComponent({ version: 'b' }), attachPoints: ['OnRequest'], settings: parseModuleSettings({ priority: 1 }) });
    const a = await r.register({ name: 'a', bytes: fakeComponent({ version: 'a' }), attachPoints: ['OnRequest', 'OnResponse'], settings: parseModuleSettings({ priority: 1 }) });
    const first = await r.register({ name: 'first', bytes: fakeComponent({ version: 'f', exports: ['onResponse'] }), attachPoints: ['OnRequest', 'OnError'], settings: parseModuleSettings({ priority: -3 }) });
    assert.deepEqual(r.list().map((m) => m.name), ['first', 'b', 'a']);
    const lease = r.acquire();
    assert.deepEqual(lease.snapshot.onRequest.map((e) => e.name), ['b', 'a'], 'a module without on-request is not in the OnRequest chain');
    assert.deepEqual(lease.snapshot.onError.map((e) => e.name), ['first']);
    assert.deepEqual(lease.snapshot.onResponse.map((e) => e.name), ['a']);
    assert.equal(lease.snapshot.requestBodyCap, 10 * 1024 * 1024);
    lease.release();
    assert.equal(b.status, 'loaded');
    assert.equal(first.filePath, r.locationOf(first.sha256));
    assert.ok(a.uuid > b.uuid, 'UUID v7 sort by time');
    await r.close();
  });

  it('refuses a second module with the same bytes, even when both registrations race', async () => {
    const { registry: r } = registry();
    await r.open();
    const bytes = fakeComponent({ version: 'same' });
    const results = await Promise.allSettled([1, 2, 3].map((i) => r.register({ name: `m${i}`, bytes, attachPoints: [] })));
    assert.equal(results.filter((x) => x.status === 'fulfilled').length, 1);
    for (const x of results) if (x.status === 'rejected') assert.equal((x.reason as WasmgateError).code, 'WG_ERR_REGISTRY_DUPLICATE');
    await r.close();
  });

  it('closes a removed or replaced version only after the last request holding it releases it', async () => {
    const { registry: r, loader } = registry();
    await r.open();
    const v1 = await r.put({ name: 'm', bytes: fakeComponent({ version: '1' }), attachPoints: ['OnRequest'] });
    const held = r.acquire();
    const v2 = await r.put({ name: 'm', bytes: fakeComponent({ version: '2' }) });
    assert.equal(v2.result, 'replaced');
    assert.equal(v2.replaced, v1.record);
    assert.equal(v2.record.order, v1.record.order);
    const old = loader.named('m')[0]! as FakeModule;
    assert.equal(old.closed, false);
    assert.equal(held.snapshot.onRequest[0]!.record, v1.record, 'the held snapshot still has v1');
    const fresh = r.acquire();
    assert.equal(fresh.snapshot.onRequest[0]!.record, v2.record);
    fresh.release();
    held.release();
    held.release(); // idempotent
    await old.whenClosed;
    const removedLease = r.acquire();
    await r.remove(v2.record.uuid);
    const current = loader.named('m')[1]! as FakeModule;
    assert.equal(current.closed, false);
    removedLease.release();
    await current.whenClosed;
    await assert.rejects(r.remove(v2.record.uuid), { code: 'WG_ERR_REGISTRY_NOT_FOUND' });
    await r.close();
  });

  it('makes nothing visible and closes the new module when the store fails', async () => {
    const store = new MemoryStore();
    const { registry: r, loader } = registry(store);
    await r.open();
    store.writeIndex = async () => {
      throw new WasmgateError('WG_ERR_REGISTRY_STORE', 'disk full');
    };
    await assert.rejects(r.register({ name: 'x', bytes: fakeComponent({ version: 'x' }), attachPoints: ['OnRequest'] }), { code: 'WG_ERR_REGISTRY_STORE' });
    assert.equal(r.size, 0);
    assert.equal(r.acquire().snapshot.onRequest.length, 0);
    await (loader.modules[0] as FakeModule).whenClosed;
  });

  it('turns a non-Wasmgate loader failure into WG_ERR_MODULE_INVALID', async () => {
    const loader = new FakeLoader();
    loader.load = async () => {
      throw new TypeError('boom');
    };
    const { registry: r } = registry(new MemoryStore(), loader);
    await r.open();
    await assert.rejects(r.register({ name: 'x', bytes: fakeComponent({}), attachPoints: [] }), { code: 'WG_ERR_MODULE_INVALID', message: 'boom' });
    await r.close();
  });

  it('restores from the store: same records; missing or corrupted bytes become failed records', async () => {
    const store = new MemoryStore();
    const first = registry(store);
    await first.registry.open();
    const kept = await first.registry.register({ name: 'kept', bytes: fakeComponent({ version: 'k' }), attachPoints: ['OnRequest'], settings: parseModuleSettings({ priority: 4, fail_open: false }) });
    const lost = await first.registry.register({ name: 'lost', bytes: fakeComponent({ version: 'l' }), attachPoints: ['OnRequest'] });
    kept.noteAccess();
    await first.registry.close();
    await store.deleteBytes(lost.sha256);

    const second = registry(store);
    const report = await second.registry.open();
    assert.deepEqual(report, { loaded: 1, failed: 1 });
    const restored = second.registry.get(kept.uuid)!;
    assert.equal(restored.settings.priority, 4);
    assert.equal(restored.settings.failOpen, false);
    assert.equal(restored.accessCount, 1);
    assert.equal(restored.createdAtNs, kept.createdAtNs);
    const failed = second.registry.get(lost.uuid)!;
    assert.equal(failed.status, 'failed');
    assert.equal(failed.loadFailure!.code, 'WG_ERR_REGISTRY_STORE');
    assert.deepEqual(second.registry.acquire().snapshot.onRequest.map((e) => e.name), ['kept']);
    await second.registry.close();
  });

  it('refuses to replace by a name several modules share, and "unchanged" for the same bytes', async () => {
    const { registry: r } = registry();
    await r.open();
    await r.register({ name: 'dup', bytes: fakeComponent({ version: '1' }), attachPoints: [] });
    await r.register({ name: 'dup', bytes: fakeComponent({ version: '2' }), attachPoints: [] });
    await assert.rejects(r.put({ name: 'dup', bytes: fakeComponent({ version: '3' }) }), { code: 'WG_ERR_REGISTRY_AMBIGUOUS_NAME', statusCode: 409 });
    const one = await r.put({ name: 'one', bytes: fakeComponent({ version: 'one' }) });
    assert.deepEqual(one.record.attachPoints, ['OnRequest', 'OnResponse'], 'default: what the component exports');
    assert.equal((await r.put({ name: 'one', bytes: fakeComponent({ version: 'one' }) })).result, 'unchanged');
    assert.equal((await r.put({ name: 'one', bytes: fakeComponent({ version: 'one' }), settings: { priority: 9 } })).result, 'replaced');
    await r.close();
    await assert.rejects(r.register({ name: 'late', bytes: fakeComponent({}), attachPoints: [] }), { code: 'WG_ERR_POOL_CLOSED' });
  });

  it('refuses changes before open(), and a failed open() never writes the index', async () => {
    const store = new MemoryStore();
    const index: StoredIndex = { version: 1, next_order: 0, modules: [] };
    await store.writeIndex(index);
    store.open = async () => {
      throw new WasmgateError('WG_ERR_REGISTRY_STORE', 'locked');
    };
    let writes = 0;
    store.writeIndex = async () => void writes++;
    const { registry: r } = registry(store);
    await assert.rejects(r.register({ name: 'x', bytes: fakeComponent({}), attachPoints: [] }), { code: 'WG_ERR_INTERNAL_BUG' });
    await assert.rejects(r.open(), { code: 'WG_ERR_REGISTRY_STORE' });
    await r.close();
    assert.equal(writes, 0);
  });

  it('writes the index in registration order with the settings', async () => {
    const store = new MemoryStore();
    const { registry: r } = registry(store);
    await r.open();
    await r.register({ name: 'x', bytes: fakeComponent({ version: 'x' }), attachPoints: ['OnError'], settings: parseModuleSettings({ config: { a: 1 }, limits: { max_body_size: 100, pool_size: 3 } }) });
    const index = (await store.readIndex()) as StoredIndex;
    assert.equal(index.next_order, 1);
    assert.deepEqual(index.modules[0]!.settings, { priority: 0, fail_open: true, response_mode: 'body', config: { a: 1 }, limits: { max_body_size: 100, pool_size: 3 } });
    assert.deepEqual(index.modules[0]!.attach_points, ['OnError']);
    assert.equal(DEFAULT_MODULE_SETTINGS.failOpen, true);
    await r.close();
  });
});
