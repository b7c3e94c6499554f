// sentinel/agent-events: request_headers through the whole Sentinel agent (Unix socket, v1 framing,
// event handling, guest call, reply), driven by a load generator in a separate process that acts as
// the proxy does (each connection one request at a time). Side by side in one run:
//   - the wasm sentinel-security guest (pool 4) vs a JS SentinelGuest with the same logic: the
//     ratio wasm ÷ JS is what running the guest as wasm costs end to end (target >= 0.90). The
//     wasm ABI hands repeated guest outputs back as shared frozen results, whose v1 reply the agent
//     builds and serializes once; the JS guest returns fresh objects each call, as JS handlers do.
//     A third variant, the JS guest returning shared results too, shows the guest's cost alone;
//   - pool sizes 1 / 4 / 8 with the wasm guest at 16 connections;
//   - the same guest on executor threads (IsolatedSentinelModule), pool 4.
// Every variant is measured in ROUNDS interleaved rounds (so drift on a shared machine hits all
// variants alike; variants compared with each other rotate their order each round) and reported as
// the median round; a ratio is the median of the ratios taken within each round, whose variants ran
// seconds apart under the same load (the ratio of two median rounds mixes rounds run under
// different loads: it is printed too, but the target applies to the paired ratio). BENCH_SECONDS
// (default 3) is the measuring time per variant, split across the rounds; each round starts with a
// warm-up (longer in the first round, while the code is still cold).
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { IsolatedSentinelModule, SentinelJsonModule } from '../../dist/index.js';
import { SentinelResultCache } from '../../dist/abi/sentinel-json/index.js';
import {
  createSentinelAgent,
  type ClosableGuest,
  type SentinelAgent,
  type SentinelRequest,
  type SentinelResponse,
  type SentinelResult,
} from '../../dist/sentinel/index.js';
import { guestPath } from '../../test/helpers/guests.js';
import { inRound, printRatios } from '../measure.js';
import type { LoadConfig, LoadResult } from './load-client.js';

const CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));
const ROUNDS = 9;
const FIRST_WARMUP_MS = 300;
const WARMUP_MS = 100;
const ROUND_MS = Math.round((Number(process.env['BENCH_SECONDS'] ?? 3) * 1000) / ROUNDS);
const CONNECTIONS = [1, 16, 64];

/** sentinel-security's rules in plain JS (guests/examples/sentinel-security/assembly/index.ts). */
export function jsSecurityGuest(): ClosableGuest {
  return {
    async onRequestHeaders(request: SentinelRequest): Promise<SentinelResult> {
      if (request.uri.includes('/admin')) return { decision: 'block', status: 403, body: 'Forbidden', tags: ['admin-blocked'] };
      return { decision: 'allow', add_request_headers: { 'X-Processed': 'true' }, remove_request_headers: ['X-Debug'], tags: ['processed'] };
    },
    async onResponseHeaders(response: SentinelResponse): Promise<SentinelResult> {
      return {
        decision: 'allow',
        add_response_headers: { 'X-Frame-Options': 'DENY' },
        remove_response_headers: ['Server'],
        tags: [`status-${response.status}`],
      };
    },
  };
}

/** The same rules returning the same shared, frozen results the wasm ABI returns for repeated outputs. */
export function jsSharedResultsGuest(): ClosableGuest {
  const codec = new SentinelResultCache();
  const block = codec.parse('{"decision":"block","status":403,"body":"Forbidden","tags":["admin-blocked"]}');
  const allow = codec.parse('{"decision":"allow","add_request_headers":{"X-Processed":"true"},"remove_request_headers":["X-Debug"],"tags":["processed"]}');
  const rules = jsSecurityGuest();
  return {
    async onRequestHeaders(request: SentinelRequest): Promise<SentinelResult> {
      return request.uri.includes('/admin') ? block : allow;
    },
    onResponseHeaders: rules.onResponseHeaders,
  };
}

interface AgentUnderTest {
  label: string;
  agent: SentinelAgent;
  socketPath: string;
}

async function startAgent(dir: string, label: string, poolSize: number, loadGuest: () => Promise<ClosableGuest>): Promise<AgentUnderTest> {
  const socketPath = join(dir, `${label.replace(/[^a-z0-9]+/gi, '-')}.sock`);
  const agent = createSentinelAgent({ socketPath, poolSize, logger: pino({ level: 'warn' }, pino.destination(2)), loadGuest });
  await agent.start();
  return { label, agent, socketPath };
}

