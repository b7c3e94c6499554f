// Shared by the instrument tests: WAT -> wasm with wabt, and the limit-hook imports a host gives
// an instrumented module (fuel refills that can be told to stop, a stack_overflow that throws).
import wabtInit from 'wabt';
import {
  FUEL_IMPORT,
  LIMITS_IMPORT_MODULE,
  STACK_IMPORT,
  instrumentModule,
  type InstrumentOptions,
} from '../../../../src/runtime/instrument/index.js';

const wabt = await wabtInit();

const FEATURES = {
  exceptions: true,
  tail_call: true,
  simd: true,
  multi_value: true,
  bulk_memory: true,
  reference_types: true,
  threads: true,
  sign_extension: true,
  sat_float_to_int: true,
  mutable_globals: true,
};

/** Assembles WAT with every feature Node 20 runs; `names` keeps a name section. */
export function wat(text: string, names = false): Uint8Array {
  const module = wabt.parseWat('test.wat', text, FEATURES);
  try {
    return new Uint8Array(module.toBinary({ write_debug_names: names }).buffer);
  } finally {
    module.destroy();
  }
}

export const TEST_LIMITS: InstrumentOptions = { maxMemoryPages: 1024, maxStackSize: 1 << 20, maxTableElements: 100_000 };

export function instrument(bytes: Uint8Array, options: Partial<InstrumentOptions> = {}): Uint8Array {
  return instrumentModule(bytes, { ...TEST_LIMITS, ...options }).bytes;
}

export class FuelStop extends Error {}
export class StackStop extends Error {}

/** Counts hook calls; `fuel` refills `refill` ticks and throws FuelStop on call number `stopAfter`. */
export class LimitHooks {
  fuelCalls = 0;
  stackCalls = 0;
  readonly stop = new FuelStop('out of fuel');

  constructor(
    readonly refill = 10_000,
    readonly stopAfter = Number.POSITIVE_INFINITY,
  ) {}

  get imports(): WebAssembly.Imports {
    return {
      [LIMITS_IMPORT_MODULE]: {
        [FUEL_IMPORT]: (): number => {
          this.fuelCalls++;
          if (this.fuelCalls >= this.stopAfter) throw this.stop;
          return this.refill;
        },
        [STACK_IMPORT]: (): never => {
          this.stackCalls++;
          throw new StackStop('stack budget exceeded');
        },
      },
    };
  }
}

export type Exports = Record<string, (...args: unknown[]) => unknown>;

/** Instantiates `bytes` with `imports` (plus hooks when given) and returns its exports. */
export async function instantiate(bytes: Uint8Array, imports: WebAssembly.Imports = {}, hooks?: LimitHooks): Promise<Exports> {
  const all = hooks ? { ...imports, ...hooks.imports } : imports;
  const { instance } = await WebAssembly.instantiate(bytes, all);
  return instance.exports as unknown as Exports;
}
