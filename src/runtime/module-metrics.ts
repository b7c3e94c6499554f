// Per-module execution counters. Times are wall-clock microseconds of the guest call itself
// (not queueing), so they measure the module, not the load on the server.
import { GUEST_FAULT_KINDS, type GuestFaultKind } from './guest-fault.js';

export interface ModuleMetricsSnapshot {
  executions: number;
  successes: number;
  failures: number;
  failuresByKind: Record<GuestFaultKind, number>;
  totalExecutionTimeUs: number;
  maxExecutionTimeUs: number;
  averageExecutionTimeUs: number;
  /** Instances thrown away after a fault and replaced. */
  instancesReplaced: number;
  /** Healthy instances retired before they ran out of memory, and replaced. */
  instancesRecycled: number;
}

export type CallObserver = (durationUs: number, fault: GuestFaultKind | undefined) => void;

export class ModuleMetrics {
  #executions = 0;
  #failures = 0;
  #byKind = Object.fromEntries(GUEST_FAULT_KINDS.map((k) => [k, 0])) as Record<GuestFaultKind, number>;
  #totalUs = 0;
  #maxUs = 0;
  #replaced = 0;
  #recycled = 0;
  #observers: CallObserver[] = [];

  record(durationUs: number, fault?: GuestFaultKind): void {
    this.#executions++;
    this.#totalUs += durationUs;
    if (durationUs > this.#maxUs) this.#maxUs = durationUs;
    if (fault !== undefined) {
      this.#failures++;
      this.#byKind[fault]++;
    }
    for (const observe of this.#observers) observe(durationUs, fault);
  }

  recordReplacement(): void {
    this.#replaced++;
  }

  recordRecycle(): void {
    this.#recycled++;
  }

  /** Lets a front door feed its own exporter (e.g. Prometheus histograms) from the same events. */
  observe(observer: CallObserver): void {
    this.#observers.push(observer);
  }

  snapshot(): ModuleMetricsSnapshot {
    return {
      executions: this.#executions,
      successes: this.#executions - this.#failures,
      failures: this.#failures,
      failuresByKind: { ...this.#byKind },
      totalExecutionTimeUs: Math.round(this.#totalUs),
      maxExecutionTimeUs: Math.round(this.#maxUs),
      averageExecutionTimeUs: this.#executions === 0 ? 0 : this.#totalUs / this.#executions,
      instancesReplaced: this.#replaced,
      instancesRecycled: this.#recycled,
    };
  }
}

/** Adds up snapshots (one per executor thread of an isolated module). */
export function sumMetricsSnapshots(parts: readonly ModuleMetricsSnapshot[]): ModuleMetricsSnapshot {
  const total = structuredClone(parts[0]!);
  for (const part of parts.slice(1)) {
    total.executions += part.executions;
    total.successes += part.successes;
    total.failures += part.failures;
    total.totalExecutionTimeUs += part.totalExecutionTimeUs;
    total.maxExecutionTimeUs = Math.max(total.maxExecutionTimeUs, part.maxExecutionTimeUs);
    total.instancesReplaced += part.instancesReplaced;
    total.instancesRecycled += part.instancesRecycled;
    for (const kind of GUEST_FAULT_KINDS) total.failuresByKind[kind] += part.failuresByKind[kind];
  }
  total.averageExecutionTimeUs = total.executions === 0 ? 0 : total.totalExecutionTimeUs / total.executions;
  return total;
}
