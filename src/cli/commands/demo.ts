// `wasmgate demo`: a JSON echo upstream on 127.0.0.1 (ephemeral port) behind the gateway on
// 127.0.0.1:3000 (or --port), with the bundled example module when it has been built
// (`npm run build:guests`), and the curl commands to try.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import pino from 'pino';
import { DEFAULT_MODULE_SETTINGS, createGateway, type AttachPoint, type ModuleLoader } from '../../gateway/index.js';

export interface DemoCommandDeps {
  loader: ModuleLoader;
}

interface DemoModule {
  readonly name: string;
  /** Relative to the package root. */
  readonly file: string;
  readonly attachPoints: readonly AttachPoint[];
  readonly config?: Readonly<Record<string, unknown>>;
}

/** The demo's API key: the auth example reads it from its module config. */
export const DEMO_API_KEY = 'demo-key';

/** Example modules (guests/examples, built by `npm run build:guests`), in chain order. */
export const DEMO_MODULES: readonly DemoModule[] = [
  { name: 'auth', file: 'build/guests/examples/auth.wasm', attachPoints: ['OnRequest'], config: { api_key: DEMO_API_KEY } },
  { name: 'logging', file: 'build/guests/examples/logging.wasm', attachPoints: ['OnRequest', 'OnResponse'] },
];

const PACKAGE_ROOT = resolve(import.meta.dirname, '../../..');

/** Answers every request with a JSON echo of what it received. */
async function startEchoUpstream(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const json = `${JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }, null, 2)}\n`;
      // With a Content-Length the answer is not a stream, so OnResponse modules (logging) see it.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

export function registerDemoCommand(program: Command, deps: DemoCommandDeps): Command {
  return program
    .command('demo')
    .description('Run a demo: an echo upstream behind the gateway, with the example module if built')
    .option('--port <port>', 'gateway port', '3000')
    .action(async (opts: { port: string }) => {
      const logger = pino({ name: 'wasmgate-demo', level: 'warn' });
      const upstream = await startEchoUpstream();
      const gateway = createGateway({ loader: deps.loader, workerUrls: [upstream.url], port: Number(opts.port), enableWasm: true, logger });
      const address = await gateway.listen();
      const loaded: string[] = [];
      const problems: string[] = [];
      for (const demo of DEMO_MODULES) {
        const file = resolve(PACKAGE_ROOT, demo.file);
        if (!existsSync(file)) continue;
        try {
          const bytes = new Uint8Array(await readFile(file));
          const settings = { ...DEFAULT_MODULE_SETTINGS, config: demo.config ?? {} };
          await gateway.registry.register({ name: demo.name, filePath: file, bytes, attachPoints: demo.attachPoints, settings });
          loaded.push(`${demo.name} (${demo.attachPoints.join(', ')}) from ${demo.file}`);
        } catch (err) {
          problems.push(`could not load ${demo.file}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      const url = address.url;
      const lines = [
        `wasmgate demo: gateway on ${url}, echo upstream on ${upstream.url}`,
        loaded.length > 0 ? `modules: ${loaded.join('; ')}` : 'no example module loaded: run `npm run build:guests` first (the gateway still proxies)',
        ...problems,
        '',
        'Try:',
        `  curl -s ${url}/v1/chat/completions -H 'content-type: application/json' -d '{"model":"demo"}'          # 401 from the auth module`,
        `  curl -s ${url}/v1/chat/completions -H 'authorization: Bearer ${DEMO_API_KEY}' -d '{"model":"demo"}'   # passes; logging adds x-wasm-processed`,
        `  curl -s ${url}/wasm            # registered modules and metrics`,
        `  curl -s -X PUT '${url}/wasm/my-module?attach=OnRequest' -H 'content-type: application/wasm' --data-binary @my-module.wasm`,
        `  curl -s ${url}/metrics`,
        '',
        'Ctrl-C to stop.',
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
      const stop = (): void => {
        void gateway.close().then(() => upstream.server.close(() => process.exit(0)));
      };
      process.once('SIGINT', stop).once('SIGTERM', stop);
    });
}
