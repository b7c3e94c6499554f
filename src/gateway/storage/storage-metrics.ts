// Prometheus metrics of the history API and its storage hook, registered in the gateway's own
// registry (so GET /metrics shows them next to the middleware's).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { StorageOperation } from '../../abi/index.js';
import type { HookCallOutcome, HookPhase, OperationOutcome, StorageObserver } from './storage-hook-contract.js';

const HOOK_BUCKETS_SECONDS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** What the hook itself counts (StorageHook.metrics). */
export interface HookPoolFigures {
  readonly instancesReplaced: number;
  readonly instancesRecycled: number;
}

export class StorageMetrics implements StorageObserver {
  readonly #hookCalls: Counter<'phase' | 'op' | 'outcome'>;
  readonly #hookErrors: Counter<'phase' | 'kind'>;
  readonly #hookSeconds: Histogram<'phase'>;
  readonly #operations: Counter<'op' | 'outcome'>;
  readonly #requests: Counter<'route' | 'status_class'>;
  readonly #storeFailures: Counter<'reason'>;

  constructor(registry: Registry, pool: () => HookPoolFigures | undefined) {
    const registers = [registry];
    this.#hookCalls = new Counter({
      name: 'wasmgate_storage_hook_calls_total',
      help: 'Storage hook calls by phase (before, after), operation and outcome (continue, reject, ok, error)',
      labelNames: ['phase', 'op', 'outcome'],
      registers,
    });
    this.#hookErrors = new Counter({
      name: 'wasmgate_storage_hook_errors_total',
      help: 'Failed storage hook calls by phase and kind (timeout, memory, stack, trap, bad-output, missing-export, pool, other)',
      labelNames: ['phase', 'kind'],
      registers,
    });
    this.#hookSeconds = new Histogram({
      name: 'wasmgate_storage_hook_call_duration_seconds',
      help: 'Storage hook call latency (waiting for a free instance included)',
      labelNames: ['phase'],
      buckets: HOOK_BUCKETS_SECONDS,
      registers,
    });
    this.#operations = new Counter({
      name: 'wasmgate_storage_operations_total',
      help: 'History storage operations through the storage hook by outcome (ok, rejected, hook_error, backend_error)',
      labelNames: ['op', 'outcome'],
      registers,
    });
    this.#requests = new Counter({
      name: 'wasmgate_history_requests_total',
      help: 'Requests answered by the history API by route group and status class',
      labelNames: ['route', 'status_class'],
      registers,
    });
    this.#storeFailures = new Counter({
      name: 'wasmgate_history_store_response_failures_total',
      help: 'POST /v1/responses answers that could not be stored (client still got the response) by reason',
      labelNames: ['reason'],
      registers,
    });
    new Gauge({
      name: 'wasmgate_storage_hook_instances_replaced',
      help: 'Storage hook instances thrown away after a fault and replaced',
      registers,
      collect() {
        this.set(pool()?.instancesReplaced ?? 0);
      },
    });
  }

  hookCall(phase: HookPhase, op: StorageOperation, outcome: HookCallOutcome, durationUs: number, failureKind?: string): void {
    this.#hookCalls.inc({ phase, op, outcome });
    this.#hookSeconds.observe({ phase }, durationUs / 1e6);
    if (failureKind !== undefined) this.#hookErrors.inc({ phase, kind: failureKind.startsWith('WG_ERR_POOL') ? 'pool' : failureKind });
  }

  operation(op: StorageOperation, outcome: OperationOutcome): void {
    this.#operations.inc({ op, outcome });
  }

  request(route: string, status: number): void {
    this.#requests.inc({ route, status_class: `${Math.floor(status / 100)}xx` });
  }

  storeFailure(reason: 'rejected' | 'hook-failed' | 'backend' | 'other'): void {
    this.#storeFailures.inc({ reason });
  }
}
