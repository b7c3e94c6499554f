// Holds the guest in service and retires replaced ones: a call leases the current guest for its
// whole duration, so after a reload new calls use the new guest while calls already running finish
// on the old one, whose close() runs once its last lease is released.
import type { SentinelGuest } from '../abi/index.js';

/** What `loadGuest()` returns: a guest, optionally with resources to free when it is retired. */
export type ClosableGuest = SentinelGuest & { close?(): Promise<void> };

interface Generation {
  readonly guest: ClosableGuest;
  readonly number: number;
  leases: number;
  retired: boolean;
  closing: boolean;
  /** Resolves once close() has run (or failed). */
  readonly closed: Promise<void>;
  readonly markClosed: () => void;
}

function newGeneration(guest: ClosableGuest, number: number): Generation {
  let markClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  return { guest, number, leases: 0, retired: false, closing: false, closed, markClosed };
}

export interface GuestLease {
  readonly guest: ClosableGuest;
  /** Which load this guest came from: 1 for the first, +1 per successful reload. */
  readonly generation: number;
  release(): void;
}

export class GuestSlot {
  #current: Generation | undefined;
  #count = 0;
  readonly #retiring = new Set<Generation>();
  readonly #onCloseError: (err: unknown, generation: number) => void;

  constructor(onCloseError: (err: unknown, generation: number) => void) {
    this.#onCloseError = onCloseError;
  }

  /** Generation number of the guest in service (0 before the first install). */
  get generation(): number {
    return this.#current?.number ?? 0;
  }

  /** Guests replaced but still finishing calls. */
  get retiring(): number {
    return this.#retiring.size;
  }

  /** Puts `guest` in service; the previous one is closed once its running calls end. */
  install(guest: ClosableGuest): number {
    const previous = this.#current;
    this.#current = newGeneration(guest, ++this.#count);
    if (previous !== undefined) this.#retire(previous);
    return this.#count;
  }

  lease(): GuestLease {
    const generation = this.#current;
    if (generation === undefined) throw new Error('GuestSlot.lease() before install()');
    generation.leases++;
    let released = false;
    return {
      guest: generation.guest,
      generation: generation.number,
      release: () => {
        if (released) return;
        released = true;
        generation.leases--;
        if (generation.retired && generation.leases === 0) this.#close(generation);
      },
    };
  }

  /**
   * Retires the guest in service and resolves when every guest has been closed. With `force`,
   * guests still running calls are closed at once (used after the drain deadline has passed).
   */
  async closeAll(force = false): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    if (current !== undefined) this.#retire(current);
    const pending = [...this.#retiring];
    if (force) for (const generation of pending) this.#close(generation);
    await Promise.all(pending.map((g) => g.closed));
  }

  #retire(generation: Generation): void {
    generation.retired = true;
    this.#retiring.add(generation);
    if (generation.leases === 0) this.#close(generation);
  }

  #close(generation: Generation): void {
    if (generation.closing) return;
    generation.closing = true;
    void (async () => {
      try {
        await generation.guest.close?.();
      } catch (err) {
        this.#onCloseError(err, generation.number);
      } finally {
        this.#retiring.delete(generation);
        generation.markClosed();
      }
    })();
  }
}
