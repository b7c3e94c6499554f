// gateway/gateway-rps: requests/s and p50/p99 latency over HTTP/1.1 keep-alive on 127.0.0.1, in one
// run, side by side:
//   (1) direct to the upstream;
//   (2) nginx proxy_pass with a keep-alive upstream block, if `nginx` is installed;
//   (2n) the Node floor: node:http + an undici Pool piping the answer back, nothing else (no
//       header handling, ids, metrics or timeouts): what any Node proxy costs at the least;
//   (3) wasmgate gateway without wasm (--enable-wasm off);
//   (4) wasmgate with one OnRequest component: the `auth` example (key from config; every request
//       carries the right key, so every request runs the guest and continues);
//   (5) wasmgate with one OnRequest + one OnResponse component: `auth` on OnRequest and the
//       `logging` example on OnResponse.
// Processes: the upstream, each gateway (the built dist/, as `wasmgate gateway` runs), nginx, and
// the load generator (wrk if installed, else autocannon's API; load-client.ts) are all separate
// processes. Targets: (4)/(3) >= 0.90, (3)/(2) >= 0.5. Every variant is measured in ROUNDS
// interleaved rounds (drift on a shared machine hits all variants alike; the order rotates each
// round), each round a warm-up then a measured run; the median round is reported, ratios are
// medians of per-round ratios. Besides req/s, the CPU time the process in front of the upstream
// spends per request is reported (user + system, all threads): on a shared machine it moves less
// than throughput, and 1e6 / it is what one core of that process can serve. BENCH_SECONDS
// (default 5) is the measured time per variant and connection count, split across the rounds;
// BENCH_CONNECTIONS (default "1,32") the connection counts.
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { guestPath } from '../../test/helpers/guests.js';
import { inRound, printRatios } from '../measure.js';
import type { LoadJob, LoadResult } from './load-client.js';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const ROUNDS = 5;
const WARMUP_MS = 300;
const ROUND_MS = Math.round((Number(process.env['BENCH_SECONDS'] ?? 5) * 1000) / ROUNDS);
const CONNECTIONS = (process.env['BENCH_CONNECTIONS'] ?? '1,32').split(',').map((s) => Number(s.trim())).filter((n) => n > 0);
const KEY = 'bench-api-key-0123456789';
const PATH = '/v1/models';
const REQUEST_HEADERS = { authorization: `Bearer ${KEY}`, accept: 'application/json', 'user-agent': 'wasmgate-bench' };

type Message = { type: string; [key: string]: unknown };

/** A forked helper process spoken to over IPC, one request/response at a time. */
class Child {
  readonly process: ChildProcess;
  readonly #label: string;

