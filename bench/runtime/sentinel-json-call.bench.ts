// runtime/sentinel-json: one Sentinel JSON ABI call for a small request, side by side with
// (a) a bare JS -> wasm export call (the floor) and (b) @extism/extism running a guest that does
// the same work; then the deadline mechanism's overhead on CPU-heavy guests.
import { execFileSync } from 'node:child_process';
import createPlugin from '@extism/extism';
import { SentinelJsonModule, IsolatedSentinelModule } from '../../dist/index.js';
import { CoreCompiler, DEFAULT_LIMITS, instantiateCore } from '../../dist/runtime/index.js';
import { compileWat } from '../fixtures/compile-wat.js';
import { measure, measurePairedSync, measureSync, printRatios, printTable, type Measurement } from '../measure.js';

const request = {
  method: 'GET',
  uri: '/api/users?page=1',
  client_ip: '192.168.1.100',
  correlation_id: 'abc123',
  headers: { 'user-agent': 'curl/8.5.0', accept: '*/*', host: 'example.com' },
};

/** Extism with a timeout needs runInWorker; measured in a plain Node child (see extism-timed.mjs). */
function measureExtismWithTimeout(): Measurement {
  const script = new URL('./extism-timed.mjs', import.meta.url).pathname;
  const wat = new URL('../fixtures/extism-allow.wat', import.meta.url).pathname;
  const out = execFileSync(process.execPath, [script, wat, JSON.stringify(request), '500', '5', '100'], { encoding: 'utf8' });
  const { nsPerOp } = JSON.parse(out.trim().split('\n').pop()!) as { nsPerOp: number };
  return { id: 'runtime/extism/allow (with a 1 s timeout: runInWorker)', nsPerOp, opsPerSec: 1e9 / nsPerOp };
}

export async function run(): Promise<void> {
  const allowBytes = await compileWat('allow');
  const plain = (await WebAssembly.instantiate(await WebAssembly.compile(allowBytes))).exports as Record<string, CallableFunction>;
  const { module: instrumentedModule } = await new CoreCompiler().compile(allowBytes, DEFAULT_LIMITS);
  const instrumented = (await instantiateCore(instrumentedModule, DEFAULT_LIMITS, () => {})).exports as Record<string, CallableFunction>;
  const sentinel = await SentinelJsonModule.load(allowBytes, { name: 'allow', poolSize: 1 });
  const extism = await createPlugin({ wasm: [{ data: await compileWat('extism-allow') }] }, { useWasi: false, runInWorker: false });

  const bare = measureSync('runtime/bare-export/noop', () => plain.noop!());
  const bareInstr = measureSync('runtime/bare-export/noop (instrumented)', () => instrumented.noop!());
  const abi = await measure('runtime/sentinel-json/allow (small request, excluding nothing)', () => sentinel.call('request_headers', request), { iterations: 50000 });
  // Extism 1.0.3 keeps every output block of a plugin and encodes its index in the address's top
  // 16 bits, so after 32,768 calls addresses turn negative and output_set throws: stay well below.
  // Same work end to end as wasmgate's call: request object in, decision object out.
  const ext = await measure(
    'runtime/extism/allow (in process, no timeout possible)',
    async () => JSON.parse((await extism.call('on_request_headers', JSON.stringify(request)))!.text()),
    { iterations: 2000, rounds: 5, warmup: 500 },
  );
  // Like for like: wasmgate always enforces a deadline; Extism's JS SDK can only time out a plugin
  // that runs on a worker thread.
  const extTimed = measureExtismWithTimeout();
  printTable('Sentinel JSON ABI call vs floor vs Extism', [bare, bareInstr, abi, ext, extTimed]);
  printRatios([
    ['sentinel-json ÷ bare export call', abi.nsPerOp / bare.nsPerOp],
    ['extism with timeout ÷ sentinel-json (like for like: both enforce a deadline)', extTimed.nsPerOp / abi.nsPerOp],
    ['extism without timeout ÷ sentinel-json', ext.nsPerOp / abi.nsPerOp],
  ]);
  await sentinel.close();
  await extism.close();

  const isolated = await IsolatedSentinelModule.load(allowBytes, { name: 'allow', poolSize: 1, threads: 1 });
  const single = await measure('runtime/sentinel-json-isolated/allow (one at a time)', () => isolated.call('request_headers', request), { iterations: 2000, rounds: 5, warmup: 500 });
  const batch = 64;
  const piped = await measure(
    `runtime/sentinel-json-isolated/allow (pipelined x${batch}, per call)`,
    () => Promise.all(Array.from({ length: batch }, () => isolated.call('request_headers', request))),
    { iterations: 100, rounds: 5, warmup: 20 },
  );
  piped.nsPerOp /= batch;
  piped.opsPerSec *= batch;
  printTable('Worker isolation cost (same guest on an executor thread)', [abi, single, piped]);
  printRatios([
    ['isolated one-at-a-time ÷ inline', single.nsPerOp / abi.nsPerOp],
    ['isolated pipelined ÷ inline', piped.nsPerOp / abi.nsPerOp],
  ]);
  await isolated.close();

  const heavyBytes = await compileWat('cpu-heavy');
  const heavyPlain = (await WebAssembly.instantiate(await WebAssembly.compile(heavyBytes))).exports as Record<string, (n: number) => number>;
  const { module: heavyModule } = await new CoreCompiler().compile(heavyBytes, DEFAULT_LIMITS);
  const heavyCore = await instantiateCore(heavyModule, DEFAULT_LIMITS, () => {});
  const heavy = heavyCore.exports as Record<string, (n: number) => number>;
  const withBudget = (run: () => unknown) => () => {
    heavyCore.budget.begin(60_000);
    run();
    heavyCore.budget.end();
  };
  // Plain and instrumented alternate round by round; the ratio is the median of per-round ratios.
  const sieve = measurePairedSync(
    { id: 'deadline/sieve(1e6)/plain', op: () => heavyPlain.sieve!(1_000_000) },
    { id: 'deadline/sieve(1e6)/instrumented', op: withBudget(() => heavy.sieve!(1_000_000)) },
  );
  const fib = measurePairedSync({ id: 'deadline/fib(25)/plain', op: () => heavyPlain.fib!(25) }, { id: 'deadline/fib(25)/instrumented', op: withBudget(() => heavy.fib!(25)) });
  printTable('Deadline mechanism overhead on CPU-heavy guests', [sieve.a, sieve.b, fib.a, fib.b]);
  printRatios([
    ['sieve (loop-heavy): instrumented ÷ plain (median of per-round ratios)', sieve.ratio],
    ['fib (call-heavy): instrumented ÷ plain (median of per-round ratios)', fib.ratio],
  ]);
}
