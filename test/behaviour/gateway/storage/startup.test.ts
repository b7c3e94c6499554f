// Loading the storage hook at startup (SMG §4.1): a missing file or something that is not an
// smg:storage component stops the start with SMG's messages — from the library and the CLI.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WasmgateError } from '../../../../src/errors.js';
import { createGateway } from '../../../../src/gateway/index.js';
import { FakeLoader } from '../../../helpers/fake-loader.js';
import { guestPath } from '../../../helpers/guests.js';
import { runCli } from '../../../helpers/run-cli.js';

describe('storage hook startup', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wasmgate-storage-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const listen = (storageHookWasmPath: string) =>
    createGateway({ loader: new FakeLoader(), workerUrls: ['http://127.0.0.1:9'], port: 0, storageHookWasmPath, shutdownGraceMs: 100 }).listen();

  it('a missing file: failed to read WASM storage hook at <path>: <io error>', async () => {
    const path = join(dir, 'missing.wasm');
    await assert.rejects(listen(path), (err: unknown) => {
      assert.ok(err instanceof WasmgateError);
      assert.equal(err.message, `failed to read WASM storage hook at ${path}: No such file or directory (os error 2)`);
      return true;
    });
  });

  it('not a component (garbage, a core module, a component of another world): failed to compile ...: component compilation failed: <e>', async () => {
    const garbage = join(dir, 'garbage.wasm');
    await writeFile(garbage, 'not wasm at all');
    for (const path of [garbage, guestPath('test-core', 'allow'), guestPath('components', 'continue')]) {
      await assert.rejects(listen(path), (err: unknown) => {
        assert.ok(err instanceof WasmgateError);
        assert.ok(err.message.startsWith(`failed to compile WASM storage hook at ${path}: component compilation failed: `), err.message);
        return true;
      });
    }
  });

  it('the CLI exits 2 with the message; the gateway never listens', async () => {
    const path = join(dir, 'nope.wasm');
    const result = await runCli(['gateway', '--worker-urls', 'http://127.0.0.1:9', '--port', '0', '--storage-hook-wasm-path', path, '--data-dir', join(dir, 'data')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, new RegExp(`failed to read WASM storage hook at ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: No such file or directory \\(os error 2\\)`));
    assert.doesNotMatch(result.stderr, /listening on/);
  });

  it('the CLI refuses an unsupported --history-backend', async () => {
    const result = await runCli(['gateway', '--worker-urls', 'http://127.0.0.1:9', '--port', '0', '--history-backend', 'redis', '--data-dir', join(dir, 'data2')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /history backend redis is not supported by wasmgate \(supported: memory, none\)/);
  });
});
