// The --data-dir store: atomic index writes, bytes by sha256, a lock against sharing.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FileStore } from '../../../src/registry/index.js';

const SHA = 'a'.repeat(64);

describe('FileStore', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wasmgate-store-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('round-trips the index and bytes and leaves no temp files', async () => {
    const store = new FileStore(join(dir, 'a'));
    await store.open();
    assert.equal(await store.readIndex(), undefined);
    const index = { version: 1 as const, next_order: 2, modules: [] };
    await store.writeIndex(index);
    assert.deepEqual(await store.readIndex(), index);
    await store.putBytes(SHA, Uint8Array.of(1, 2, 3));
    assert.deepEqual(await store.getBytes(SHA), Uint8Array.of(1, 2, 3));
    assert.deepEqual(await store.listBytes(), [SHA]);
    assert.equal(store.locationOf(SHA), join(dir, 'a', 'modules', `${SHA}.wasm`));
    await store.deleteBytes(SHA);
    assert.equal(await store.getBytes(SHA), undefined);
    assert.deepEqual((await readdir(join(dir, 'a'))).sort(), ['lock', 'modules', 'registry.json']);
    await store.close();
    assert.deepEqual((await readdir(join(dir, 'a'))).sort(), ['modules', 'registry.json']);
  });

  it('refuses a directory locked by a live process and takes over a stale lock', async () => {
    const locked = join(dir, 'b');
    const first = new FileStore(locked);
    await first.open();
    await assert.rejects(new FileStore(locked).open(), { code: 'WG_ERR_REGISTRY_STORE' });
    await first.close();
    await writeFile(join(locked, 'lock'), '2147483646\n'); // no such process
    const taker = new FileStore(locked);
    await taker.open();
    await taker.close();
  });

  it('refuses an index that is not valid, naming the problem', async () => {
    const bad = join(dir, 'c');
    const store = new FileStore(bad);
    await store.open();
    await writeFile(join(bad, 'registry.json'), JSON.stringify({ version: 2, next_order: 0, modules: [] }));
    await assert.rejects(store.readIndex(), { code: 'WG_ERR_REGISTRY_STORE' });
    await store.close();
  });
});
