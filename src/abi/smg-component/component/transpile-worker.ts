// Runs jco `transpile` on a worker thread: an 11 MB componentize-js component takes seconds, and
// the event loop must keep serving meanwhile. One worker is started on demand and reused for the
// next jobs (jco's own wasm tools take ~300 ms to initialise), one job at a time, and terminated
// after a short idle period so its memory (hundreds of MB after a big component) is given back.
// A job that runs too long, or a worker that dies, fails only the job it was running; queued jobs
// go to a fresh worker.
//
// A server also warms the worker up (prewarmTranspiler): jco's bindings generator is itself wasm +
// JS that V8 optimises only once it has run a few dozen times; cold, a 4 KB component takes ~100 ms
// to transpile, warm ~25 ms. The warm-up transpiles dummy components of the smg worlds (built by
// jco from our WIT) in the background, only while no real job waits.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WasmgateError, describeError } from '../../../errors.js';

export interface TranspileOutput {
  /** Output files by name: `<name>.js` (ESM glue), `<name>.core*.wasm`, `interfaces/*.d.ts`. */
  readonly files: Record<string, Uint8Array>;
  /** Imported interfaces, unversioned (`wasi:cli/stdout`), as the glue looks them up. */
  readonly imports: readonly string[];
  readonly exports: ReadonlyArray<readonly [string, 'function' | 'instance']>;
}

/** Base name jco gives the generated files: `component.js`, `component.core.wasm`, ... */
export const GLUE_BASE_NAME = 'component';

/** A worker with no job for this long is terminated. */
const IDLE_MS = 10_000;
/** Longest one transpile may take (an 11 MB componentize-js component takes ~8 s here). */
const TRANSPILE_TIMEOUT_MS = 180_000;
/** Heap cap of the worker: a hostile component cannot make jco eat the host's memory. */
const WORKER_HEAP_MB = 2048;

// Plain JS: runs inside the worker without any TypeScript loader. `instantiation: 'async'` makes
// the glue export `instantiate(getCoreModule, imports, instantiateCore)` (no top-level imports,
// each core module handed to us to compile). `nodejsCompat: false` drops the glue's fs fallback,
// which we never use since getCoreModule is always supplied.
// A message with `dummy` ({witSource, world}) instead of `bytes` transpiles a warm-up component of
// that world, made once per world: wasm-tools' dummy core module for the world (its exports trap)
// plus WARMUP_FUNCTIONS functions of loops, memory access, i64 arithmetic, branches and calls, so
// that validating real code is part of the warm-up too (with the dummy alone, the first real
// transpiles still took 2-3x as long).
const WARMUP_FUNCTIONS = 24;
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const jco = import(workerData.jcoUrl);
const dummies = new Map();
const warmupFunction = (i) => \`(func $w\${i} (param $p i32) (param $n i32) (result i32) (local $i i32) (local $acc i64)
  (block $done (loop $l (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
    (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.load8_u offset=\${i} (i32.add (local.get $p) (local.get $i))))))
    (i32.store offset=8 (local.get $p) (i32.wrap_i64 (i64.shr_u (local.get $acc) (i64.const 3))))
    (if (i32.eqz (i32.and (local.get $i) (i32.const 7))) (then (local.set $acc (i64.mul (local.get $acc) (i64.const 31)))))
    (local.set $i (i32.add (local.get $i) (i32.const 1))) (br $l)))
  (block $a (block $b (block $c (br_table $a $b $c (i32.rem_u (local.get $n) (i32.const 3))))
    (return (i32.const 1))) (return (call $w\${(i + 1) % ${WARMUP_FUNCTIONS}} (local.get $p) (i32.const 0))))
  (i32.wrap_i64 (local.get $acc)))\`;
async function dummyOf({ witSource, world }) {
  if (!dummies.has(world)) {
    const { componentEmbed, componentNew, print, parse } = await jco;
    const wat = await print(await componentEmbed({ witSource, world, dummy: true }));
    const code = Array.from({ length: ${WARMUP_FUNCTIONS} }, (_, i) => warmupFunction(i)).join('\\n');
    dummies.set(world, await componentNew(await parse(wat.slice(0, wat.lastIndexOf(')')) + code + ')')));
  }
  return dummies.get(world);
}
parentPort.on('message', async ({ id, bytes, dummy, name }) => {
  try {
    const { transpile } = await jco;
    const out = await transpile(dummy ? await dummyOf(dummy) : bytes, { name, instantiation: 'async', nodejsCompat: false });
    parentPort.postMessage({ id, ok: true, files: dummy ? {} : out.files, imports: out.imports, exports: out.exports });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, message: String((err && err.message) || err) });
  }
});
`;

