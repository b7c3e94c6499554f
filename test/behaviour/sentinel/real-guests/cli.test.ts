// #4 with real guests, through the real CLI: `node bin/wasmgate.js sentinel-agent` (dist/, built by
// the pretest step) loading wasm modules built from source. Proves the composition: upstream's env
// vars, exit code 2 on a missing or non-wasm module, the runtime limits reaching the guest, the fail
// policy, reload on a rename-over, and SIGTERM removing the socket.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, lstat, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { guestPath } from '../../../helpers/guests.js';
import { SentinelV1Client, SentinelV2Client, V2Type, requestHeadersPayload } from '../../../helpers/sentinel-client.js';
import { makeTempDir } from '../agent-fixture.js';
import { assertFailClosed, assertFailOpen, askV1, askV2, requestOps, tagsOf, within } from './real-agent.js';

const ROOT = resolve(import.meta.dirname, '../../../..');
const WASMGATE = join(ROOT, 'bin/wasmgate.js');
const ALIAS = join(ROOT, 'bin/sentinel-wasm-agent.js');
const CLEAN_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AGENT_SOCKET|WASM_|FAIL_OPEN|WASMGATE_)/.test(k)));
const LISTENING = 'sentinel agent listening';

type Line = Record<string, unknown>;

/** The agent as a child process; its pino lines (stdout) are parsed and can be waited for. */
class AgentProcess {
  readonly child: ChildProcess;
  readonly lines: Line[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  #waiters: Array<{ match(l: Line): boolean; resolve(l: Line): void }> = [];

  constructor(args: string[], env: Record<string, string>, bin = WASMGATE) {
    const argv = bin === WASMGATE ? [bin, 'sentinel-agent', ...args] : [bin, ...args];
    this.child = spawn(process.execPath, argv, { env: { ...CLEAN_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let buffered = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const text = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          this.#add(JSON.parse(text) as Line);
        } catch {
          // not a log line
        }
      }
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((done) => this.child.once('exit', (code) => done(code)));
  }

  #add(line: Line): void {
    this.lines.push(line);
    this.#waiters = this.#waiters.filter((w) => (w.match(line) ? (w.resolve(line), false) : true));
  }

  waitFor(what: string, match: (l: Line) => boolean): Promise<Line> {
    const found = this.lines.find(match);
    if (found) return Promise.resolve(found);
    const seen = new Promise<Line>((done, fail) => {
      this.#waiters.push({ match, resolve: done });
      void this.exited.then((code) => fail(new Error(`agent exited (${code}) before ${what}; stderr: ${this.stderr}`)));
    });
    return within(seen, 15_000, what);
  }

  listening(): Promise<Line> {
    return this.waitFor('the listening line', (l) => l['msg'] === LISTENING);
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    return within(this.exited, 15_000, 'exit after SIGTERM');
  }
}

describe('sentinel-agent CLI with real wasm modules', { timeout: 40_000 }, () => {
  let dir: string;
  const running: AgentProcess[] = [];
  const start = (args: string[], env: Record<string, string> = {}, bin?: string): AgentProcess => {
    const p = new AgentProcess(args, env, bin);
    running.push(p);
    return p;
  };

  before(async () => {
    dir = await makeTempDir();
  });
  after(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('runs from env vars alone (AGENT_SOCKET, WASM_MODULE, WASM_POOL_SIZE, FAIL_OPEN); SIGTERM exits 0 and removes the socket', async () => {
    const socket = join(dir, 'env.sock');
    const p = start([], { AGENT_SOCKET: socket, WASM_MODULE: guestPath('examples', 'sentinel-security'), WASM_POOL_SIZE: '3', FAIL_OPEN: 'true' });
    const ready = await p.listening();
    assert.equal(ready['socket'], socket);
    assert.equal(ready['poolSize'], 3);
    assert.equal(ready['failOpen'], true);
    assert.equal((await stat(socket)).mode & 0o777, 0o660);

    const v1 = await SentinelV1Client.connect(socket);
    const v2 = await SentinelV2Client.connect(socket);
    try {
      const admin = await askV1(v1, 'request_headers', requestHeadersPayload({ uri: '/admin' }));
      assert.deepEqual(admin['decision'], { block: { status: 403, body: 'Forbidden', headers: null } });
      const api = await askV2(v2, V2Type.RequestHeaders, 'cli-1', requestHeadersPayload({ uri: '/api', correlationId: 'cli-1' }));
      assert.deepEqual(requestOps(api), [{ set: { name: 'X-Processed', value: 'true' } }, { remove: { name: 'X-Debug' } }]);
      const caps = v2.handshake!['capabilities'] as { features: { concurrent_requests: number }; limits: { max_concurrency: number } };
      assert.equal(caps.features.concurrent_requests, 3);
      assert.equal(caps.limits.max_concurrency, 3);
    } finally {
      v1.destroy();
      v2.destroy();
    }
    assert.equal(await p.stop(), 0);
    await assert.rejects(lstat(socket), { code: 'ENOENT' });
  });

  // The negative alias test below cannot tell a broken alias from a working one: this one serves.
  it('the sentinel-wasm-agent alias serves from env vars alone; SIGTERM exits 0 and removes the socket', async () => {
    const socket = join(dir, 'alias.sock');
    const p = start([], { AGENT_SOCKET: socket, WASM_MODULE: guestPath('examples', 'sentinel-security') }, ALIAS);
    const ready = await p.listening();
    assert.equal(ready['socket'], socket);
    const v1 = await SentinelV1Client.connect(socket);
    try {
      const admin = await askV1(v1, 'request_headers', requestHeadersPayload({ uri: '/admin/x' }));
      assert.deepEqual(admin['decision'], { block: { status: 403, body: 'Forbidden', headers: null } });
      assert.deepEqual(tagsOf(admin), ['admin-blocked']);
      const api = await askV1(v1, 'request_headers', requestHeadersPayload({ uri: '/api' }));
      assert.equal(api['decision'], 'allow');
      assert.deepEqual(requestOps(api), [{ set: { name: 'X-Processed', value: 'true' } }, { remove: { name: 'X-Debug' } }]);
    } finally {
      v1.destroy();
    }
    assert.equal(await p.stop(), 0);
    await assert.rejects(lstat(socket), { code: 'ENOENT' });
  });

  it('exits 2 when no module is given (neither --module nor WASM_MODULE)', async () => {
    const p = start([], { AGENT_SOCKET: join(dir, 'none.sock') });
    assert.equal(await within(p.exited, 15_000, 'exit'), 2);
    assert.match(p.stderr, /missing --module \(or WASM_MODULE\)/);
  });

  it('exits 2 when the module file does not exist, and binds nothing', async () => {
    const socket = join(dir, 'missing.sock');
    const p = start(['--module', join(dir, 'nope.wasm'), '--socket', socket]);
    assert.equal(await within(p.exited, 15_000, 'exit'), 2);
    assert.match(p.stderr, /cannot read module file .*nope\.wasm/);
    await assert.rejects(lstat(socket), { code: 'ENOENT' });
  });

  it('exits 2 when the module is not wasm (also through WASM_MODULE and the sentinel-wasm-agent alias)', async () => {
    const p = start(['--module', guestPath('hostile', 'not-wasm'), '--socket', join(dir, 'nw.sock')]);
    assert.equal(await within(p.exited, 15_000, 'exit'), 2);
    assert.match(p.stderr, /WebAssembly|wasm/i);
    const q = start([], { WASM_MODULE: guestPath('hostile', 'truncated'), AGENT_SOCKET: join(dir, 'tr.sock') }, ALIAS);
    assert.equal(await within(q.exited, 15_000, 'exit'), 2);
    await assert.rejects(lstat(join(dir, 'nw.sock')), { code: 'ENOENT' });
    await assert.rejects(lstat(join(dir, 'tr.sock')), { code: 'ENOENT' });
  });

  it('exits 2 when the module is valid wasm without the ABI exports, naming what is missing', async () => {
    const p = start(['--module', guestPath('hostile', 'missing-handlers'), '--socket', join(dir, 'mh.sock')]);
    assert.equal(await within(p.exited, 15_000, 'exit'), 2);
    assert.match(p.stderr, /^sentinel-agent: module does not implement the Sentinel JSON ABI; missing exports: at least one of on_request_headers/);
    await assert.rejects(lstat(join(dir, 'mh.sock')), { code: 'ENOENT' });
  });

  it('fail-closed by default on a trapping guest; FAIL_OPEN=1 allows; the process stays up', async () => {
    const closedSock = join(dir, 'trap-closed.sock');
    const openSock = join(dir, 'trap-open.sock');
    const closed = start(['--module', guestPath('hostile', 'trap'), '--socket', closedSock]);
    const open = start(['--module', guestPath('hostile', 'trap'), '--socket', openSock], { FAIL_OPEN: '1' });
    await Promise.all([closed.listening(), open.listening()]);
    for (let i = 0; i < 3; i++) {
      const a = await SentinelV1Client.connect(closedSock);
      const b = await SentinelV1Client.connect(openSock);
      try {
        assertFailClosed(await askV1(a, 'request_headers', requestHeadersPayload()), /trapped in on_request_headers: unreachable/);
        assertFailOpen(await askV1(b, 'request_headers', requestHeadersPayload()), /trapped in on_request_headers: unreachable/);
      } finally {
        a.destroy();
        b.destroy();
      }
    }
    assert.equal(closed.child.exitCode, null);
    assert.equal(open.child.exitCode, null);
    assert.equal(await closed.stop(), 0);
    assert.equal(await open.stop(), 0);
  });

  it('--max-execution-time-ms reaches the guest: an infinite loop is cut at 100 ms and the connection keeps serving', async () => {
    const socket = join(dir, 'loop.sock');
    const p = start(['--module', guestPath('hostile', 'infinite-loop'), '--socket', socket, '--max-execution-time-ms', '100', '--pool-size', '2']);
    await p.listening();
    const client = await SentinelV1Client.connect(socket);
    try {
      for (let i = 0; i < 2; i++) {
        const started = performance.now();
        assertFailClosed(await askV1(client, 'request_headers', requestHeadersPayload()), /max_execution_time_ms \(100 ms\)/);
        const elapsed = performance.now() - started;
        assert.ok(elapsed >= 99 && elapsed < 100 + 300, `answered after ${elapsed.toFixed(0)} ms`);
      }
    } finally {
      client.destroy();
    }
    assert.equal(await p.stop(), 0);
  });

  it('--max-memory-pages (or WASMGATE_MAX_MEMORY_PAGES) reaches the runtime: a module declaring 2000 pages is refused under 1500, served under 4096', async () => {
    const module = guestPath('hostile', 'huge-initial-memory');
    const refused = start(['--module', module, '--socket', join(dir, 'pages-1500.sock'), '--max-memory-pages', '1500']);
    const served = start(['--module', module, '--socket', join(dir, 'pages-4096.sock')], { WASMGATE_MAX_MEMORY_PAGES: '4096' });
    assert.equal(await within(refused.exited, 15_000, 'exit'), 2);
    assert.match(refused.stderr, /^sentinel-agent: module declares 2000 initial memory pages; max_memory_pages is 1500\n$/);
    await served.listening();
    const v1 = await SentinelV1Client.connect(join(dir, 'pages-4096.sock'));
    try {
      assert.equal((await askV1(v1, 'request_headers', requestHeadersPayload()))['decision'], 'allow');
    } finally {
      v1.destroy();
    }
    assert.equal(await served.stop(), 0);
  });

  it('--isolation worker (or WASMGATE_ISOLATION): a looping call holds an executor thread while another connection is answered at once', async () => {
    const socket = join(dir, 'isolated.sock');
    const p = start(['--module', guestPath('hostile', 'infinite-loop'), '--socket', socket, '--max-execution-time-ms', '1000', '--pool-size', '2'], { WASMGATE_ISOLATION: 'worker' });
    await p.listening();
    const looping = await SentinelV1Client.connect(socket);
    const other = await SentinelV1Client.connect(socket);
    try {
      const started = performance.now();
      const stuck = askV1(looping, 'request_headers', requestHeadersPayload());
      await new Promise((r) => setTimeout(r, 100));
      // configure never reaches the guest: answered by the agent's own event loop, which is free
      const configured = await askV1(other, 'configure', { agent_id: 'a', config: { 'pool-size': 2, 'fail-open': false } });
      const answeredAfter = performance.now() - started;
      assert.equal((configured as { decision?: unknown }).decision, 'allow');
      assert.ok(answeredAfter < 600, `configure waited ${answeredAfter.toFixed(0)} ms behind the looping guest`);
      assertFailClosed(await stuck, /max_execution_time_ms \(1000 ms\)/);
    } finally {
      looping.destroy();
      other.destroy();
    }
    assert.equal(await p.stop(), 0);
  });

  it('--isolation must be inline or worker (exit 2)', async () => {
    const p = start(['--module', guestPath('examples', 'sentinel-security'), '--socket', join(dir, 'bad-isolation.sock'), '--isolation', 'threads']);
    assert.equal(await p.exited, 2);
    assert.match(p.stderr, /--isolation must be inline or worker/);
  });

  it('a module renamed over the file is loaded; a non-wasm one is refused and the old module keeps serving', async () => {
    const modulePath = join(dir, 'live.wasm');
    await copyFile(guestPath('examples', 'sentinel-security'), modulePath);
    const socket = join(dir, 'reload.sock');
    const p = start(['--module', modulePath, '--socket', socket]);
    await p.listening();
    const client = await SentinelV1Client.connect(socket);
    try {
      assert.deepEqual(tagsOf(await askV1(client, 'request_headers', requestHeadersPayload({ uri: '/admin' }))), ['admin-blocked']);

      await copyFile(guestPath('test-core', 'counter'), join(dir, 'live.next'));
      await rename(join(dir, 'live.next'), modulePath);
      await p.waitFor('the reload', (l) => typeof l['msg'] === 'string' && l['msg'].startsWith('guest reloaded') && l['generation'] === 2);
      assert.deepEqual(tagsOf(await askV1(client, 'request_headers', requestHeadersPayload({ uri: '/admin' }))), ['count-1', 'uri-count-1']);

      await copyFile(guestPath('hostile', 'not-wasm'), join(dir, 'live.next'));
      await rename(join(dir, 'live.next'), modulePath);
      const refused = await p.waitFor('the refused reload', (l) => typeof l['msg'] === 'string' && l['msg'].startsWith('reload failed'));
      assert.equal(refused['level'], 50);
      assert.deepEqual(tagsOf(await askV1(client, 'request_headers', requestHeadersPayload({ uri: '/admin' }))), ['count-2', 'uri-count-2']);

      p.child.kill('SIGUSR2');
      const line = await p.waitFor('the metrics line', (l) => l['msg'] === 'metrics');
      const metrics = line['metrics'] as { reloads: { succeeded: number; failed: number }; guestGeneration: number; events: { request_headers: { count: number } } };
      assert.deepEqual(metrics.reloads, { succeeded: 1, failed: 1 });
      assert.equal(metrics.guestGeneration, 2);
      assert.equal(metrics.events.request_headers.count, 3);
    } finally {
      client.destroy();
    }
    assert.equal(await p.stop(), 0);
    await assert.rejects(lstat(socket), { code: 'ENOENT' });
  });
});
