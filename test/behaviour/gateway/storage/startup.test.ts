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
import { startGatewayCli } from '../../../helpers/gateway-cli.js';
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

  it("SMG's storage-hook command line runs unchanged (--schema-config and the job-queue flags are accepted and explained)", async () => {
    const schema = join(dir, 'schema.yaml');
    await writeFile(schema, 'responses:\n  extra_columns:\n    TENANT_ID: {sql_type: VARCHAR(128)}\n');
    const args = ['--worker-urls', 'http://127.0.0.1:9', '--port', '0', '--data-dir', join(dir, 'data3'), '--history-backend', 'memory',
      '--storage-hook-wasm-path', guestPath('examples', 'storage-hook'), '--storage-context-headers', 'x-tenant-id=tenant_id', 'x-user-id=user_id',
      '--schema-config', schema, '--max-payload-size', '1048576', '--stream-request-bodies-over', '0', '--job-queue-capacity', '100', '--job-queue-concurrency', '4'];
    const gateway = await startGatewayCli(args);
    try {
      const { url } = gateway;
      const out = gateway.output();
      for (const setting of ['schema_config', 'stream_request_bodies_over', 'job_queue_capacity', 'job_queue_concurrency']) {
        assert.match(out, new RegExp(`"setting":"${setting}","msg":"SMG setting accepted: `));
      }
      const created = await fetch(`${url}/v1/conversations`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-tenant-id': 'acme' }, body: '{}' });
      assert.equal(created.status, 200, 'the storage hook serves the history API');
    } finally {
      await gateway.stop();
    }
  });

  it('the CLI refuses a --schema-config it cannot read (exit 2), as SMG does at startup', async () => {
    const result = await runCli(['gateway', '--worker-urls', 'http://127.0.0.1:9', '--port', '0', '--schema-config', join(dir, 'absent.yaml'), '--data-dir', join(dir, 'data4')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /WG_ERR_CONFIG_INVALID: schema_config: cannot read .*absent\.yaml/);
  });
});
