// A wasmgate gateway for gateway-rps.bench.ts, in its own process (child_process.fork; the code
// under test is the built dist/, as `wasmgate gateway` runs it): createGateway with the real component loader (the one `wasmgate gateway`
// wires, transpile cache build/cache/components), in memory (no data dir), port 0, logs at warn
// to stderr. argv[2] is JSON {upstream, enableWasm}. Modules are registered by the parent
// through POST /wasm. Tells the parent its URL over IPC; answers {type:'cpu'} with its CPU usage
// (all threads of the process).
import pino from 'pino';
import { createComponentLoader } from '../../dist/cli/component-loader.js';
import { createGateway } from '../../dist/gateway/index.js';
import { CACHE_DIR } from './paths.js';

const { upstream, enableWasm } = JSON.parse(process.argv[2] ?? '{}') as { upstream: string; enableWasm: boolean };
const logger = pino({ level: 'warn' }, pino.destination(2));
const gateway = createGateway({
  loader: createComponentLoader({ cacheDir: CACHE_DIR, logger }),
  workerUrls: [upstream],
  port: 0,
  host: '127.0.0.1',
  enableWasm,
  dataDir: null,
  logger,
});
const address = await gateway.listen();
process.send!({ type: 'ready', url: address.url });

process.on('message', (message: { type: string }) => {
  if (message.type === 'cpu') process.send!({ type: 'cpu', usage: process.cpuUsage() });
  if (message.type === 'exit') void gateway.close().then(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
