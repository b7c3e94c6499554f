// Test helper (not a test): a gateway on real sockets with the real component loader (the one
// `wasmgate gateway` uses: smg:gateway components through SmgMiddlewareModule), the transpile
// cache of the test run (build/cache/components), a captured pino log, a temp data dir, and an
// undici Agent. Modules are registered only through the HTTP API, as an operator would.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Agent } from 'undici';
import { createComponentLoader } from '../../../../src/cli/component-loader.js';
import type { Isolation } from '../../../../src/config/index.js';
import { createGateway, type AttachPoint, type Gateway, type GatewayOptions } from '../../../../src/gateway/index.js';
import { LogCapture, send, type Reply, type RequestOptions } from '../../../helpers/gateway-harness.js';
import { guestPath } from '../../../helpers/guests.js';

export const CACHE_DIR = join(resolve(import.meta.dirname, '../../../..'), 'build', 'cache', 'components');

/** Absolute path of a built SMG example (build/guests/examples/<name>.wasm). */
export const example = (name: string): string => guestPath('examples', name);
/** Absolute path of a built test component (build/guests/components/<name>.wasm). */
export const component = (name: string): string => guestPath('components', name);
export const bytesOf = (path: string): Uint8Array => new Uint8Array(readFileSync(path));

export interface RealGatewayOptions {
  upstreams: string[];
  gateway?: Partial<Omit<GatewayOptions, 'loader' | 'workerUrls'>>;
  /** Reuse a directory (restart tests); default a fresh temp dir, removed by close(). */
  dir?: string;
  /** Where guests run (`--isolation`); default inline. */
  isolation?: Isolation;
}

export interface RealGateway {
  readonly gateway: Gateway;
  readonly url: string;
  readonly adminUrl: string;
  readonly logs: LogCapture;
  readonly dir: string;
  readonly agent: Agent;
  request(path: string, options?: RequestOptions): Promise<Reply>;
  admin(path: string, options?: RequestOptions): Promise<Reply>;
  /** POST /wasm with these descriptors. */
  addModules(modules: unknown[]): Promise<Reply>;
  /** POST /wasm of one Middleware module from an absolute path; returns its UUID or throws with the answer. */
  register(name: string, filePath: string, attach: AttachPoint[], extras?: Record<string, unknown>): Promise<string>;
  /** PUT /wasm/{name} with the bytes of `filePath`. */
  put(name: string, filePath: string, query?: string): Promise<Reply>;
  /** The module's entry in GET /wasm. */
  listed(name: string): Promise<any>;
  close(): Promise<void>;
}

export function descriptor(name: string, filePath: string, attach: AttachPoint[], extras: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, file_path: filePath, module_type: 'Middleware', attach_points: attach.map((p) => ({ Middleware: p })), ...extras };
}

export async function startRealGateway(options: RealGatewayOptions): Promise<RealGateway> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'wasmgate-real-')));
  const logs = new LogCapture();
  const gateway = createGateway({
    loader: createComponentLoader({ cacheDir: CACHE_DIR, logger: logs.logger, isolation: options.isolation }),
    workerUrls: options.upstreams,
    port: 0,
    host: '127.0.0.1',
    enableWasm: true,
    dataDir: join(dir, 'data'),
    logger: logs.logger,
    shutdownGraceMs: 2000,
    ...options.gateway,
  });
  const address = await gateway.listen();
  const agent = new Agent({ keepAliveTimeout: 1000, connections: 64 });
  const adminUrl = address.adminUrl ?? address.url;
  let closing: Promise<void> | undefined;
  const g: RealGateway = {
    gateway,
    url: address.url,
    adminUrl,
    logs,
    dir,
    agent,
    request: (path, o) => send(agent, address.url + path, o),
    admin: (path, o) => send(agent, adminUrl + path, o),
    addModules: (modules) =>
      send(agent, `${adminUrl}/wasm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ modules }) }),
    async register(name, filePath, attach, extras = {}) {
      const reply = await g.addModules([descriptor(name, filePath, attach, extras)]);
      const result = reply.json().modules[0].add_result;
      if (!result.Success) throw new Error(`registration of ${name} failed (${reply.status}): ${JSON.stringify(result)}`);
      return result.Success as string;
    },
    put: (name, filePath, query = '') =>
      send(agent, `${adminUrl}/wasm/${encodeURIComponent(name)}${query ? `?${query}` : ''}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/wasm' },
        body: bytesOf(filePath),
      }),
    async listed(name) {
      const modules = (await g.admin('/wasm')).json().modules as any[];
      return modules.find((m) => m.module_meta.name === name);
    },
    close() {
      closing ??= (async () => {
        await gateway.close();
        await agent.close();
        if (!options.dir) await rm(dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
  return g;
}

/** Removes every module (by UUID) so the next test starts with an empty chain. */
export async function removeAll(g: RealGateway): Promise<void> {
  const modules = (await g.admin('/wasm')).json().modules as any[];
  for (const m of modules) {
    const reply = await g.admin(`/wasm/${m.module_uuid}`, { method: 'DELETE' });
    if (reply.status !== 200) throw new Error(`DELETE ${m.module_meta.name} answered ${reply.status}: ${reply.text}`);
  }
}