/** How the warm-up went: dummy transpiles run, time they took, and the last one's time. */
export interface WarmupReport {
  readonly jobs: number;
  readonly ms: number;
  readonly lastMs: number;
}

/** A world to build a warm-up dummy from. */
interface DummySpec {
  readonly witSource: string;
  readonly world: string;
}

interface Job {
  readonly id: number;
  readonly input: { bytes: Uint8Array } | { dummy: DummySpec };
  resolve(out: TranspileOutput): void;
  reject(err: unknown): void;
}

/** Warm-up: at most this many dummy transpiles, ... */
const WARMUP_MAX_JOBS = 40;
/** ... stopping early once one takes less than this (the generator is warm), ... */
const WARMUP_WARM_MS = 15;
/** ... or once this much time has gone into them. */
const WARMUP_BUDGET_MS = 4000;

type WorkerMessage = ({ id: number; ok: true } & TranspileOutput) | { id: number; ok: false; message: string };

let jcoUrl: string | undefined;
function resolveJco(): string {
  jcoUrl ??= pathToFileURL(createRequire(import.meta.url).resolve('@bytecodealliance/jco')).href;
  return jcoUrl;
}

class TranspileWorker {
  #worker: Worker | undefined;
  #queue: Job[] = [];
  #running: Job | undefined;
  #runTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #nextId = 1;
  /**
   * The warm-up under way: worlds taken in turn while no real job waits, what it has cost so far,
   * and whether someone awaits its end (then it keeps the process alive).
   */
  #warmup:
    | { specs: DummySpec[]; left: number; jobs: number; spentMs: number; lastMs: number; awaited: boolean; done(report: WarmupReport): void }
    | undefined;
  #warmed: Promise<WarmupReport> = Promise.resolve({ jobs: 0, ms: 0, lastMs: 0 });

