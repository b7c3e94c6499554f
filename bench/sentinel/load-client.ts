// The load generator for agent-events.bench.ts, run in its own process (child_process.fork) so the
// agent under test has its core to itself. It behaves as the Sentinel proxy does on v1: N
// connections, each with one request_headers in flight at a time. Frames are built once with the
// proxy stand-in's byte-exact encoder; replies are framed by hand and checked cheaply on every
// event (block iff the request was for /admin), and fully with assertProxyAccepts on a sample.
// Time-bounded: after warm-up + duration it closes its sockets and reports to the parent.
import { connect, type Socket } from 'node:net';
import { assertProxyAccepts, encodeV1Request, requestHeadersPayload } from '../../test/helpers/sentinel-client.js';

export interface LoadConfig {
  socketPath: string;
  connections: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  connections: number;
  /** Events answered inside the measuring window. */
  events: number;
  seconds: number;
  eventsPerSec: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  /** Replies whose decision did not match the request, or that the proxy would reject. */
  errors: number;
  /** Replies fully validated with assertProxyAccepts. */
  validated: number;
}

/** One proxy-like request mix: 9 in 10 allowed API calls, 1 in 10 to /admin (blocked). */
function buildFrames(): Array<{ frame: Buffer; admin: boolean }> {
  const frames: Array<{ frame: Buffer; admin: boolean }> = [];
  for (let i = 0; i < 10; i++) {
    const admin = i === 9;
    const payload = requestHeadersPayload({
      method: admin ? 'POST' : 'GET',
      uri: admin ? '/admin/users/42' : `/api/users?page=${i}`,
      correlationId: `bench-${i}`,
      clientIp: `10.0.0.${i + 1}`,
      headers: {
        host: ['api.example.com'],
        'user-agent': ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36'],
        accept: ['application/json', 'text/plain'],
        'accept-encoding': ['gzip, br'],
        'x-forwarded-for': ['203.0.113.7', '10.0.0.1'],
        'x-debug': ['1'],
        cookie: ['session=abc123; theme=dark'],
      },
    });
    frames.push({ frame: encodeV1Request('request_headers', payload), admin });
  }
  return frames;
}

const BLOCK = Buffer.from('"decision":{"block"');

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function connectSocket(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    socket.setNoDelay?.(true);
    socket.once('connect', () => {
      socket.off('error', reject);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

export async function runLoad(config: LoadConfig): Promise<LoadResult> {
  const frames = buildFrames();
  const sockets = await Promise.all(Array.from({ length: config.connections }, () => connectSocket(config.socketPath)));
  const latenciesUs: number[] = [];
  let errors = 0;
  let validated = 0;
  let measuring = false;
  let stopped = false;
  let windowStart = 0;
  let windowEnd = 0;

  const finished = sockets.map(
    (socket, c) =>
      new Promise<void>((resolve) => {
        let next = c % frames.length;
        let pending: Buffer = Buffer.alloc(0);
        let sentAt = 0;
        let replies = 0;
        const send = (): void => {
          if (stopped) {
            socket.destroy();
            resolve();
            return;
          }
          sentAt = performance.now();
          socket.write(frames[next]!.frame);
        };
        socket.on('error', () => {
          errors++;
          resolve();
        });
        socket.on('close', () => resolve());
        socket.on('data', (chunk: Buffer) => {
          pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
          if (pending.length < 4) return;
          const length = pending.readUInt32BE(0);
          if (pending.length < 4 + length) return;
          const now = performance.now();
          const body = pending.subarray(4, 4 + length);
          pending = pending.subarray(4 + length);
          if (measuring) latenciesUs.push((now - sentAt) * 1000);
          const blocked = body.indexOf(BLOCK) >= 0;
          if (blocked !== frames[next]!.admin) errors++;
          if (replies++ % 1000 === 0) {
            try {
              assertProxyAccepts(body.toString('utf8'), { protocol: 1 });
              validated++;
            } catch {
              errors++;
            }
          }
          next = (next + 1) % frames.length;
          send();
        });
        send();
      }),
  );

  await new Promise((resolve) => setTimeout(resolve, config.warmupMs));
  measuring = true;
  windowStart = performance.now();
  await new Promise((resolve) => setTimeout(resolve, config.durationMs));
  measuring = false;
  windowEnd = performance.now();
  stopped = true;
  // Each connection stops after its reply in flight; one the agent never answers is cut after 5 s.
  const cut = setTimeout(() => {
    for (const socket of sockets) socket.destroy();
  }, 5000);
  await Promise.all(finished);
  clearTimeout(cut);

  const sorted = Float64Array.from(latenciesUs).sort();
  const seconds = (windowEnd - windowStart) / 1000;
  return {
    connections: config.connections,
    events: sorted.length,
    seconds,
    eventsPerSec: sorted.length / seconds,
    p50Us: percentile(sorted, 50),
    p99Us: percentile(sorted, 99),
    maxUs: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
    errors,
    validated,
  };
}

// Forked by the bench: each config message gets one result message back. The process exits when
// the parent says so or goes away, so it never outlives the bench.
if (process.send !== undefined) {
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: LoadConfig | 'exit') => {
    if (message === 'exit') process.exit(0);
    runLoad(message).then(
      (result) => process.send!(result),
      (err: unknown) => {
        process.stderr.write(`load client failed: ${err instanceof Error ? err.stack : String(err)}\n`);
        process.exit(1);
      },
    );
  });
}
