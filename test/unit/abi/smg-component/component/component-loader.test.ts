import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComponentLoader } from '../../../../../src/abi/smg-component/component/component-loader.js';
import { entryDir, cacheVersion } from '../../../../../src/abi/smg-component/component/transpile-cache.js';
import { loadSmgComponent } from '../../../../../src/abi/smg-component/smg-component.js';
import { plainCoreModuleHooks } from '../../../../../src/abi/smg-component/core-module-hooks.js';
import { collectingLog, guestBytes } from '../component-guests.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wasmgate-component-cache-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const request = { method: 'GET', path: '/', query: '', headers: [], body: new Uint8Array(0), requestId: 'r', nowEpochMs: 0 };

test('a second load of the same bytes is served from memory without transpiling', async () => {
  const loader = new ComponentLoader();
  const bytes = await guestBytes('continue');
  const first = await loader.load(bytes);
  const second = await loader.load(bytes);
  assert.equal(loader.stats.transpiles, 1);
  assert.equal(loader.stats.memoryHits, 1);
  assert.equal(first.source, 'transpiled');
  assert.equal(second.source, 'memory');
  assert.equal(second.transpileMs, 0);
  assert.equal(second.sha256, first.sha256);
});

test('concurrent loads of the same bytes share one transpile', async () => {
  const loader = new ComponentLoader();
  const bytes = await guestBytes('reject-401');
  await Promise.all([loader.load(bytes), loader.load(bytes), loader.load(bytes)]);
  assert.equal(loader.stats.transpiles, 1);
});

test('a cold transpile is logged with its duration', async () => {
  const { log, events } = collectingLog();
  const loader = new ComponentLoader();
  const bytes = await guestBytes('modify-request');
  const artifact = await loader.load(bytes, { log });
  const [event] = events('component.transpiled');
  assert.equal(event?.fields.sha256, artifact.sha256);
  assert.equal(event?.fields.bytes, bytes.byteLength);
  assert.equal(typeof event?.fields.ms, 'number');
});

test('the disk cache is reused by a fresh loader and its components run', async () => {
  const cacheDir = tempDir();
  const bytes = await guestBytes('counter');
  const writer = new ComponentLoader({ cacheDir });
  await writer.load(bytes);
  assert.equal(writer.stats.transpiles, 1);

  const reader = new ComponentLoader({ cacheDir });
  const loaded = await loadSmgComponent(bytes, { maxBodySize: 1024, loader: reader });
  assert.equal(reader.stats.transpiles, 0);
  assert.equal(reader.stats.diskHits, 1);
  assert.equal(loaded.source, 'disk');
  const inst = await loaded.instantiate(plainCoreModuleHooks);
  assert.equal(inst.onRequest!(request).tag, 'modify');
});

test('the disk cache is written atomically: only finished entries are left', async () => {
  const cacheDir = tempDir();
  const loader = new ComponentLoader({ cacheDir });
  const a = await loader.load(await guestBytes('continue'));
  const b = await loader.load(await guestBytes('echo'));
  assert.deepEqual(readdirSync(join(cacheDir, cacheVersion())).sort(), [a.sha256, b.sha256].sort());
  assert.ok(readdirSync(entryDir(cacheDir, a.sha256)).includes('manifest.json'));
});

test('a damaged cache entry is detected, logged and replaced by a fresh transpile', async () => {
  const cacheDir = tempDir();
  const bytes = await guestBytes('modify-response');
  const first = await new ComponentLoader({ cacheDir }).load(bytes);
  const glue = join(entryDir(cacheDir, first.sha256), 'component.mjs');
  writeFileSync(glue, `${readFileSync(glue, 'utf8')}\nglobalThis.__tampered = true;\n`);

  const { log, events } = collectingLog();
  const loader = new ComponentLoader({ cacheDir });
  const again = await loader.load(bytes, { log });
  assert.equal(events('component.cache-corrupt').length, 1);
  assert.equal(loader.stats.transpiles, 1);
  assert.equal(again.source, 'transpiled');
  assert.ok(!readFileSync(glue, 'utf8').includes('__tampered'));
});

test('an unwritable cache directory is logged and the component still loads', async () => {
  const file = join(tempDir(), 'not-a-dir');
  writeFileSync(file, 'x');
  const { log, events } = collectingLog();
  const loader = new ComponentLoader({ cacheDir: file });
  const artifact = await loader.load(await guestBytes('continue'), { log });
  assert.equal(artifact.source, 'transpiled');
  assert.equal(events('component.cache-write-failed').length, 1);
});

test('the shared loader for a cache directory is one object per directory', () => {
  const dir = tempDir();
  assert.equal(ComponentLoader.shared(dir), ComponentLoader.shared(dir));
  assert.notEqual(ComponentLoader.shared(dir), ComponentLoader.shared());
});

test('the same component transpiles to identical files twice', async () => {
  const bytes = await guestBytes('wasi-probe-core');
  const [a, b] = [tempDir(), tempDir()];
  const sha = (await new ComponentLoader({ cacheDir: a }).load(bytes)).sha256;
  await new ComponentLoader({ cacheDir: b }).load(bytes);
  const files = readdirSync(entryDir(a, sha), { recursive: true }).map(String).sort();
  assert.deepEqual(readdirSync(entryDir(b, sha), { recursive: true }).map(String).sort(), files);
  for (const file of files.filter((f) => f.includes('.'))) {
    const read = (dir: string) => readFileSync(join(entryDir(dir, sha), file));
    if (file === 'manifest.json') {
      const strip = (text: Buffer) => ({ ...JSON.parse(text.toString()), transpileMs: 0 });
      assert.deepEqual(strip(read(b)), strip(read(a)));
    } else {
      assert.ok(read(a).equals(read(b)), file);
    }
  }
});
