// runtime/instrument-overhead: what the fuel and stack instrumentation (src/runtime/instrument/)
// costs, plain module vs the same module instrumented, run under an armed deadline as in a real
// call. Guests: the loop-heavy sieve(1e6) and the call-heavy fib(25) of fixtures/cpu-heavy.wat, a
// 3-instruction countdown loop (decrement, test, branch, which V8 compiles to about one machine
// instruction each: the worst case, where a tick is most of the iteration), and one Sentinel JSON
// `allow` call done by hand (alloc, write, handler, read, dealloc) so the plain module can run it
// too; the pooled SentinelJsonModule call is shown for scale.
import wabtInit from 'wabt';
import { SentinelJsonModule } from '../../dist/index.js';
import { CoreCompiler, DEFAULT_LIMITS, callGuest, instantiateCore, type CoreInstance } from '../../dist/runtime/index.js';
import { compileWat } from '../fixtures/compile-wat.js';
import { measure, printRatios, printTable, type Measurement } from '../measure.js';

// `loop: n = n - 1; br_if loop (n)`: local.get, i32.const, i32.sub, local.tee, br_if per iteration.
const TIGHT_LOOP_WAT = `(module
  (memory (export "memory") 1)
  (func (export "countdown") (param $n i32) (result i32)
    (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $n)))`;

const request = {
  method: 'GET',
  uri: '/api/users?page=1',
  client_ip: '192.168.1.100',
  correlation_id: 'abc123',
  headers: { 'user-agent': 'curl/8.5.0', accept: '*/*', host: 'example.com' },
};

type Exports = Record<string, CallableFunction>;

async function fromWat(text: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const module = wabt.parseWat('inline.wat', text, { bulk_memory: true });
  try {
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/**
 * The default limits with a long deadline: how often fuel() reads the clock does not depend on the
 * deadline, and on a loaded machine a call was seen stalled for ~1 s, past the default 1000 ms.
 */
const BENCH_LIMITS = { ...DEFAULT_LIMITS, maxExecutionTimeMs: 60_000 };

/** The module as it is, and instrumented (through the runtime's compiler). */
async function bothWays(bytes: Uint8Array): Promise<{ plain: Exports; core: CoreInstance }> {
  const plain = (await WebAssembly.instantiate(await WebAssembly.compile(bytes))).exports as Exports;
  const { module } = await new CoreCompiler().compile(bytes, BENCH_LIMITS);
  const core = await instantiateCore(module, BENCH_LIMITS, () => {});
  return { plain, core };
}

/** Median of a list of numbers. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Measures `op` on the plain exports and, under an armed deadline, on the instrumented ones, in
 * alternating rounds: on a shared machine both variants then see the same background load. The
 * ratio is the median of the per-round ratios.
 */
function pair(
  id: string,
  ways: { plain: Exports; core: CoreInstance },
  op: (e: Exports, memory: WebAssembly.Memory) => unknown,
  { iterations, rounds, warmup }: { iterations: number; rounds: number; warmup: number },
): { plain: Measurement; instr: Measurement; ratio: number } {
  const plainMemory = ways.plain.memory as unknown as WebAssembly.Memory;
  const { core } = ways;
  const exports = core.exports as unknown as Exports;
  const variants = [() => op(ways.plain, plainMemory), () => callGuest(core, 'bench', () => op(exports, core.memory))];
  for (const run of variants) for (let i = 0; i < warmup; i++) run();
  const times: [number[], number[]] = [[], []];
  for (let r = 0; r < rounds; r++) {
    for (let v = 0; v < 2; v++) {
      const run = variants[(r + v) % 2]!;
      const start = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) run();
      times[(r + v) % 2]!.push(Number(process.hrtime.bigint() - start) / iterations);
    }
  }
  const at = (v: number, suffix: string): Measurement => {
    const nsPerOp = median(times[v]!);
    return { id: `${id}/${suffix}`, nsPerOp, opsPerSec: 1e9 / nsPerOp };
  };
  return { plain: at(0, 'plain'), instr: at(1, 'instrumented'), ratio: median(times[1]!.map((t, r) => t / times[0]![r]!)) };
}

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** The Sentinel JSON ABI round trip of SentinelJsonModule.call, without the pool. */
function abiAllow(e: Exports, memory: WebAssembly.Memory): unknown {
  const json = JSON.stringify(request);
  const input = utf8.encode(json);
  const ptr = (e.alloc as (n: number) => number)(input.length);
  new Uint8Array(memory.buffer, ptr, input.length).set(input);
  const packed = (e.on_request_headers as (p: number, n: number) => bigint)(ptr, input.length);
  const outPtr = Number(packed >> 32n);
  const outLen = Number(packed & 0xffffffffn);
  const result = JSON.parse(utf8Decoder.decode(new Uint8Array(memory.buffer, outPtr, outLen))) as unknown;
  (e.dealloc as (p: number, n: number) => void)(ptr, input.length);
  return result;
}

export async function run(): Promise<void> {
  const heavy = await bothWays(await compileWat('cpu-heavy'));
  const tight = await bothWays(await fromWat(TIGHT_LOOP_WAT));
  const allowBytes = await compileWat('allow');
  const allow = await bothWays(allowBytes);

  // Enough warm-up calls for V8 to tier each function up from Liftoff to TurboFan.
  const heavyOpts = { iterations: 10, rounds: 15, warmup: 10 };
  const sieve = pair('instrument/sieve(1e6)', heavy, (e) => (e.sieve as (n: number) => number)(1_000_000), heavyOpts);
  const fib = pair('instrument/fib(25)', heavy, (e) => (e.fib as (n: number) => number)(25), heavyOpts);
  const loop = pair('instrument/countdown(1e7)', tight, (e) => (e.countdown as (n: number) => number)(10_000_000), heavyOpts);
  const callOpts = { iterations: 20_000, rounds: 15, warmup: 5_000 };
  const abi = pair('instrument/sentinel-json allow (by hand)', allow, abiAllow, callOpts);

  const sentinel = await SentinelJsonModule.load(allowBytes, { name: 'allow', poolSize: 1 });
  const pooled = await measure('instrument/sentinel-json allow (SentinelJsonModule.call)', () => sentinel.call('request_headers', request), callOpts);
  await sentinel.close();

  printTable('Instrumentation overhead: plain vs instrumented (deadline armed), alternating rounds', [
    sieve.plain,
    sieve.instr,
    fib.plain,
    fib.instr,
    loop.plain,
    loop.instr,
    abi.plain,
    abi.instr,
    pooled,
  ]);
  printRatios([
    ['sieve(1e6) (loop-heavy): instrumented ÷ plain', sieve.ratio],
    ['fib(25) (call-heavy): instrumented ÷ plain', fib.ratio],
    ['countdown(1e7) (3-instruction loop): instrumented ÷ plain', loop.ratio],
    ['sentinel-json allow (by hand): instrumented ÷ plain', abi.ratio],
  ]);
}
