// Runs a guest's instances on worker threads instead of the event loop. Inline execution is the
// fastest (no hop between threads), but while a guest runs it holds the event loop — up to
// max_execution_time_ms for a runaway one. With isolation, a runaway guest holds one executor
// thread and the server keeps serving meanwhile; the deadline still stops it (instrumentation
// works the same inside a worker), so no thread is ever terminated mid-call.
//
// The runtime knows nothing of ABIs: each worker imports `factoryUrl` and calls its exported
// `createIsolatedGuest(args)`, which returns an object whose methods the host calls by name.
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { WasmgateError, describeError, type ErrorCode } from '../errors.js';
import { GuestFault, type GuestFaultKind } from './guest-fault.js';
import { siblingEntry, spawnWorker } from './spawn-worker.js';

export interface IsolatedGuestOptions {
  name: string;
  /** URL of a module exporting `createIsolatedGuest(args): Promise<{ [method]: (arg) => Promise<unknown>, close(): Promise<void> }>`. */
  factoryUrl: string;
  /** Structured-cloneable arguments for the factory (module bytes, limits, pool size...). */
  factoryArgs: unknown;
  threads: number;
  onWorkerExit?: ExecutorThreadOptions['onWorkerExit'];
}

/** The executor-thread options every isolated module takes. */
export interface ExecutorThreadOptions {
  /** Executor threads; default min(pool size, CPU count). Instances are spread across them. */
  threads?: number;
  /** Told when a worker thread died and was restarted. */
  onWorkerExit?(err: unknown): void;
}

/** How `poolSize` instances spread over executor threads: never more threads than instances. */
export function executorLayout(poolSize: number, requestedThreads?: number): { threads: number; instancesPerThread: number } {
  const threads = Math.max(1, Math.min(requestedThreads ?? Math.min(poolSize, availableParallelism()), poolSize));
  return { threads, instancesPerThread: Math.ceil(poolSize / threads) };
}

/** What crosses the thread boundary for a failed call. */
export interface SerializedError {
  code: string;
  message: string;
  kind?: GuestFaultKind;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof GuestFault) return { code: err.code, message: err.message, kind: err.kind };
  if (err instanceof WasmgateError) return { code: err.code, message: err.message };
  return { code: 'WG_ERR_INTERNAL_BUG', message: describeError(err) };
}

export function deserializeError(e: SerializedError): WasmgateError {
  if (e.kind) return new GuestFault(e.kind, e.message);
  return new WasmgateError(e.code as ErrorCode, e.message);
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError } | { ready: true } | { fatal: SerializedError };

class ExecutorThread {
  readonly worker: Worker;
  readonly pending = new Map<number, Pending>();

  constructor(worker: Worker) {
    this.worker = worker;
  }
}

const workerEntry = siblingEntry('isolated-guest-worker', import.meta.url);

export class IsolatedGuest {
  readonly #options: IsolatedGuestOptions;
  readonly #threads: ExecutorThread[] = [];
  #nextId = 1;
  #closed = false;

  private constructor(options: IsolatedGuestOptions) {
    this.#options = options;
  }

  /** Starts every executor thread and waits until each has loaded the guest (or one failed to). */
  static async create(options: IsolatedGuestOptions): Promise<IsolatedGuest> {
    const guest = new IsolatedGuest(options);
    try {
      await Promise.all(Array.from({ length: options.threads }, (_, i) => guest.#start(i)));
    } catch (err) {
      await guest.close();
      throw err;
    }
    return guest;
  }

  #start(slot: number): Promise<void> {
    const worker = spawnWorker(workerEntry, {
      workerData: { factoryUrl: this.#options.factoryUrl, factoryArgs: this.#options.factoryArgs },
    });
    const thread = new ExecutorThread(worker);
    this.#threads[slot] = thread;
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (reply: Reply) => {
        if ('ready' in reply) return resolve();
        if ('fatal' in reply) return reject(deserializeError(reply.fatal));
        const pending = thread.pending.get(reply.id);
        if (!pending) return;
        thread.pending.delete(reply.id);
        if (reply.ok) pending.resolve(reply.value);
        else pending.reject(deserializeError(reply.error));
      });
      worker.on('error', (err) => reject(err));
      worker.on('exit', (code) => {
        const err = new GuestFault('trap', `executor thread of ${this.#options.name} exited (code ${code})`);
        for (const pending of thread.pending.values()) pending.reject(err);
        thread.pending.clear();
        reject(err);
        if (!this.#closed && this.#threads[slot] === thread) {
          this.#options.onWorkerExit?.(err);
          this.#start(slot).catch((restartErr) => this.#options.onWorkerExit?.(restartErr));
        }
      });
    });
  }

  /** Calls `method` on the least-busy executor thread. */
  call(method: string, arg: unknown): Promise<unknown> {
    if (this.#closed) return Promise.reject(new WasmgateError('WG_ERR_POOL_CLOSED', `module ${this.#options.name} is being unloaded`));
    let best = this.#threads[0]!;
    for (const thread of this.#threads) if (thread.pending.size < best.pending.size) best = thread;
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      best.pending.set(id, { resolve, reject });
      best.worker.postMessage({ id, method, arg });
    });
  }

  /** Calls `method` on every thread (e.g. to gather metrics). */
  broadcast(method: string, arg: unknown): Promise<unknown[]> {
    return Promise.all(
      this.#threads.map((thread) => {
        const id = this.#nextId++;
        return new Promise((resolve, reject) => {
          thread.pending.set(id, { resolve, reject });
          thread.worker.postMessage({ id, method, arg });
        });
      }),
    );
  }

  /** Lets running calls finish (the guest's own close drains its pools), then stops the threads. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(
      this.#threads.map(async (thread) => {
        if (!thread) return;
        const id = this.#nextId++;
        await new Promise((resolve) => {
          thread.pending.set(id, { resolve, reject: resolve });
          thread.worker.postMessage({ id, method: 'close', arg: undefined });
        });
        await thread.worker.terminate();
      }),
    );
  }
}
