// #4: `sentinel-agent` takes upstream's flags and env vars, exits 2 on bad input, and wires
// SIGHUP / module changes (reload), SIGUSR2 (metrics) and SIGINT / SIGTERM (drain, exit 0).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { lstat, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { SentinelV1Client, requestHeadersPayload } from '../../helpers/sentinel-client.js';
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