/** The load generator process: one config in, one result out, as many times as asked. */
class LoadClient {
  readonly #child: ChildProcess;
  constructor() {
    this.#child = fork(CLIENT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  }

  run(config: LoadConfig): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      const guard = setTimeout(() => {
        this.#child.kill('SIGKILL');
        reject(new Error('load client did not report in time'));
      }, config.warmupMs + config.durationMs + 30_000);
      const onExit = (code: number | null): void => {
        clearTimeout(guard);
        reject(new Error(`load client exited (${code}) without a result`));
      };
      this.#child.once('exit', onExit);
      this.#child.once('message', (message) => {
        clearTimeout(guard);
        this.#child.off('exit', onExit);
        resolve(message as LoadResult);
      });
      this.#child.send(config);
    });
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    this.#child.send('exit');
    await exited;
  }
}

/** A load run plus what it cost the agent's process (all threads): CPU time per event handled. */
interface RoundResult extends LoadResult {
  agentCpuUsPerEvent: number;
}

interface Summary {
  id: string;
  connections: number;
  rounds: RoundResult[];
  eventsPerSec: number;
  agentCpuUsPerEvent: number;
  p50Us: number;
  p99Us: number;
  errors: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

function summarise(id: string, connections: number, rounds: RoundResult[]): Summary {
  return {
    id,
    connections,
    rounds,
    eventsPerSec: median(rounds.map((r) => r.eventsPerSec)),
    agentCpuUsPerEvent: median(rounds.map((r) => r.agentCpuUsPerEvent)),
    p50Us: median(rounds.map((r) => r.p50Us)),
    p99Us: median(rounds.map((r) => r.p99Us)),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
  };
}

const fmtUs = (us: number): string => (us < 1000 ? `${us.toFixed(0)} µs` : `${(us / 1000).toFixed(2)} ms`);
const fmtRate = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtK = (n: number): string => `${(n / 1000).toFixed(1)}k`;

function printRows(title: string, rows: Summary[]): void {
  console.log(`\n## ${title}`);
  console.log('| variant | connections | events/s (median) | p50 | p99 | agent CPU/event | rounds, events/s | client-seen errors |');
  console.log('|---|---:|---:|---:|---:|---:|---|---:|');
  for (const r of rows) {
    const rounds = r.rounds.map((x) => fmtK(x.eventsPerSec)).join(' / ');
    console.log(
      `| ${r.id} | ${r.connections} | ${fmtRate(r.eventsPerSec)} | ${fmtUs(r.p50Us)} | ${fmtUs(r.p99Us)} | ${r.agentCpuUsPerEvent.toFixed(1)} µs | ${rounds} | ${r.errors} |`,
    );
  }
}

const fmtLoad = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

export async function run(): Promise<void> {
  console.log(
    `\nrequest_headers over v1 on a Unix socket; load generator in a separate process, one request in flight per connection; ` +
      `${ROUNDS} interleaved rounds of ${WARMUP_MS} ms warm-up (${FIRST_WARMUP_MS} ms in the first) + ${ROUND_MS} ms per variant, ` +
      `median round reported, ratios are medians of per-round ratios; ` +
      `${availableParallelism()} cores shared by agent, client and anything else running (load average at start: ${fmtLoad()}).`,
  );
  const wasmPath = guestPath('examples', 'sentinel-security');
  const dir = await mkdtemp(join(tmpdir(), 'wg-bench-sentinel-'));
  const agents: AgentUnderTest[] = [];
  const client = new LoadClient();
  try {
    const start = async (label: string, poolSize: number, loadGuest: () => Promise<ClosableGuest>): Promise<AgentUnderTest> => {
      const a = await startAgent(dir, label, poolSize, loadGuest);
      agents.push(a);
      return a;
    };
    const wasm4 = await start('wasm sentinel-security, pool 4', 4, () => SentinelJsonModule.load(wasmPath, { poolSize: 4 }));
    const js = await start('JS guest (same logic), pool 4', 4, async () => jsSecurityGuest());
    const jsShared = await start('JS guest (same logic, shared results), pool 4', 4, async () => jsSharedResultsGuest());
    const wasm1 = await start('wasm sentinel-security, pool 1', 1, () => SentinelJsonModule.load(wasmPath, { poolSize: 1 }));
    const wasm8 = await start('wasm sentinel-security, pool 8', 8, () => SentinelJsonModule.load(wasmPath, { poolSize: 8 }));
    const iso4 = await start('wasm sentinel-security, isolated, pool 4', 4, () => IsolatedSentinelModule.load(wasmPath, { poolSize: 4 }));

    // Variants compared with each other run back to back; their order rotates every round, so
    // none always runs first (right after the connection count or the agent under load changed).
    type Run = [AgentUnderTest, number];
    const groups: Run[][] = [
      ...CONNECTIONS.map((c): Run[] => [
        [wasm4, c],
        [js, c],
        [jsShared, c],
      ]),
      [
        [wasm1, 16],
        [wasm8, 16],
      ],
      CONNECTIONS.map((c): Run => [iso4, c]),
    ];
    const results = new Map<string, RoundResult[]>();
    const key = (a: AgentUnderTest, c: number): string => `${a.label}@${c}`;
    const handled = (a: AgentUnderTest): number => a.agent.metrics().events.request_headers?.count ?? 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const [a, connections] of groups.flatMap((group) => inRound(group, round))) {
        const eventsBefore = handled(a);
        const cpuBefore = process.cpuUsage();
        const warmupMs = round === 0 ? FIRST_WARMUP_MS : WARMUP_MS;
        const result = await client.run({ socketPath: a.socketPath, connections, warmupMs, durationMs: ROUND_MS });
        const cpu = process.cpuUsage(cpuBefore);
        const agentCpuUsPerEvent = (cpu.user + cpu.system) / Math.max(1, handled(a) - eventsBefore);
        results.set(key(a, connections), [...(results.get(key(a, connections)) ?? []), { ...result, agentCpuUsPerEvent }]);
      }
    }
    /** Median over rounds of a ratio taken within each round (neighbours in time share the machine's load). */
    const pairedRatio = (a: Summary, b: Summary, pick: (r: RoundResult) => number): number => median(a.rounds.map((r, i) => pick(r) / pick(b.rounds[i]!)));
    const summary = (a: AgentUnderTest, c: number): Summary => summarise(a.label, c, results.get(key(a, c))!);

