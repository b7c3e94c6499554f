// Starts a Sentinel agent on a Unix socket in a fresh temp dir, with any SentinelGuest, and
// captures its pino log lines so tests can wait for and assert on them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import {
  createSentinelAgent,
  type ClosableGuest,
  type SentinelAgent,
  type SentinelAgentOptions,
} from '../../../src/sentinel/index.js';
import { SentinelV1Client, requestHeadersPayload } from '../../helpers/sentinel-client.js';

export type LogLine = Record<string, unknown> & { msg?: string; level: number };

export class LogCapture {
  readonly lines: LogLine[] = [];
  #waiters: Array<{ match(line: LogLine): boolean; resolve(line: LogLine): void }> = [];

  readonly logger = pino({ level: 'debug' }, { write: (text: string) => this.#add(JSON.parse(text) as LogLine) });

  #add(line: LogLine): void {
    this.lines.push(line);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.match(line)) return true;
      w.resolve(line);
      return false;
    });
  }

  /** The first line (already logged or still to come) that matches. */
  waitFor(match: (line: LogLine) => boolean): Promise<LogLine> {
    const found = this.lines.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  /** Lines logged with a given `reason` field (bad input). */
  reasons(): string[] {
    return this.lines.flatMap((l) => (typeof l['reason'] === 'string' ? [l['reason']] : []));
  }

  /** Error-level lines (pino level 50+): a healthy test run has none. */
  errors(): LogLine[] {
    return this.lines.filter((l) => l.level >= 50);
  }
}

export interface TestAgentOptions extends Partial<Omit<SentinelAgentOptions, 'logger' | 'loadGuest'>> {
  guest?: ClosableGuest;
  loadGuest?: () => Promise<ClosableGuest>;
  /** Start in this directory instead of a fresh one (for socket-file tests). */
  dir?: string;
}

export interface TestAgent {
  agent: SentinelAgent;
  socketPath: string;
  dir: string;
  logs: LogCapture;
  /** Closes the agent (if not yet) and removes the temp dir. */
  dispose(): Promise<void>;
}

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'wg-sentinel-'));
}

export async function startTestAgent(options: TestAgentOptions = {}): Promise<TestAgent> {
  const { guest, loadGuest, dir: givenDir, ...rest } = options;
  const dir = givenDir ?? (await makeTempDir());
  const logs = new LogCapture();
  const socketPath = rest.socketPath ?? join(dir, 'agent.sock');
  const agent = createSentinelAgent({
    ...rest,
    socketPath,
    logger: logs.logger,
    loadGuest: loadGuest ?? (async () => guest ?? (await import('./fake-guests.js')).securityGuest()),
  });
  await agent.start();
  return {
    agent,
    socketPath,
    dir,
    logs,
    async dispose() {
      await agent.close();
      if (givenDir === undefined) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh v1 connection gets a well-formed reply: the agent is still serving. */
export async function assertAgentServes(socketPath: string): Promise<Record<string, unknown>> {
  const client = await SentinelV1Client.connect(socketPath);
  try {
    return await client.request('request_headers', requestHeadersPayload({ uri: '/still-serving' }));
  } finally {
    client.destroy();
  }
}