  run(bytes: Uint8Array): Promise<TranspileOutput> {
    return new Promise<TranspileOutput>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, input: { bytes }, resolve, reject });
      this.#pump();
    });
  }

  /** Starts warming the worker up with dummies of `specs`, in the background. */
  warmUp(specs: DummySpec[]): void {
    if (specs.length === 0 || this.#warmup) return;
    let done!: (report: WarmupReport) => void;
    this.#warmed = new Promise((resolve) => (done = resolve));
    this.#warmup = { specs, left: WARMUP_MAX_JOBS, jobs: 0, spentMs: 0, lastMs: 0, awaited: false, done };
    this.#pump();
  }

  /** Resolves once the warm-up (if any) is over; while someone waits, the warm-up keeps the process alive. */
  warmed(): Promise<WarmupReport> {
    if (this.#warmup) {
      this.#warmup.awaited = true;
      this.#worker?.ref();
    }
    return this.#warmed;
  }

  /** The next warm-up job, if the warm-up is not over. */
  #nextWarmup(): Job | undefined {
    const w = this.#warmup;
    if (!w) return undefined;
    if (w.left <= 0 || w.spentMs >= WARMUP_BUDGET_MS) {
      this.#warmup = undefined;
      w.done({ jobs: w.jobs, ms: Math.round(w.spentMs), lastMs: Math.round(w.lastMs) });
      return undefined;
    }
    const dummy = w.specs[w.left-- % w.specs.length]!;
    const started = performance.now();
    const settled = (): void => {
      w.lastMs = performance.now() - started;
      w.spentMs += w.lastMs;
      w.jobs++;
      if (w.lastMs < WARMUP_WARM_MS) w.left = 0;
    };
    return { id: this.#nextId++, input: { dummy }, resolve: settled, reject: () => (w.left = 0) };
  }

  #pump(): void {
    if (this.#running) return;
    const real = this.#queue.shift();
    const job = real ?? this.#nextWarmup();
    if (!job) return this.#idle();
    clearTimeout(this.#idleTimer);
    const worker = this.#ensure();
    // Warm-up work keeps the process alive only while someone awaits it (warmed()).
    if (real || this.#warmup?.awaited) worker.ref();
    else worker.unref();
    this.#running = job;
    this.#runTimer = setTimeout(() => {
      this.#fail(worker, new WasmgateError('WG_ERR_MODULE_OVER_LIMIT', `component took longer than ${TRANSPILE_TIMEOUT_MS / 1000} s to transpile`));
    }, TRANSPILE_TIMEOUT_MS);
    this.#runTimer.unref();
    worker.postMessage({ id: job.id, ...job.input, name: GLUE_BASE_NAME });
  }

  #ensure(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { jcoUrl: resolveJco() },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    worker.on('message', (msg: WorkerMessage) => this.#settle(msg));
    worker.on('error', (err) => this.#fail(worker, new WasmgateError('WG_ERR_INTERNAL_BUG', `component transpile worker failed: ${describeError(err)}`, { cause: err })));
    worker.on('exit', (code) => this.#fail(worker, new WasmgateError('WG_ERR_INTERNAL_BUG', `component transpile worker exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }

  #settle(msg: WorkerMessage): void {
    const job = this.#running;
    if (!job || job.id !== msg.id) return;
    clearTimeout(this.#runTimer);
    this.#running = undefined;
    if (msg.ok) job.resolve({ files: msg.files, imports: msg.imports, exports: msg.exports });
    else job.reject(new WasmgateError('WG_ERR_MODULE_INVALID', `not a valid WebAssembly component: ${msg.message}`));
    this.#pump();
  }

  /** The worker is gone or must go: fail the job it was running, hand the queue to a new worker. */
  #fail(worker: Worker, err: WasmgateError): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    clearTimeout(this.#runTimer);
    void worker.terminate();
    const job = this.#running;
    this.#running = undefined;
    job?.reject(err);
    this.#pump();
  }

  /** Keeps the worker (and jco, ~1 s to start) alive between jobs: for servers. */
  keepWarm = false;

  #idle(): void {
    const worker = this.#worker;
    if (!worker) return;
    if (this.keepWarm) return void worker.unref();
    worker.unref();
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      if (this.#worker === worker && !this.#running) {
        this.#worker = undefined;
        void worker.terminate();
      }
    }, IDLE_MS);
    this.#idleTimer.unref();
  }
}

const shared = new TranspileWorker();

/** Transpiles `bytes` (a component) on the shared worker thread. Throws WG_ERR_MODULE_INVALID for a bad component. */
export function transpileOffThread(bytes: Uint8Array): Promise<TranspileOutput> {
  return shared.run(bytes);
}

/** The smallest valid component: just the preamble. Transpiling it loads jco in the worker. */
const EMPTY_COMPONENT = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);

/** The worlds wasmgate loads components of, as WIT text (wit/ at the package root); none if unreadable. */
function warmupWorlds(): DummySpec[] {
  const wit = (file: string) => readFileSync(fileURLToPath(new URL(`../../../../wit/${file}`, import.meta.url)), 'utf8');
  try {
    return [
      { witSource: wit('smg-gateway.wit'), world: 'smg' },
      { witSource: wit('smg-storage.wit'), world: 'storage-hook' },
    ];
  } catch {
    return [];
  }
}

/**
 * Starts the transpile worker and loads jco now, and keeps both alive: the first component a server
 * registers then skips ~1 s of worker and jco start-up. Resolves once jco is loaded; the worker
 * then goes on warming up in the background (a few seconds of one core, yielding to real jobs).
 */
export async function prewarmTranspiler(): Promise<void> {
  shared.keepWarm = true;
  await shared.run(EMPTY_COMPONENT).catch(() => {});
  shared.warmUp(warmupWorlds());
}

/**
 * Resolves once the background warm-up prewarmTranspiler started is over (at once if none runs);
 * awaiting it keeps the process alive until then (the warm-up alone does not).
 */
export function transpilerWarmedUp(): Promise<WarmupReport> {
  return shared.warmed();
}
