// Wraps every call into a component instance: translates whatever the guest threw into a
// GuestFault, flushes the guest's output, and marks the instance unusable after a fault (its
// memory and the glue's bookkeeping may be half-updated; the pool above replaces it).
import { GuestFault, MEMORY_FAULT_FRACTION, WASM_PAGE_SIZE, toGuestFault } from '../../../runtime/index.js';
import type { WasiSandbox } from '../wasi/wasi-sandbox.js';

export class GuestCallGuard {
  readonly #wasi: WasiSandbox;
  readonly #maxMemoryBytes: number | undefined;
  #memory: WebAssembly.Memory | undefined;
  #fault: GuestFault | undefined;

  constructor(wasi: WasiSandbox, maxMemoryPages: number | undefined) {
    this.#wasi = wasi;
    this.#maxMemoryBytes = maxMemoryPages === undefined ? undefined : maxMemoryPages * WASM_PAGE_SIZE;
  }

  /** The guest memory whose size tells a trap at the memory cap apart from other traps. */
  watchMemory(memory: WebAssembly.Memory | undefined): void {
    this.#memory ??= memory;
  }

  /** Bytes of the watched guest memory now (0 when none is watched). */
  get memoryBytes(): number {
    return this.#memory?.buffer.byteLength ?? 0;
  }

  /** The fault that made this instance unusable, if any. */
  get fault(): GuestFault | undefined {
    return this.#fault;
  }

  run<T>(what: string, call: () => T): T {
    if (this.#fault) {
      throw new GuestFault(this.#fault.kind, `component instance is unusable after an earlier fault (${this.#fault.message})`);
    }
    try {
      return call();
    } catch (err) {
      const atCap = this.#memory !== undefined && this.#maxMemoryBytes !== undefined && this.#memory.buffer.byteLength >= this.#maxMemoryBytes * MEMORY_FAULT_FRACTION;
      this.#fault = toGuestFault(err, { what, memoryAtCap: atCap });
      throw this.#fault;
    } finally {
      this.#wasi.endCall();
    }
  }
}
