// runtime/sentinel-guest: the time an AssemblyScript SDK guest spends inside one Sentinel JSON ABI
// call, separated from the runtime's share. For the agent's request shape (7 flattened headers, as
// bench/sentinel/load-client.ts sends them), side by side in one run:
//   - the raw ABI call (alloc, write the input, on_request_headers, dealloc both buffers; the
//     wasm calls a host makes, without the runtime around them), plain and instrumented (what the
//     runtime actually runs), for sentinel-security on an allowed path and on /admin, and for the
//     test-core echo guest (which reads every field and header, so it pays for the whole request);
//   - the floor: the same sequences with bench/fixtures/allow.wat, which returns a constant;
//   - SentinelJsonModule.call end to end (JSON.stringify in, result object out), for
//     sentinel-security and for allow.wat (the runtime's share alone).
// Each variant is reported as its median round and its fastest round (the machine may be shared).
// SENTINEL_GUEST_BASELINE=<dir> adds the same rows for older builds of the guests
// (<dir>/sentinel-security.wasm, <dir>/echo.wasm) and prints new ÷ old ratios.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SentinelJsonModule } from '../../dist/index.js';
import { CoreCompiler, DEFAULT_LIMITS, instantiateCore } from '../../dist/runtime/index.js';
import { guestPath } from '../../test/helpers/guests.js';
import { compileWat } from '../fixtures/compile-wat.js';
import { printRatios, printTable, type Measurement } from '../measure.js';

/** The request the Sentinel agent passes to the guest for the load client's allowed requests. */
const allowed = {
  method: 'GET',
  uri: '/api/users?page=3',
  client_ip: '10.0.0.4',
  correlation_id: 'bench-3',
  headers: {
    host: 'api.example.com',
    'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36',
    accept: 'application/json, text/plain',
    'accept-encoding': 'gzip, br',
    'x-forwarded-for': '203.0.113.7, 10.0.0.1',
    'x-debug': '1',
    cookie: 'session=abc123; theme=dark',
  },
};
const admin = { ...allowed, method: 'POST', uri: '/admin/users/42', correlation_id: 'bench-9' };

const ALLOWED_RESULT = '{"decision":"allow","add_request_headers":{"X-Processed":"true"},"remove_request_headers":["X-Debug"],"tags":["processed"]}';
const ADMIN_RESULT = '{"decision":"block","status":403,"body":"Forbidden","tags":["admin-blocked"]}';

/** Rounds per variant, interleaved across variants so drift on a shared machine hits all alike. */
const ROUNDS = 9;
const RAW_ITERATIONS = 20000;
const CALL_ITERATIONS = 5000;

interface Variant {
  id: string;
  /** Runs the operation `n` times. */
  run(n: number): void | Promise<void>;
  iterations: number;
  perRound: number[];
}

const syncVariant = (id: string, op: () => void): Variant => ({
  id,
  iterations: RAW_ITERATIONS,
  perRound: [],
  run(n) {
    for (let i = 0; i < n; i++) op();
  },
});

const asyncVariant = (id: string, op: () => Promise<unknown>): Variant => ({
  id,
  iterations: CALL_ITERATIONS,
  perRound: [],
  async run(n) {
    for (let i = 0; i < n; i++) await op();
  },
});

interface Timed extends Measurement {
  /** The fastest round's nanoseconds per operation. */
  fastestNs: number;
}

/** Warms every variant up, then times ROUNDS interleaved rounds; the median and fastest round of each. */
async function measureInterleaved(variants: Variant[]): Promise<Timed[]> {
  for (const v of variants) await v.run(v.iterations);
  for (let r = 0; r < ROUNDS; r++) {
    for (const v of variants) {
      const start = process.hrtime.bigint();
      await v.run(v.iterations);
      v.perRound.push(Number(process.hrtime.bigint() - start) / v.iterations);
    }
  }
  return variants.map((v) => {
    const sorted = [...v.perRound].sort((a, b) => a - b);
    const nsPerOp = sorted[Math.floor(sorted.length / 2)]!;
    return { id: v.id, nsPerOp, opsPerSec: 1e9 / nsPerOp, fastestNs: sorted[0]! };
  });
}

