// The load generator for gateway-rps.bench.ts, run in its own process (child_process.fork) so the
// servers under test do not share its event loop. Keep-alive connections, one request in flight
// per connection (no pipelining), with either tool:
//   - wrk (C, one thread; Debian `wrk`), preferred when installed: it needs a fraction of the CPU
//     autocannon does, which on a 2-core machine is CPU taken from the servers under test. Whole
//     seconds only (a duration is rounded, at least 1 s); percentiles from `--latency`.
//   - autocannon's programmatic API otherwise; latency percentiles come from its per-response
//     times (fractional ms) rather than its whole-millisecond histogram.
// Each job: a warm-up run (discarded), then the measured run; the result goes back over IPC.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

export interface LoadJob {
  tool: 'wrk' | 'autocannon';
  url: string;
  connections: number;
  warmupMs: number;
  durationMs: number;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50Us: number;
  p99Us: number;
  /** Responses with a status outside 2xx. */
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
}

interface AutocannonResult {
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTimeMs: number) => void): void;
}
type Autocannon = (opts: Record<string, unknown>, done: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function fire(job: LoadJob, durationMs: number, onLatency?: (ms: number) => void): Promise<{ result: AutocannonResult; seconds: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const instance = autocannon(
      {
        url: job.url,
        connections: job.connections,
        pipelining: 1,
        duration: durationMs / 1000,
        method: job.method,
        headers: job.headers,
        body: job.body,
        timeout: 10,
      },
      (err, result) => (err ? reject(err) : resolve({ result, seconds: (performance.now() - started) / 1000 })),
    );
    if (onLatency) instance.on('response', (_client, statusCode, _bytes, ms) => statusCode >= 200 && statusCode < 300 && onLatency(ms));
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** `-d` for wrk, which takes whole seconds. */
const wrkSeconds = (ms: number): string => `${Math.max(1, Math.round(ms / 1000))}s`;

/** A wrk time ("412.00us", "3.21ms", "1.02s") in µs. */
function wrkTimeUs(value: string, unit: string): number {
  const scale: Record<string, number> = { us: 1, ms: 1000, s: 1e6, m: 60e6 };
  return Number(value) * scale[unit]!;
}

function runWrk(job: LoadJob, durationMs: number): LoadResult {
  if (job.method !== 'GET' || job.body !== undefined) throw new Error('the wrk path sends GETs without a body');
  const headers = Object.entries(job.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const out = execFileSync('wrk', ['-t1', `-c${job.connections}`, `-d${wrkSeconds(durationMs)}`, '--latency', '--timeout', '10s', ...headers, job.url], {
    encoding: 'utf8',
  });
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m),/.exec(out);
  const p50 = /^\s*50%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(out);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(out);
  if (!total || !p50 || !p99) throw new Error(`cannot read wrk's output:\n${out}`);
  const requests = Number(total[1]);
  const seconds = wrkTimeUs(total[2]!, total[3]!) / 1e6;
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p50Us: wrkTimeUs(p50[1]!, p50[2]!),
    p99Us: wrkTimeUs(p99[1]!, p99[2]!),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
    errors: socketErrors ? socketErrors.slice(1).reduce((n, v) => n + Number(v), 0) : 0,
  };
}

async function runJob(job: LoadJob): Promise<LoadResult> {
  if (job.tool === 'wrk') {
    if (job.warmupMs > 0) runWrk(job, job.warmupMs);
    return runWrk(job, job.durationMs);
  }
  if (job.warmupMs > 0) await fire(job, job.warmupMs);
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  const { result, seconds } = await fire(job, job.durationMs, (ms) => {
    if (n === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[n++] = ms;
  });
  const sorted = latencies.subarray(0, n).sort();
  const requests = n + result.non2xx;
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p50Us: percentile(sorted, 50) * 1000,
    p99Us: percentile(sorted, 99) * 1000,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

process.on('message', (message: LoadJob | 'exit') => {
  if (message === 'exit') process.exit(0);
  runJob(message).then(
    (result) => process.send!({ type: 'result', result }),
    (err: unknown) => process.send!({ type: 'error', message: String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
