// #6: registry metadata and module bytes survive a restart in --data-dir (SMG keeps nothing): a
// new gateway on the same directory lists and runs the modules; one that fails to reload stays
// listed as failed instead of disappearing.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createGateway } from '../../../src/gateway/index.js';
import { FakeLoader } from '../../helpers/fake-loader.js';
import { startTestGateway } from '../../helpers/gateway-harness.js';
import { startUpstream, type TestUpstream } from '../../helpers/start-upstream.js';

describe('persistence', () => {
  let upstream: TestUpstream;
  let dir: string;
  before(async () => {
    upstream = await startUpstream();
    dir = await mkdtemp(join(tmpdir(), 'wasmgate-persist-'));
  });
  after(async () => {
    await upstream.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a new gateway on the same data dir lists and runs the modules', async () => {
    const first = await startTestGateway({ upstreams: [upstream.url], dir });
    const posted = await first.register('posted', { version: 'p', onRequest: { do: 'modify', set: [['x-posted', 'yes']] } }, ['OnRequest'], { priority: 2, config: { k: 1 }, limits: { max_execution_time_ms: 300 } });
    const put = (await first.put('uploaded', { version: 'u', onResponse: { do: 'modify', set: [['x-uploaded', 'yes']] } }, 'attach=OnResponse&priority=1')).json();
    assert.equal((await first.request('/before')).headers['x-uploaded'], 'yes');
    const listedBefore = (await first.admin('/wasm')).json().modules;
    await first.close();
    for (const file of await readdir(dir)) if (file.endsWith('.wasm')) await rm(join(dir, file));

    const second = await startTestGateway({ upstreams: [upstream.url], dir });
    try {
      const listed = (await second.admin('/wasm')).json().modules;
      assert.deepEqual(
        listed.map((m: any) => [m.module_uuid, m.module_meta.name, m.module_meta.sha256_hash, m.module_meta.file_path, m.module_meta.created_at, m.priority, m.status]),
        listedBefore.map((m: any) => [m.module_uuid, m.module_meta.name, m.module_meta.sha256_hash, m.module_meta.file_path, m.module_meta.created_at, m.priority, 'loaded']),
      );
      assert.deepEqual(listed.map((m: any) => m.module_uuid), [put.module_uuid, posted]);
      const reply = await second.request('/after');
      assert.equal(reply.headers['x-uploaded'], 'yes');
      assert.equal(reply.json().headers['x-posted'], 'yes');
      const reloaded = second.loader.named('posted')[0]!;
      assert.equal(reloaded.loadSpec.limits.maxExecutionTimeMs, 300, 'limits survive');
      assert.deepEqual(reloaded.loadSpec.config, { k: 1 }, 'config survives');
      assert.equal(listed.find((m: any) => m.module_uuid === posted).module_meta.access_count, listedBefore.find((m: any) => m.module_uuid === posted).module_meta.access_count);
    } finally {
      await second.close();
    }
  });

  it('keeps a module that fails to reload listed as failed; PUT of the same bytes retries it', async () => {
    const first = await startTestGateway({ upstreams: [upstream.url], dir });
    await first.put('flaky', { version: 'flaky', onRequest: { do: 'reject', status: 409 } }, 'attach=OnRequest');
    await first.close();

    const loader = new FakeLoader();
    loader.refuseNames.add('flaky');
    const second = await startTestGateway({ upstreams: [upstream.url], dir, loader });
    try {
      const flaky = (await second.admin('/wasm')).json().modules.find((m: any) => m.module_meta.name === 'flaky');
      assert.equal(flaky.status, 'failed');
      assert.deepEqual(flaky.load_error, { code: 'WG_ERR_MODULE_WRONG_WORLD', message: 'fake loader refuses flaky' });
      assert.ok(second.logs.find(/failed to load at startup/));
      assert.equal((await second.request('/x')).status, 200, 'a failed module does not run');
      loader.refuseNames.delete('flaky');
      const retried = await second.put('flaky', { version: 'flaky', onRequest: { do: 'reject', status: 409 } });
      assert.equal(retried.json().result, 'replaced');
      assert.equal((await second.request('/x')).status, 409);
      const removed = await second.admin(`/wasm/${retried.json().module_uuid}`, { method: 'DELETE' });
      assert.equal(removed.status, 200);
    } finally {
      await second.close();
    }
  });

  it('writes the index atomically and stores bytes by sha256; removal deletes unused bytes', async () => {
    const t = await startTestGateway({ upstreams: [upstream.url] });
    try {
      const uuid = await t.register('stored', { version: 'stored' }, ['OnRequest']);
      const sha = t.gateway.registry.get(uuid)!.sha256;
      const data = join(t.dir, 'data');
      const index = JSON.parse(await readFile(join(data, 'registry.json'), 'utf8'));
      assert.equal(index.version, 1);
      assert.equal(index.modules[0].uuid, uuid);
      assert.deepEqual(await readdir(join(data, 'modules')), [`${sha}.wasm`]);
      assert.deepEqual((await readdir(data)).filter((f) => f.endsWith('.tmp')), []);
      await t.admin(`/wasm/${uuid}`, { method: 'DELETE' });
      assert.deepEqual(await readdir(join(data, 'modules')), []);
    } finally {
      await t.close();
    }
  });

  it('refuses to start on a corrupted index, and refuses a data dir already in use', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'wasmgate-broken-'));
    try {
      const corrupted = '{"version": 1, "modules": "nope"}';
      await writeFile(join(broken, 'registry.json'), corrupted);
      const gateway = createGateway({ loader: new FakeLoader(), workerUrls: [upstream.url], port: 0, dataDir: broken });
      await assert.rejects(gateway.listen(), { code: 'WG_ERR_REGISTRY_STORE' });
      assert.equal(await readFile(join(broken, 'registry.json'), 'utf8'), corrupted, 'the broken index is left for the operator to fix');
      await rm(join(broken, 'registry.json'));
      const owner = await startTestGateway({ upstreams: [upstream.url], dir: broken, persist: true });
      try {
        await owner.register('owned', { version: 'owned' }, ['OnRequest']);
        const index = await readFile(join(broken, 'data', 'registry.json'), 'utf8');
        const second = createGateway({ loader: new FakeLoader(), workerUrls: [upstream.url], port: 0, dataDir: join(broken, 'data') });
        await assert.rejects(second.listen(), { code: 'WG_ERR_REGISTRY_STORE', message: /already open in this process|in use by process/ });
        assert.equal(await readFile(join(broken, 'data', 'registry.json'), 'utf8'), index, "the refused gateway did not touch the owner's index");
      } finally {
        await owner.close();
      }
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});
