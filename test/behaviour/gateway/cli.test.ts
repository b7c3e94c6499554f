// `wasmgate gateway` through the real CLI (dist/, built by the pretest step): --isolation reaches the
// component loader, and a bad value is refused before anything listens.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startGatewayCli } from '../../helpers/gateway-cli.js';
import { guestPath } from '../../helpers/guests.js';
import { runCli } from '../../helpers/run-cli.js';
import { startUpstream, type TestUpstream } from '../../helpers/start-upstream.js';

describe('wasmgate gateway CLI', { timeout: 60_000 }, () => {
  let dir: string;
  let upstream: TestUpstream;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wasmgate-gw-cli-'));
    upstream = await startUpstream();
  });
  after(async () => {
    await upstream.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('--isolation worker: a registered component runs on executor threads and answers', async () => {
    const args = ['--enable-wasm', '--worker-urls', upstream.url, '--port', '0', '--data-dir', join(dir, 'data'), '--isolation', 'worker'];
    const gateway = await startGatewayCli(args, { WASMGATE_CACHE_DIR: join(resolve(import.meta.dirname, '../../..'), 'build', 'cache', 'components') });
    try {
      const { url } = gateway;
      const descriptor = { name: 'auth', file_path: guestPath('examples', 'auth'), module_type: 'Middleware', attach_points: [{ Middleware: 'OnRequest' }], config: { api_key: 'k' } };
      const added = await fetch(`${url}/wasm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ modules: [descriptor] }) });
      assert.equal(added.status, 200, await added.clone().text());
      assert.equal((await fetch(`${url}/api/x`)).status, 401);
      assert.equal((await fetch(`${url}/api/x`, { headers: { authorization: 'Bearer k' } })).status, 200);
    } finally {
      await gateway.stop();
    }
  });

  it('a bad --isolation is refused with exit 2, naming the setting', async () => {
    const result = await runCli(['gateway', '--worker-urls', upstream.url, '--port', '0', '--data-dir', join(dir, 'data2'), '--isolation', 'threads']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /isolation.*must be one of inline, worker/);
    assert.doesNotMatch(result.stderr, /listening on/);
  });
});
