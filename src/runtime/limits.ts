// Every limit a guest can push against, with the threat it blocks.
// The four configurable limits use SMG's names, defaults, valid ranges and validation messages
// (../shared/reference/smg-wasm-behaviour.md §2.1) so configs and error texts carry over.
import { WasmgateError } from '../errors.js';

export const WASM_PAGE_SIZE = 65536;
const KiB = 1024;
const MiB = 1024 * KiB;

export interface GuestLimits {
  /** Cap on each linear memory, in 64 KiB pages. Blocks a guest from exhausting host memory. */
  readonly maxMemoryPages: number;
  /** Wall-clock budget of one guest call (and of instantiation). Blocks infinite loops. */
  readonly maxExecutionTimeMs: number;
  /** Estimated wasm stack bytes one call may use. Blocks runaway recursion. */
  readonly maxStackSize: number;
  /** Largest body (or guest JSON output) exchanged with a guest, in bytes. Blocks memory blow-ups. */
  readonly maxBodySize: number;
}

export const DEFAULT_LIMITS: GuestLimits = Object.freeze({
  maxMemoryPages: 1024,
  maxExecutionTimeMs: 1000,
  maxStackSize: 1 * MiB,
  maxBodySize: 10 * MiB,
});

/** snake_case names as they appear in configs, descriptors and SMG's messages. */
export const LIMIT_FIELD_NAMES: Readonly<Record<keyof GuestLimits, string>> = Object.freeze({
  maxMemoryPages: 'max_memory_pages',
  maxExecutionTimeMs: 'max_execution_time_ms',
  maxStackSize: 'max_stack_size',
  maxBodySize: 'max_body_size',
});

interface Bound {
  readonly min: number;
  readonly max: number;
  /** SMG's messages, first failing check wins. */
  readonly checks: ReadonlyArray<readonly [(v: number) => boolean, string]>;
}

const BOUNDS: Readonly<Record<keyof GuestLimits, Bound>> = {
  maxMemoryPages: {
    min: 1,
    max: 65536,
    checks: [
      [(v) => v === 0, 'max_memory_pages cannot be 0'],
      [(v) => v > 65536, 'max_memory_pages cannot exceed 65536 (4GB)'],
    ],
  },
  maxExecutionTimeMs: {
    min: 1,
    max: 300_000,
    checks: [
      [(v) => v === 0, 'max_execution_time_ms cannot be 0'],
      [(v) => v > 300_000, 'max_execution_time_ms cannot exceed 300000ms (5 minutes)'],
    ],
  },
  maxStackSize: {
    min: 64 * KiB,
    max: 16 * MiB,
    checks: [
      [(v) => v === 0, 'max_stack_size cannot be 0'],
      [(v) => v < 64 * KiB, 'max_stack_size must be at least 64KB'],
      [(v) => v > 16 * MiB, 'max_stack_size cannot exceed 16MB'],
    ],
  },
  maxBodySize: {
    min: 1,
    max: 100 * MiB,
    checks: [
      [(v) => v === 0, 'max_body_size cannot be 0'],
      [(v) => v > 100 * MiB, 'max_body_size cannot exceed 100MB'],
    ],
  },
};

/** Range of a limit as "min..max" for help texts. */
export function limitRange(key: keyof GuestLimits): string {
  return `${BOUNDS[key].min}..${BOUNDS[key].max}`;
}

function checkLimit(key: keyof GuestLimits, value: unknown): number {
  const field = LIMIT_FIELD_NAMES[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new WasmgateError(
      'WG_ERR_CONFIG_INVALID',
      `${field} must be a whole number in ${limitRange(key)}, got ${JSON.stringify(value)}`,
    );
  }
  for (const [fails, message] of BOUNDS[key].checks) {
    if (fails(value)) throw new WasmgateError('WG_ERR_CONFIG_INVALID', `${message} (valid range ${limitRange(key)})`);
  }
  return value;
}

/**
 * Resolves limits: `base` (already valid) overridden field by field by `override`,
 * each override checked against SMG's ranges. Returns a frozen, complete object.
 */
export function resolveLimits(base: GuestLimits = DEFAULT_LIMITS, override: Partial<GuestLimits> = {}): GuestLimits {
  const out: Record<string, number> = {};
  for (const key of Object.keys(BOUNDS) as Array<keyof GuestLimits>) {
    const v = override[key];
    out[key] = v === undefined ? base[key] : checkLimit(key, v);
  }
  return Object.freeze(out as unknown as GuestLimits);
}

/** Converts snake_case limit fields (as in configs and module descriptors) to a partial GuestLimits. */
export function limitsFromSnakeCase(input: Partial<Record<string, unknown>>): Partial<GuestLimits> {
  const out: Partial<Record<keyof GuestLimits, number>> = {};
  for (const key of Object.keys(LIMIT_FIELD_NAMES) as Array<keyof GuestLimits>) {
    const v = input[LIMIT_FIELD_NAMES[key]];
    if (v !== undefined) out[key] = checkLimit(key, v);
  }
  return out;
}

// Fixed limits (not configurable per module).

/**
 * Process-wide cap on live guest instances. Each WebAssembly.Memory reserves ~10 GiB of address
 * space, so V8 fails at ~13,000; stop well before with a clear error instead.
 */
export const MAX_LIVE_INSTANCES = 4096;

/** Cap on each table's element count: blocks `table.grow` loops from eating host memory. */
export const MAX_TABLE_ELEMENTS = 100_000;

/**
 * An instance whose memory passed this fraction of max_memory_pages after a successful call is
 * retired and replaced before it runs out: garbage-collected guests (componentize-js) grow their
 * heap for tens of thousands of calls, and would otherwise fail one request at the cap.
 */
export const RECYCLE_MEMORY_FRACTION = 0.8;

/** A trap with memory at or above this fraction of the cap is reported as a memory fault (a failed large grow). */
export const MEMORY_FAULT_FRACTION = 0.9;

/** Instance pool default size and the cap a config may ask for. */
export const DEFAULT_POOL_SIZE = 4;
export const MAX_POOL_SIZE = 256;

/** How long a caller waits for a free pooled instance before WG_ERR_POOL_EXHAUSTED. */
export const DEFAULT_POOL_ACQUIRE_TIMEOUT_MS = 5000;