interface RawGuest {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  dealloc(ptr: number, size: number): void;
  on_request_headers(ptr: number, len: number): bigint;
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const compiler = new CoreCompiler();

async function instantiatePlain(bytes: Uint8Array): Promise<RawGuest> {
  const abort = (): never => {
    throw new Error('guest aborted');
  };
  const { instance } = await WebAssembly.instantiate(bytes, { env: { abort } });
  return instance.exports as unknown as RawGuest;
}

/** Instrumented for the deadline and stack limits, as SentinelJsonModule runs it. */
async function instantiateInstrumented(bytes: Uint8Array): Promise<RawGuest> {
  const { module } = await compiler.compile(bytes, DEFAULT_LIMITS);
  return (await instantiateCore(module, DEFAULT_LIMITS, () => {})).exports as unknown as RawGuest;
}

/**
 * One call as a host makes it, for the guest's share of the ABI: alloc, write the input, call the
 * export, dealloc the input, dealloc the result (reading the result is left out). Checks the
 * result once first.
 */
function rawCall(guest: RawGuest, input: unknown, expected: string | null): () => void {
  const bytes = utf8.encode(JSON.stringify(input));
  const len = bytes.length;
  const { alloc, dealloc, memory } = guest;
  const handler = guest.on_request_headers;
  if (expected !== null) {
    const inPtr = alloc(len) >>> 0;
    new Uint8Array(memory.buffer, inPtr, len).set(bytes);
    const packed = BigInt.asUintN(64, handler(inPtr, len));
    dealloc(inPtr, len);
    const ptr = Number(packed >> 32n);
    const outLen = Number(packed & 0xffffffffn);
    const text = strictUtf8.decode(new Uint8Array(memory.buffer, ptr, outLen));
    dealloc(ptr, outLen);
    if (text !== expected) throw new Error(`unexpected result ${text}, expected ${expected}`);
  }
  return () => {
    const inPtr = alloc(len) >>> 0;
    new Uint8Array(memory.buffer, inPtr, len).set(bytes);
    const packed = handler(inPtr, len);
    dealloc(inPtr, len);
    dealloc(Number(BigInt.asUintN(32, packed >> 32n)), Number(BigInt.asUintN(32, packed)));
  };
}

interface GuestSet {
  label: string;
  security: Uint8Array;
  echo: Uint8Array;
}

async function variantsOf(set: GuestSet, closers: Array<() => Promise<void>>): Promise<Variant[]> {
  const variants: Variant[] = [];
  for (const [mode, load] of [
    ['plain', instantiatePlain],
    ['instrumented', instantiateInstrumented],
  ] as const) {
    const security = await load(set.security);
    variants.push(syncVariant(`${set.label} sentinel-security, allowed path, raw call (${mode})`, rawCall(security, allowed, ALLOWED_RESULT)));
    variants.push(syncVariant(`${set.label} sentinel-security, /admin, raw call (${mode})`, rawCall(security, admin, ADMIN_RESULT)));
    const echo = await load(set.echo);
    variants.push(syncVariant(`${set.label} echo (reads every field), raw call (${mode})`, rawCall(echo, allowed, null)));
  }
  const module = await SentinelJsonModule.load(set.security, { name: 'sentinel-security', poolSize: 1 });
  closers.push(() => module.close());
  variants.push(asyncVariant(`${set.label} sentinel-security, SentinelJsonModule.call (end to end)`, () => module.call('request_headers', allowed)));
  return variants;
}

export async function run(): Promise<void> {
  const allowBytes = await compileWat('allow');
  const floors: Variant[] = [];
  for (const [mode, load] of [
    ['plain', instantiatePlain],
    ['instrumented', instantiateInstrumented],
  ] as const) {
    floors.push(syncVariant(`floor: allow.wat, raw call (${mode})`, rawCall(await load(allowBytes), allowed, '{"decision":"allow"}')));
  }
  const allowModule = await SentinelJsonModule.load(allowBytes, { name: 'allow', poolSize: 1 });
  floors.push(asyncVariant('floor: allow.wat, SentinelJsonModule.call (the runtime alone)', () => allowModule.call('request_headers', allowed)));

  const sets: GuestSet[] = [
    {
      label: 'current',
      security: new Uint8Array(readFileSync(guestPath('examples', 'sentinel-security'))),
      echo: new Uint8Array(readFileSync(guestPath('test-core', 'echo'))),
    },
  ];
  const baselineDir = process.env['SENTINEL_GUEST_BASELINE'];
  if (baselineDir) {
    const file = (name: string): Uint8Array => {
      const path = join(baselineDir, `${name}.wasm`);
      if (!existsSync(path)) throw new Error(`SENTINEL_GUEST_BASELINE: ${path} does not exist`);
      return new Uint8Array(readFileSync(path));
    };
    sets.unshift({ label: 'baseline', security: file('sentinel-security'), echo: file('echo') });
  }
  const closers: Array<() => Promise<void>> = [() => allowModule.close()];
  try {
    const perSet: Variant[][] = [];
    for (const set of sets) perSet.push(await variantsOf(set, closers));
    const timed = await measureInterleaved([...floors, ...perSet.flat()]);
    const floorRows = timed.slice(0, floors.length);
    const rows = timed.slice(floors.length);
    const bySet = sets.map((_, i) => rows.slice(i * perSet[0]!.length, (i + 1) * perSet[0]!.length));
    const now = bySet[bySet.length - 1]!;
    console.log(
      `\n${ROUNDS} interleaved rounds per variant (${RAW_ITERATIONS} raw calls or ${CALL_ITERATIONS} module calls each), median round; ` +
        `"raw call" = alloc, write the input, on_request_headers, dealloc input and result.`,
    );
    printTable(`Sentinel SDK guest time per call (request of ${JSON.stringify(allowed).length} bytes, 7 headers)`, timed);
    /** The floor for a row: allow.wat measured the same way. */
    const floorOf = (id: string): Timed =>
      floorRows[id.includes('SentinelJsonModule') ? 2 : id.includes('(instrumented)') ? 1 : 0]!;
    const ratios: Array<[string, number]> = now.flatMap((r): Array<[string, number]> => [
      [`${r.id.replace('current ', '')}: guest µs (median round − floor)`, (r.nsPerOp - floorOf(r.id).nsPerOp) / 1000],
      [`${r.id.replace('current ', '')}: guest µs (fastest round − floor's fastest)`, (r.fastestNs - floorOf(r.id).fastestNs) / 1000],
    ]);
    if (bySet.length === 2) {
      const before = bySet[0]!;
      now.forEach((r, i) => ratios.push([`${r.id.replace('current ', '')}: new ÷ baseline (median rounds)`, r.nsPerOp / before[i]!.nsPerOp]));
    }
    printRatios(ratios);
  } finally {
    for (const close of closers) await close();
  }
}
