// #4: `sentinel-agent` takes upstream's flags and env vars, exits 2 on bad input, and wires
// SIGHUP / module changes (reload), SIGUSR2 (metrics) and SIGINT / SIGTERM (drain, exit 0).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { SentinelV1Client, configurePayload, requestHeadersPayload } from '../../helpers/sentinel-client.js';
import { makeTempDir } from './agent-fixture.js';

const ENTRY = fileURLToPath(new URL('./fixtures/cli-entry.ts', import.meta.url));
const CLEAN_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(AGENT_SOCKET|WASM_|FAIL_OPEN|WASMGATE_)/.test(k)),
);

type Line = Record<string, unknown>;

class AgentProcess {
  readonly child: ChildProcess;
  readonly lines: Line[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  #waiters: Array<{ match(l: Line): boolean; resolve(l: Line): void }> = [];

  constructor(args: string[], env: Record<string, string> = {}) {
    this.child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'sentinel-agent', ...args], {
      env: { ...CLEAN_ENV, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
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
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  #add(line: Line): void {
    this.lines.push(line);
    this.#waiters = this.#waiters.filter((w) => (w.match(line) ? (w.resolve(line), false) : true));
  }

  waitFor(match: (l: Line) => boolean): Promise<Line> {
    const found = this.lines.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      this.#waiters.push({ match, resolve });
      void this.exited.then((code) => reject(new Error(`agent exited (${code}) first; stderr: ${this.stderr}`)));
    });
  }

