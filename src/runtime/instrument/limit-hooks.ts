// The contract between an instrumented module and its host: the import names the rewriter adds,
// the limits it compiles in, and what it reports. The host side is runtime/call-budget.ts.

/** Import module name added to every instrumented module; guests may not import from it themselves. */
export const LIMITS_IMPORT_MODULE = '__wasmgate';
/**
 * `() -> i32`: called when fuel runs out; returns the new fuel (>= 1) or throws to stop the guest.
 * The guest cannot catch that throw: its catch bodies rethrow while fuel is exhausted.
 */
export const FUEL_IMPORT = 'fuel';
/** `() -> ()`: called when the estimated stack passes max_stack_size; the host throws. */
export const STACK_IMPORT = 'stack_overflow';

export interface InstrumentOptions {
  /** Cap on the maximum of every memory the module defines, in 64 KiB pages. */
  maxMemoryPages: number;
  /** Budget of estimated stack bytes (see FRAME_BASE_BYTES / FRAME_SLOT_BYTES). */
  maxStackSize: number;
  /** Cap on the maximum of every table the module defines. */
  maxTableElements: number;
}

export interface InstrumentStats {
  /** Defined functions instrumented. */
  functions: number;
  /** Loops given a fuel tick (at their header; the refill is hoisted out of loops without parameters). */
  loops: number;
  /** Call sites (call, call_indirect, return_call, return_call_indirect). */
  calls: number;
  bytesIn: number;
  bytesOut: number;
}

/**
 * Estimated frame of a function: FRAME_BASE_BYTES + FRAME_SLOT_BYTES x (params + declared locals).
 * The base stands for the return address, frame pointer and spill slots V8 keeps per wasm frame;
 * each parameter or local counts as one 8-byte slot (an i64/f64; a v128 local counts as one too).
 */
export const FRAME_BASE_BYTES = 32;
export const FRAME_SLOT_BYTES = 8;

/** Fuel charged by bulk memory/table operations: one tick per 2^BULK_TICK_SHIFT units of length. */
export const BULK_TICK_SHIFT = 12;

/**
 * Flat fuel charged before each `memory.grow` and `table.grow`: a grow costs far more than a tick
 * (allocation, and table growth outside max_memory_pages), so a loop of grows would otherwise run
 * long past the deadline between two clock reads.
 */
export const GROW_TICKS = 64;
