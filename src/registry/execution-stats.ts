// Execution counters as the gateway measures them around each guest call (pool wait included, as
// SMG's are). A reject is a success; a failure is a guest call that threw.
import type { GuestFaultKind } from '../runtime/index.js';

/** A guest fault kind, or `other` for anything that is not a GuestFault (pool closed, a bug). */
export type FailureKind = GuestFaultKind | 'other';

export interface ExecutionStatsSnapshot {
  executions: number;
  successes: number;
  failures: number;
  totalUs: number;
  maxUs: number;
  failuresByKind: Partial<Record<FailureKind, number>>;
}

export class ExecutionStats {
  #executions = 0;
  #failures = 0;
  #totalUs = 0;
  #maxUs = 0;
  readonly #byKind: Partial<Record<FailureKind, number>> = {};

  record(durationUs: number, failure?: FailureKind): void {
    this.#executions++;
    this.#totalUs += durationUs;
    if (durationUs > this.#maxUs) this.#maxUs = durationUs;
    if (failure !== undefined) {
      this.#failures++;
      this.#byKind[failure] = (this.#byKind[failure] ?? 0) + 1;
    }
  }

  snapshot(): ExecutionStatsSnapshot {
    return {
      executions: this.#executions,
      successes: this.#executions - this.#failures,
      failures: this.#failures,
      totalUs: Math.round(this.#totalUs),
      maxUs: Math.round(this.#maxUs),
      failuresByKind: { ...this.#byKind },
    };
  }
}