  listening(): Promise<Line> {
    return this.waitFor((l) => l['msg'] === 'sentinel agent listening');
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

async function ask(socketPath: string): Promise<Record<string, unknown>> {
  const client = await SentinelV1Client.connect(socketPath);
  try {
    return await client.request('request_headers', requestHeadersPayload());
  } finally {
    client.destroy();
  }
}

const tagsOf = (reply: Record<string, unknown>): string[] => (reply['audit'] as { tags: string[] }).tags;
const headerOps = (reply: Record<string, unknown>): unknown[] => reply['request_headers'] as unknown[];
/** The value of the request-header set op named `name` in a reply. */
const setValue = (reply: Record<string, unknown>, name: string): string | undefined =>
  (headerOps(reply) as Array<{ set?: { name: string; value: string } }>).find((op) => op.set?.name === name)?.set?.value;

const DEFAULT_SOCKET = '/tmp/sentinel-wasm.sock';

describe('sentinel-agent command', () => {
  let dir: string;
  let modulePath: string;
  const running: AgentProcess[] = [];
  const start = (args: string[], env?: Record<string, string>): AgentProcess => {
    const p = new AgentProcess(args, env);
    running.push(p);
    return p;
  };

  before(async () => {
    dir = await makeTempDir();
    modulePath = join(dir, 'module.json');
    await writeFile(modulePath, JSON.stringify({ tag: 'v1' }));
  });
  after(async () => {
    for (const p of running) if (p.child.exitCode === null) p.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 2 with a message when --module is missing', async () => {
    const p = start(['--socket', join(dir, 'm.sock')]);
    assert.equal(await p.exited, 2);
    assert.match(p.stderr, /missing --module \(or WASM_MODULE\)/);
  });

  it('exits 2 on an env boolean that is not true/false/1/0', async () => {
    const p = start(['--module', modulePath, '--socket', join(dir, 'b.sock')], { FAIL_OPEN: 'maybe' });
    assert.equal(await p.exited, 2);
    assert.match(p.stderr, /FAIL_OPEN must be true, false, 1 or 0/);
  });

  it('exits 2 on a bad number', async () => {
    const p = start(['--module', modulePath, '--socket', join(dir, 'n.sock'), '--pool-size', 'four']);
    assert.equal(await p.exited, 2);
    assert.match(p.stderr, /--pool-size must be a whole number/);
  });

  it('exits 2 when the module cannot be loaded, or the loader rejects a limit', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, 'not a module');
    const p = start(['--module', bad, '--socket', join(dir, 'i.sock')]);
    assert.equal(await p.exited, 2);
    assert.match(p.stderr, /not a test module/);
    const q = start(['--module', modulePath, '--socket', join(dir, 'l.sock')], { WASMGATE_MAX_MEMORY_PAGES: '70000' });
    assert.equal(await q.exited, 2);
    assert.match(q.stderr, /max_memory_pages/);
  });

  it('reads upstream env vars, lets flags win, and passes limits to the loader', async () => {
    const socket = join(dir, 'env.sock');
    const p = start(['--pool-size', '3'], {
      AGENT_SOCKET: socket,
      WASM_MODULE: modulePath,
      WASM_POOL_SIZE: '9',
      FAIL_OPEN: 'TRUE',
      WASM_VERBOSE: '0',
      WASMGATE_MAX_EXECUTION_TIME_MS: '250',
    });
    const ready = await p.listening();
    assert.equal(ready['socket'], socket);
    assert.equal(ready['poolSize'], 3);
    assert.equal(ready['failOpen'], true);
    const reply = await ask(socket);
    assert.deepEqual(headerOps(reply), [
      { set: { name: 'X-Pool-Size', value: '3' } },
      { set: { name: 'X-Max-Execution-Time-Ms', value: '250' } },
    ]);
    assert.equal(p.lines.some((l) => l['level'] === 20), false, 'WASM_VERBOSE=0: no debug lines');
    p.kill('SIGTERM');
    assert.equal(await p.exited, 0);
  });

  it('FAIL_OPEN=1 allows a failing guest; --verbose logs a debug line per event', async () => {
    const throwing = join(dir, 'throwing.json');
    await writeFile(throwing, JSON.stringify({ tag: 'bad', throw: true }));
    const socket = join(dir, 'fo.sock');
    const p = start(['--module', throwing, '--socket', socket, '-v'], { FAIL_OPEN: '1' });
    await p.listening();
    const reply = await ask(socket);
    assert.equal(reply['decision'], 'allow');
    assert.deepEqual(tagsOf(reply), ['wasm-error', 'fail-open']);
    const line = await p.waitFor((l) => l['msg'] === 'event answered');
    assert.equal(line['decision'], 'allow');
    assert.equal(typeof line['durationUs'], 'number');
    p.kill('SIGINT');
    assert.equal(await p.exited, 0);
  });

  it('env booleans FAIL_OPEN and WASM_VERBOSE take true/false/1/0 in any case; --fail-open and --verbose win over them', async () => {
    const throwing = join(dir, 'throwing-bool.json');
    await writeFile(throwing, JSON.stringify({ tag: 'bad', throw: true }));
    const cases: Array<{ args: string[]; env: Record<string, string>; on: boolean }> = [
      { args: [], env: { FAIL_OPEN: 'true', WASM_VERBOSE: 'true' }, on: true },
      { args: [], env: { FAIL_OPEN: 'False', WASM_VERBOSE: 'False' }, on: false },
      { args: [], env: { FAIL_OPEN: '1', WASM_VERBOSE: '1' }, on: true },
      { args: [], env: { FAIL_OPEN: '0', WASM_VERBOSE: '0' }, on: false },
      { args: ['--fail-open', '--verbose'], env: { FAIL_OPEN: '0', WASM_VERBOSE: 'false' }, on: true },
      { args: [], env: {}, on: false },
    ];
    await Promise.all(
      cases.map(async ({ args, env, on }, i) => {
        const what = JSON.stringify({ args, env });
        const socket = join(dir, `bool-${i}.sock`);
        const p = start(['--module', throwing, '--socket', socket, ...args], env);
        assert.equal((await p.listening())['failOpen'], on, what);
        const reply = await ask(socket);
        if (on) {
          assert.equal(reply['decision'], 'allow', what);
          assert.deepEqual(tagsOf(reply), ['wasm-error', 'fail-open'], what);
        } else {
          assert.deepEqual(reply['decision'], { block: { status: 500, body: 'Wasm Error', headers: null } }, what);
        }
        // The metrics line is logged after the event's debug line would have been.
        p.kill('SIGUSR2');
        await p.waitFor((l) => l['msg'] === 'metrics');
        assert.equal(p.lines.some((l) => l['level'] === 20 && l['msg'] === 'event answered'), on, `${what}: debug lines`);
        p.kill('SIGTERM');
        assert.equal(await p.exited, 0, what);
      }),
    );
  });

  it('defaults: socket /tmp/sentinel-wasm.sock, pool size 4, fail-closed, no metrics port', async (t) => {
    if (existsSync(DEFAULT_SOCKET)) {
      t.skip(`${DEFAULT_SOCKET} exists (another agent on this machine?)`);
      return;
    }
    const p = start(['--module', modulePath]);
    const ready = await p.listening();
    assert.equal(ready['socket'], DEFAULT_SOCKET);
    assert.equal(ready['poolSize'], 4);
    assert.equal(ready['failOpen'], false);
    assert.equal(ready['metrics'], undefined);
    assert.equal(setValue(await ask(DEFAULT_SOCKET), 'X-Pool-Size'), '4');
    p.kill('SIGTERM');
    assert.equal(await p.exited, 0);
    assert.equal(existsSync(DEFAULT_SOCKET), false);
  });

  it('--max-memory-pages and --max-execution-time-ms reach the loader as flags and as env vars', async () => {
    const flags = start(['--module', modulePath, '--socket', join(dir, 'lf.sock'), '--max-memory-pages', '64', '--max-execution-time-ms', '75']);
    const env = start(['--module', modulePath, '--socket', join(dir, 'le.sock')], { WASMGATE_MAX_MEMORY_PAGES: '32', WASMGATE_MAX_EXECUTION_TIME_MS: '40' });
    await Promise.all([flags.listening(), env.listening()]);
    const [fromFlags, fromEnv] = await Promise.all([ask(join(dir, 'lf.sock')), ask(join(dir, 'le.sock'))]);
    assert.equal(setValue(fromFlags, 'X-Max-Memory-Pages'), '64');
    assert.equal(setValue(fromFlags, 'X-Max-Execution-Time-Ms'), '75');
    assert.equal(setValue(fromEnv, 'X-Max-Memory-Pages'), '32');
    assert.equal(setValue(fromEnv, 'X-Max-Execution-Time-Ms'), '40');
    for (const p of [flags, env]) p.kill('SIGTERM');
    assert.deepEqual(await Promise.all([flags.exited, env.exited]), [0, 0]);
  });

  it('configure reloads the guest with the new pool size; a resize whose reload fails is rejected and the old loader stays', async () => {
    const own = join(dir, 'resize.json');
    await writeFile(own, JSON.stringify({ tag: 'r1' }));
    const socket = join(dir, 'resize.sock');
    const p = start(['--module', own, '--socket', socket, '--pool-size', '2']);
    await p.listening();
    const client = await SentinelV1Client.connect(socket);
    try {
      assert.equal(setValue(await client.request('request_headers', requestHeadersPayload()), 'X-Pool-Size'), '2');
      assert.equal((await client.request('configure', configurePayload({ 'pool-size': 7, 'fail-open': false })))['decision'], 'allow');
      assert.equal(setValue(await client.request('request_headers', requestHeadersPayload()), 'X-Pool-Size'), '7');

      // Break the module file (the watcher's reload fails and the guest stays), then ask for 5.
      await writeFile(own, 'not a module');
      await p.waitFor((l) => l['msg'] === 'reload failed; the previous guest stays in service');
      const rejected = await client.request('configure', configurePayload({ 'pool-size': 5, 'fail-open': true }));
      assert.deepEqual(rejected['decision'], { block: { status: 500, body: 'Configuration rejected', headers: null } });
      const after = await client.request('request_headers', requestHeadersPayload());
      assert.equal(setValue(after, 'X-Pool-Size'), '7');
      assert.deepEqual(tagsOf(after), ['r1']);

      // A fixed module file reloads with the loader of the last applied size (7), not the rejected 5.
      await writeFile(own, JSON.stringify({ tag: 'r2' }));
      await p.waitFor((l) => l['msg'] === 'guest reloaded; calls already running finish on the previous guest' && l['generation'] === 3);
      const fixed = await client.request('request_headers', requestHeadersPayload());
      assert.deepEqual(tagsOf(fixed), ['r2']);
      assert.equal(setValue(fixed, 'X-Pool-Size'), '7');
    } finally {
      client.destroy();
    }
    p.kill('SIGTERM');
    assert.equal(await p.exited, 0);
  });

  it('--metrics-port (or WASMGATE_METRICS_PORT) serves Prometheus metrics on 127.0.0.1', async () => {
    const flag = start(['--module', modulePath, '--socket', join(dir, 'mf.sock'), '--metrics-port', '0']);
    const env = start(['--module', modulePath, '--socket', join(dir, 'me.sock')], { WASMGATE_METRICS_PORT: '0' });
    const urls = (await Promise.all([flag.listening(), env.listening()])).map((l) => String(l['metrics']));
    for (const [i, socket] of [join(dir, 'mf.sock'), join(dir, 'me.sock')].entries()) {
      assert.match(urls[i]!, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      await ask(socket);
      const text = await (await fetch(urls[i]!)).text();
      assert.match(text, /^wasmgate_sentinel_events_total\{event="request_headers",decision="allow"\} 1$/m);
    }
    for (const p of [flag, env]) p.kill('SIGTERM');
    assert.deepEqual(await Promise.all([flag.exited, env.exited]), [0, 0]);
  });

  it('SIGTERM and SIGINT with a request in flight: it is answered, then the socket is removed and the process exits 0', async () => {
    const slow = join(dir, 'slow.json');
    await writeFile(slow, JSON.stringify({ tag: 'slow', delayMs: 800 }));
    await Promise.all(
      (['SIGTERM', 'SIGINT'] as const).map(async (signal) => {
        const socket = join(dir, `drain-${signal}.sock`);
        const p = start(['--module', slow, '--socket', socket]);
        await p.listening();
        const client = await SentinelV1Client.connect(socket);
        try {
          const pending = client.request('request_headers', requestHeadersPayload());
          await new Promise((resolve) => setTimeout(resolve, 200));
          p.kill(signal);
          const draining = await p.waitFor((l) => l['msg'] === 'draining');
          assert.equal(draining['running'], 1, signal);
          const reply = await pending;
          assert.equal(reply['decision'], 'allow', signal);
          assert.deepEqual(tagsOf(reply), ['slow'], signal);
        } finally {
          client.destroy();
        }
        assert.equal(await p.exited, 0, signal);
        await assert.rejects(lstat(socket), { code: 'ENOENT' }, signal);
      }),
    );
  });

  it('SIGHUP reloads; a changed module file reloads; SIGUSR2 logs metrics; SIGTERM drains, removes the socket and exits 0', async () => {
    const socket = join(dir, 'sig.sock');
    const p = start(['--module', modulePath, '--socket', socket]);
    await p.listening();
    assert.deepEqual(tagsOf(await ask(socket)), ['v1']);

    p.kill('SIGHUP');
    await p.waitFor((l) => l['msg'] === 'guest reloaded; calls already running finish on the previous guest' && l['generation'] === 2);

    const next = join(dir, 'module.next');
    await writeFile(next, JSON.stringify({ tag: 'v2' }));
    await rename(next, modulePath); // atomic replace, as deploy tools do
    await p.waitFor((l) => l['msg'] === 'guest reloaded; calls already running finish on the previous guest' && l['generation'] === 3);
    assert.deepEqual(tagsOf(await ask(socket)), ['v2']);

    p.kill('SIGUSR2');
    const metrics = (await p.waitFor((l) => l['msg'] === 'metrics'))['metrics'] as { events: { request_headers: { count: number } }; guestGeneration: number };
    assert.equal(metrics.events.request_headers.count, 2);
    assert.equal(metrics.guestGeneration, 3);

    p.kill('SIGTERM');
    assert.equal(await p.exited, 0);
    await assert.rejects(lstat(socket), { code: 'ENOENT' });
  });

  it('refuses to start on a socket another agent is serving (exit 2)', async () => {
    const socket = join(dir, 'busy.sock');
    const own = join(dir, 'busy.json');
    await writeFile(own, JSON.stringify({ tag: 'v1' }));
    const first = start(['--module', own, '--socket', socket]);
    await first.listening();
    const second = start(['--module', own, '--socket', socket]);
    assert.equal(await second.exited, 2);
    assert.match(second.stderr, /another process is listening/);
    assert.deepEqual(tagsOf(await ask(socket)), ['v1']);
    first.kill('SIGTERM');
    assert.equal(await first.exited, 0);
  });
});