  constructor(label: string, file: string, args: string[] = []) {
    this.#label = label;
    this.process = fork(here(file), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  }

  /** Waits for the next message of `type` (after sending `message`, if given). */
  ask<T extends Message>(type: string, message?: unknown, timeoutMs = 60_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const guard = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.#label}: no "${type}" message within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (m: Message): void => {
        if (m.type === 'error') {
          cleanup();
          reject(new Error(`${this.#label}: ${String(m.message)}`));
        } else if (m.type === type) {
          cleanup();
          resolve(m as T);
        }
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`${this.#label} exited (${code}) before "${type}"`));
      };
      const cleanup = (): void => {
        clearTimeout(guard);
        this.process.off('message', onMessage);
        this.process.off('exit', onExit);
      };
      this.process.on('message', onMessage);
      this.process.once('exit', onExit);
      if (message !== undefined) this.process.send(message as object);
    });
  }

  async cpuUs(): Promise<number> {
    const { usage } = await this.ask<{ type: 'cpu'; usage: NodeJS.CpuUsage }>('cpu', { type: 'cpu' });
    return usage.user + usage.system;
  }

  async close(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.process.send({ type: 'exit' });
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

function which(binary: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  for (const dir of ['/usr/sbin', '/usr/local/sbin', '/sbin']) if (existsSync(join(dir, binary))) return join(dir, binary);
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function fetchStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  return res.status;
}

/** nginx as SMG users would put it in front: one worker, proxy_pass to a keep-alive upstream block. */
async function startNginx(binary: string, upstreamUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'wg-bench-nginx-'));
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi', 'logs']) await mkdir(join(dir, sub));
  const port = await freePort();
  const upstream = new URL(upstreamUrl);
  const conf = `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream backend {
    server ${upstream.hostname}:${upstream.port};
    keepalive 128;
  }
  server {
    listen 127.0.0.1:${port};
    keepalive_requests 1000000;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
  await writeFile(join(dir, 'nginx.conf'), conf);
  const child = spawn(binary, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode} (see ${dir}/logs/error.log)`);
    try {
      if ((await fetchStatus(url + PATH)) === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('nginx did not answer within 10 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGQUIT');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function postModules(adminUrl: string, modules: unknown[]): Promise<void> {
  const res = await fetch(`${adminUrl}/wasm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ modules }) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST /wasm answered ${res.status}: ${text}`);
}

interface Target {
  id: string;
  label: string;
  url: string;
  /** The process whose CPU per request is reported (the one in front of the upstream). */
  server?: Child;
}

interface RoundResult extends LoadResult {
  cpuUsPerRequest: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};
const fmtUs = (us: number): string => (us < 1000 ? `${us.toFixed(0)} µs` : `${(us / 1000).toFixed(2)} ms`);
const fmtRate = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtK = (n: number): string => `${(n / 1000).toFixed(1)}k`;
const fmtLoad = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

export async function run(): Promise<void> {
  const nginx = which('nginx');
  const wrk = which('wrk');
  // wrk runs whole seconds.
  const warmupMs = wrk ? Math.max(1000, Math.round(WARMUP_MS / 1000) * 1000) : WARMUP_MS;
  const roundMs = wrk ? Math.max(1000, Math.round(ROUND_MS / 1000) * 1000) : ROUND_MS;
  console.log(
    `\nGET ${PATH} (small JSON answer, Content-Length) over HTTP/1.1 keep-alive on 127.0.0.1; load generator: ${wrk ? 'wrk (one thread)' : 'autocannon (wrk is not installed; it would take less CPU from the servers)'} ` +
      `in its own process, one request in flight per connection; upstream, gateways${nginx ? ', nginx' : ''} each in their own process. ` +
      `${ROUNDS} interleaved rounds of ${warmupMs} ms warm-up + ${roundMs} ms measured per variant, median round reported; ` +
      `${availableParallelism()} cores shared by every process (load average at start: ${fmtLoad()}).`,
  );
  const children: Child[] = [];
  const spawnChild = (label: string, file: string, args: string[] = []): Child => {
    const c = new Child(label, file, args);
    children.push(c);
    return c;
  };
  let nginxServer: { url: string; stop(): Promise<void> } | undefined;
  try {
    const upstream = spawnChild('upstream', './upstream-process.ts');
    const upstreamUrl = (await upstream.ask<{ type: 'ready'; url: string }>('ready')).url;
    const startGateway = async (label: string, enableWasm: boolean): Promise<{ child: Child; url: string }> => {
      const child = spawnChild(label, './gateway-process.ts', [JSON.stringify({ upstream: upstreamUrl, enableWasm })]);
      return { child, url: (await child.ask<{ type: 'ready'; url: string }>('ready')).url };
    };
    const client = spawnChild('load client', './load-client.ts');
    const [plain, oneRequest, requestResponse] = await Promise.all([
      startGateway('gateway (no wasm)', false),
      startGateway('gateway (auth)', true),
      startGateway('gateway (auth + logging)', true),
    ]);
    const auth = { name: 'auth', file_path: guestPath('examples', 'auth'), module_type: 'Middleware', attach_points: [{ Middleware: 'OnRequest' }], config: { api_key: KEY } };
    const logging = { name: 'logging', file_path: guestPath('examples', 'logging'), module_type: 'Middleware', attach_points: [{ Middleware: 'OnResponse' }] };
    await postModules(oneRequest.url, [auth]);
    await postModules(requestResponse.url, [auth, logging]);

    const targets: Target[] = [{ id: '1', label: 'direct to the upstream', url: upstreamUrl, server: upstream }];
    if (nginx) {
      nginxServer = await startNginx(nginx, upstreamUrl);
      targets.push({ id: '2', label: 'nginx proxy_pass (keepalive upstream, 1 worker)', url: nginxServer.url });
    } else {
      console.log('\nnginx not installed: skipped (variant 2 and the (3)/(2) ratio are not measured)');
    }
    const floor = spawnChild('node floor', './node-floor-process.ts', [upstreamUrl]);
    targets.push(
      { id: '2n', label: 'Node floor: node:http + undici Pool, nothing else', url: (await floor.ask<{ type: 'ready'; url: string }>('ready')).url, server: floor },
      { id: '3', label: 'wasmgate, no wasm', url: plain.url, server: plain.child },
      { id: '4', label: 'wasmgate + auth (OnRequest)', url: oneRequest.url, server: oneRequest.child },
      { id: '5', label: 'wasmgate + auth (OnRequest) + logging (OnResponse)', url: requestResponse.url, server: requestResponse.child },
    );
    // Sanity: every target answers 200 with the key; the auth gateways refuse a request without it.
    for (const t of targets) {
      const status = await fetchStatus(t.url + PATH, REQUEST_HEADERS);
      if (status !== 200) throw new Error(`(${t.id}) ${t.label} answered ${status}`);
    }
    for (const g of [oneRequest, requestResponse]) {
      const status = await fetchStatus(g.url + PATH);
      if (status !== 401) throw new Error(`auth is not active on ${g.url}: ${status} without a key`);
    }

    const results = new Map<string, RoundResult[]>();
    const key = (t: Target, c: number): string => `${t.id}@${c}`;
    for (let round = 0; round < ROUNDS; round++) {
      for (const connections of CONNECTIONS) {
        for (const t of inRound(targets, round)) {
          const job: LoadJob = { tool: wrk ? 'wrk' : 'autocannon', url: t.url + PATH, connections, warmupMs: 0, durationMs: warmupMs, method: 'GET', headers: REQUEST_HEADERS };
          await client.ask('result', job);
          const cpuBefore = t.server ? await t.server.cpuUs() : 0;
          const { result } = await client.ask<{ type: 'result'; result: LoadResult }>('result', { ...job, durationMs: roundMs });
          const cpuUsPerRequest = t.server ? ((await t.server.cpuUs()) - cpuBefore) / Math.max(1, result.requests) : Number.NaN;
          results.set(key(t, connections), [...(results.get(key(t, connections)) ?? []), { ...result, cpuUsPerRequest }]);
        }
      }
    }

    for (const connections of CONNECTIONS) {
      console.log(`\n## ${connections} connection${connections === 1 ? '' : 's'}`);
      console.log('| variant | req/s (median) | p50 | p99 | CPU/req of the process in front | rounds, req/s | non-2xx / errors |');
      console.log('|---|---:|---:|---:|---:|---|---:|');
      const summary = new Map<string, RoundResult[]>();
      for (const t of targets) {
        const rounds = results.get(key(t, connections))!;
        summary.set(t.id, rounds);
        const cpu = t.server ? `${median(rounds.map((r) => r.cpuUsPerRequest)).toFixed(1)} µs` : 'n/a';
        const failures = `${rounds.reduce((n, r) => n + r.non2xx, 0)} / ${rounds.reduce((n, r) => n + r.errors, 0)}`;
        console.log(
          `| (${t.id}) ${t.label} | ${fmtRate(median(rounds.map((r) => r.rps)))} | ${fmtUs(median(rounds.map((r) => r.p50Us)))} | ${fmtUs(median(rounds.map((r) => r.p99Us)))} | ${cpu} | ${rounds.map((r) => fmtK(r.rps)).join(' / ')} | ${failures} |`,
        );
      }
      const paired = (a: string, b: string): number => {
        const ra = summary.get(a)!;
        const rb = summary.get(b)!;
        return median(ra.map((r, i) => r.rps / rb[i]!.rps));
      };
      /** Requests per CPU-second of a over b's, per round: a / b by gateway CPU cost. */
      const pairedCpu = (a: string, b: string): number => {
        const ra = summary.get(a)!;
        const rb = summary.get(b)!;
        return median(ra.map((r, i) => rb[i]!.cpuUsPerRequest / r.cpuUsPerRequest));
      };
      const ratios: Array<[string, number]> = [
        ['(4)/(3) one OnRequest component vs no wasm, req/s (target >= 0.90)', paired('4', '3')],
        ['(4)/(3) the same, by gateway CPU per request', pairedCpu('4', '3')],
        ['(5)/(3) OnRequest + OnResponse vs no wasm, req/s', paired('5', '3')],
        ['(5)/(3) the same, by gateway CPU per request', pairedCpu('5', '3')],
        ['(3)/(1) wasmgate vs direct, req/s', paired('3', '1')],
        ['(3)/(2n) wasmgate vs the Node floor, req/s', paired('3', '2n')],
        ['(3)/(2n) the same, by CPU per request', pairedCpu('3', '2n')],
      ];
      if (summary.has('2')) {
        ratios.push(['(3)/(2) wasmgate vs nginx (target >= 0.5)', paired('3', '2')], ['(2n)/(2) the Node floor vs nginx', paired('2n', '2')], ['(2)/(1) nginx vs direct', paired('2', '1')]);
      }
      printRatios(ratios);
      if (!summary.has('2')) console.log('(3)/(2): nginx not installed, not measured');
    }

    // The guests really ran on every request (calls counted by the gateway).
    for (const [label, g] of [['(4)', oneRequest], ['(5)', requestResponse]] as const) {
      const listed = (await (await fetch(`${g.url}/wasm`)).json()) as { modules: Array<{ module_meta: { name: string }; metrics: { total_executions: number; failed_executions: number; average_execution_time_us?: number } }> };
      console.log(
        `${label} guest calls: ${listed.modules.map((m) => `${m.module_meta.name} ${m.metrics.total_executions.toLocaleString('en-US')} (${m.metrics.failed_executions} failed, avg ${m.metrics.average_execution_time_us?.toFixed(1)} µs)`).join('; ')}`,
      );
    }
    console.log(`load average at end: ${fmtLoad()}`);
  } finally {
    await nginxServer?.stop().catch(() => {});
    await Promise.all(children.map((c) => c.close().catch(() => c.process.kill('SIGKILL'))));
  }
}

// Also runnable on its own: node --import tsx bench/gateway/gateway-rps.bench.ts
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await run();
