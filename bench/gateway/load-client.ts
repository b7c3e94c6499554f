// The load generator for gateway-rps.bench.ts, run in its own process (child_process.fork) so the
// servers under test do not share its event loop. autocannon's programmatic API, keep-alive
// connections, one request in flight per connection (no pipelining). Latency percentiles come
// from autocannon's per-response times (fractional ms) rather than its whole-millisecond
// histogram. Each job: a warm-up run (discarded), then the measured run; the result goes back
// over IPC.
import { createRequire } from 'node:module';

export interface LoadJob {
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

async function runJob(job: LoadJob): Promise<LoadResult> {
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
