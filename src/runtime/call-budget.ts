// The host side of the limits that instrumentation compiles into a guest (see instrument/ and
// docs/limits.md). The rewritten module calls `fuel()` whenever its tick counter reaches zero and
// `stack_overflow()` when its estimated stack use passes max_stack_size. One CallBudget belongs to
// one instance (a component instance shares one across its core modules).
//
// Why in-process instrumentation: it costs ~nothing per call (setting a number), where a worker
// round trip costs 17-89 us and vm.runInContext's timeout ~66 us (measured-facts.md).
import { GuestFault } from './guest-fault.js';

/** Ticks granted by the first refill of each instance; small so a heavy loop body is checked early. */
const INITIAL_REFILL = 1000;
/** Most ticks granted between two clock reads: bounds the work between checks once the guest is warm. */
const MAX_REFILL = 1 << 16;
/** Aimed-for wall time between two clock reads: keeps the overshoot past a deadline small. */
const TARGET_CHECK_INTERVAL_MS = 2;

export class CallBudget {
  #deadline = Number.POSITIVE_INFINITY;
  #budgetMs = 0;
  #lastCheck = 0;
  #refill = INITIAL_REFILL;
  #maxStackSize: number;

  /** The import namespace instrumented modules expect under LIMITS_IMPORT_MODULE. */
  readonly imports: { fuel: () => number; stack_overflow: () => never };

  constructor(maxStackSize: number) {
    this.#maxStackSize = maxStackSize;
    this.imports = {
      fuel: () => this.#onFuelExhausted(),
      stack_overflow: () => {
        throw new GuestFault('stack', `guest exceeded max_stack_size (${this.#maxStackSize} bytes): recursion too deep`);
      },
    };
  }

  /** Arms the deadline for one guest call (or instantiation); `now` saves a clock read if the caller has one. */
  begin(timeoutMs: number, now = performance.now()): void {
    this.#budgetMs = timeoutMs;
    this.#deadline = now + timeoutMs;
    this.#lastCheck = now;
  }

  /** Disarms the deadline; fuel that runs out between calls is simply refilled. */
  end(): void {
    this.#deadline = Number.POSITIVE_INFINITY;
  }

  #onFuelExhausted(): number {
    const now = performance.now();
    if (now > this.#deadline) {
      this.#deadline = Number.POSITIVE_INFINITY;
      throw new GuestFault(
        'timeout',
        `guest ran longer than max_execution_time_ms (${this.#budgetMs} ms) and was stopped`,
      );
    }
    // Adapt the refill so clock reads happen about every TARGET_CHECK_INTERVAL_MS whatever the
    // cost of one tick (a tight loop vs a loop with a huge body).
    const elapsed = now - this.#lastCheck;
    if (elapsed > TARGET_CHECK_INTERVAL_MS) {
      this.#refill = Math.max(1, Math.floor((this.#refill * TARGET_CHECK_INTERVAL_MS) / elapsed));
    } else if (elapsed < TARGET_CHECK_INTERVAL_MS / 4 && this.#refill < MAX_REFILL) {
      this.#refill *= 2;
    }
    this.#lastCheck = now;
    return this.#refill;
  }
}