    const wasmRows = CONNECTIONS.map((c) => summary(wasm4, c));
    const jsRows = CONNECTIONS.map((c) => summary(js, c));
    const jsSharedRows = CONNECTIONS.map((c) => summary(jsShared, c));
    printRows('Agent: wasm guest vs a JS guest doing the same work (pool 4)', CONNECTIONS.flatMap((_, i) => [wasmRows[i]!, jsRows[i]!, jsSharedRows[i]!]));
    printRatios(
      CONNECTIONS.flatMap((c, i): Array<[string, number]> => [
        [`wasm ÷ JS events/s, ${c} conn (target >= 0.90), median of per-round ratios`, pairedRatio(wasmRows[i]!, jsRows[i]!, (r) => r.eventsPerSec)],
        [`wasm ÷ JS events/s, ${c} conn, ratio of the median rounds`, wasmRows[i]!.eventsPerSec / jsRows[i]!.eventsPerSec],
        [`JS ÷ wasm agent CPU per event, ${c} conn (throughput ratio if CPU-bound)`, pairedRatio(jsRows[i]!, wasmRows[i]!, (r) => r.agentCpuUsPerEvent)],
        [`wasm ÷ JS p50 latency, ${c} conn`, wasmRows[i]!.p50Us / jsRows[i]!.p50Us],
        [`wasm ÷ JS with shared results events/s, ${c} conn (the guest's cost alone), median of per-round ratios`, pairedRatio(wasmRows[i]!, jsSharedRows[i]!, (r) => r.eventsPerSec)],
      ]),
    );

    const pool4 = wasmRows[CONNECTIONS.indexOf(16)]!;
    const pool1 = summary(wasm1, 16);
    const pool8 = summary(wasm8, 16);
    printRows('Pool size: wasm guest, 16 connections', [pool1, pool4, pool8]);
    printRatios([
      ['pool 4 ÷ pool 1 events/s', pairedRatio(pool4, pool1, (r) => r.eventsPerSec)],
      ['pool 8 ÷ pool 4 events/s', pairedRatio(pool8, pool4, (r) => r.eventsPerSec)],
    ]);

    const isoRows = CONNECTIONS.map((c) => summary(iso4, c));
    printRows('Isolated loader (executor threads), pool 4', isoRows);
    printRatios(
      CONNECTIONS.flatMap((c, i): Array<[string, number]> => [
        [`isolated ÷ inline wasm events/s, ${c} conn`, pairedRatio(isoRows[i]!, wasmRows[i]!, (r) => r.eventsPerSec)],
        [`isolated ÷ inline wasm agent CPU per event, ${c} conn`, pairedRatio(isoRows[i]!, wasmRows[i]!, (r) => r.agentCpuUsPerEvent)],
      ]),
    );
    const agentErrors = agents.reduce((n, a) => n + (a.agent.metrics().events.request_headers?.errors ?? 0), 0);
    console.log(`\nagent-side guest errors over the whole run: ${agentErrors}; load average at end: ${fmtLoad()}`);
  } finally {
    await client.close();
    for (const a of agents) await a.agent.close();
    await rm(dir, { recursive: true, force: true });
  }
}
