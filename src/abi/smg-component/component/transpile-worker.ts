// Runs jco `transpile` on a worker thread: an 11 MB componentize-js component takes seconds, and
// the event loop must keep serving meanwhile. One worker is started on demand and reused for the
// next jobs (jco's own wasm tools take ~300 ms to initialise), one job at a time, and terminated
// after a short idle period so its memory (hundreds of MB after a big component) is given back.
// A job that runs too long, or a worker that dies, fails only the job it was running; queued jobs
// go to a fresh worker.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
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
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const jco = import(workerData.jcoUrl);
parentPort.on('message', async ({ id, bytes, name }) => {
  try {
    const { transpile } = await jco;
    const out = await transpile(bytes, { name, instantiation: 'async', nodejsCompat: false });
    parentPort.postMessage({ id, ok: true, files: out.files, imports: out.imports, exports: out.exports });
  } catch (err) {
    parentPort.postMessage({ id, ok: false, message: String((err && err.message) || err) });
  }
});
`;

interface Job {
  readonly id: number;
  readonly bytes: Uint8Array;
  resolve(out: TranspileOutput): void;
  reject(err: unknown): void;
}

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

  run(bytes: Uint8Array): Promise<TranspileOutput> {
    return new Promise<TranspileOutput>((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, bytes, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#running) return;
    const job = this.#queue.shift();
    if (!job) return this.#idle();
    clearTimeout(this.#idleTimer);
    const worker = this.#ensure();
    worker.ref();
    this.#running = job;
    this.#runTimer = setTimeout(() => {
      this.#fail(worker, new WasmgateError('WG_ERR_MODULE_OVER_LIMIT', `component took longer than ${TRANSPILE_TIMEOUT_MS / 1000} s to transpile`));
    }, TRANSPILE_TIMEOUT_MS);
    worker.postMessage({ id: job.id, bytes: job.bytes, name: GLUE_BASE_NAME });
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

/**
 * Starts the transpile worker and loads jco now, and keeps both alive: the first component a server
 * registers then transpiles in tens of ms instead of paying ~1 s of worker and jco start-up.
 */
export async function prewarmTranspiler(): Promise<void> {
  shared.keepWarm = true;
  await shared.run(EMPTY_COMPONENT).catch(() => {});
}
