// Starts a gateway (real sockets, port 0) with the fake loader, a temp dir for module files and
// the data dir, a captured pino log, and an undici Agent for requests; all closed by close().
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import pino from 'pino';
import type { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { createGateway, type AttachPoint, type Gateway, type GatewayOptions } from '../../src/gateway/index.js';
import { FakeLoader, fakeComponent, type FakeSpec } from './fake-loader.js';
import { startUpstream, type TestUpstream } from './start-upstream.js';

export type LogLine = Record<string, unknown> & { msg?: string; level: number };

export class LogCapture {
  readonly lines: LogLine[] = [];
  readonly logger = pino({ level: 'debug' }, { write: (text: string) => void this.lines.push(JSON.parse(text) as LogLine) });

  find(pattern: RegExp): LogLine | undefined {
    return this.lines.find((l) => pattern.test(String(l.msg ?? '')));
  }
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  json<T = any>(): T;
}

export interface RequestOptions {
  method?: Dispatcher.HttpMethod;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer | Uint8Array | Readable;
  signal?: AbortSignal;
}

export async function send(dispatcher: Dispatcher, url: string, options: RequestOptions = {}): Promise<Reply> {
  const res = await request(url, { dispatcher, method: options.method ?? 'GET', headers: options.headers, body: options.body, signal: options.signal });
  const body = Buffer.from(await res.body.arrayBuffer());
  const text = body.toString('utf8');
  return { status: res.statusCode, headers: res.headers, body, text, json: () => JSON.parse(text) };
}

export interface TestGatewayOptions {
  upstreams: string[];
  gateway?: Partial<Omit<GatewayOptions, 'loader' | 'workerUrls'>>;
  loader?: FakeLoader;
  /** Reuse a directory (restart tests); default a fresh temp dir. */
  dir?: string;
  /** Persist in `<dir>/data` (default true). */
  persist?: boolean;
}

export interface TestGateway {
  readonly gateway: Gateway;
  readonly url: string;
  readonly adminUrl: string;
  readonly loader: FakeLoader;
  readonly logs: LogCapture;
  readonly dir: string;
  readonly agent: Agent;
  request(path: string, options?: RequestOptions): Promise<Reply>;
  admin(path: string, options?: RequestOptions): Promise<Reply>;
  /** Writes a fake component to `<dir>/<file>` and returns its absolute path. */
  writeModule(file: string, spec: FakeSpec): Promise<string>;
  /** POSTs /wasm with one descriptor; returns the response. */
  addModules(modules: unknown[]): Promise<Reply>;
  /** Registers a fake module through POST /wasm (file_path); returns its UUID. */
  register(name: string, spec: FakeSpec, attach: AttachPoint[], extras?: Record<string, unknown>): Promise<string>;
  /** PUT /wasm/{name} with fake component bytes. */
  put(name: string, spec: FakeSpec, query?: string): Promise<Reply>;
  close(options?: { keepDir?: boolean }): Promise<void>;
}

export async function startTestGateway(options: TestGatewayOptions): Promise<TestGateway> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'wasmgate-gw-')));
  const loader = options.loader ?? new FakeLoader();
  const logs = new LogCapture();
  const gateway = createGateway({
    loader,
    workerUrls: options.upstreams,
    port: 0,
    host: '127.0.0.1',
    enableWasm: true,
    dataDir: options.persist === false ? null : join(dir, 'data'),
    logger: logs.logger,
    shutdownGraceMs: 2000,
    ...options.gateway,
  });
  const address = await gateway.listen();
  const agent = new Agent({ keepAliveTimeout: 1000 });
  const adminUrl = address.adminUrl ?? address.url;
  let counter = 0;
  let closing: Promise<void> | undefined;
  const t: TestGateway = {
    gateway,
    url: address.url,
    adminUrl,
    loader,
    logs,
    dir,
    agent,
    request: (path, o) => send(agent, address.url + path, o),
    admin: (path, o) => send(agent, adminUrl + path, o),
    async writeModule(file, spec) {
      const path = join(dir, file);
      await writeFile(path, fakeComponent(spec));
      return path;
    },
    addModules: (modules) =>
      send(agent, `${adminUrl}/wasm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ modules }) }),
    async register(name, spec, attach, extras = {}) {
      const path = await t.writeModule(`${name}-${counter++}.wasm`, spec);
      const reply = await t.addModules([
        { name, file_path: path, module_type: 'Middleware', attach_points: attach.map((p) => ({ Middleware: p })), ...extras },
      ]);
      const result = reply.json().modules[0].add_result;
      if (!result.Success) throw new Error(`registration of ${name} failed (${reply.status}): ${JSON.stringify(result)}`);
      return result.Success as string;
    },
    put: (name, spec, query = '') =>
      send(agent, `${adminUrl}/wasm/${encodeURIComponent(name)}${query ? `?${query}` : ''}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/wasm' },
        body: fakeComponent(spec),
      }),
    close(closeOptions = {}) {
      closing ??= (async () => {
        await gateway.close();
        await agent.close();
        if (!closeOptions.keepDir && !options.dir) await rm(dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
  return t;
}

/**
 * An object that stands for the one `current()` returns at the time of each use: lets a describe()
 * name what its before() hook will start. Methods are bound to the current object.
 */
function lateBound<T extends object>(what: string, current: () => T | undefined): T {
  return new Proxy({} as T, {
    get(_, key) {
      const target = current();
      if (target === undefined) throw new Error(`${what} is used before the suite's before() hook started it`);
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * For a describe(): before its tests, starts an upstream and a test gateway in front of it; after
 * them, closes both. Hooks a describe() adds later run after the start (node:test runs them in order).
 */
export function gatewaySuite(options: Omit<TestGatewayOptions, 'upstreams'> = {}): { gateway: TestGateway; upstream: TestUpstream } {
  let upstream: TestUpstream | undefined;
  let gateway: TestGateway | undefined;
  before(async () => {
    upstream = await startUpstream();
    gateway = await startTestGateway({ ...options, upstreams: [upstream.url] });
  });
  after(async () => {
    await gateway?.close();
    await upstream?.close();
  });
  return { gateway: lateBound('the test gateway', () => gateway), upstream: lateBound('the test upstream', () => upstream) };
}
