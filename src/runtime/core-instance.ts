// One live instance of a compiled core module, with its own call budget, and the one way to call
// into it: `callGuest` arms the deadline, runs the call, and turns whatever it threw into a
// GuestFault so the pool above can replace the instance.
import { WasmgateError, describeError } from '../errors.js';
import { CallBudget } from './call-budget.js';
import { toGuestFault } from './guest-fault.js';
import { coreHostImports, type GuestLog } from './host-imports.js';
import { LIMITS_IMPORT_MODULE } from './instrument/index.js';
import { MEMORY_FAULT_FRACTION, WASM_PAGE_SIZE, type GuestLimits } from './limits.js';

export interface CoreInstance {
  readonly exports: WebAssembly.Exports;
  readonly memory: WebAssembly.Memory;
  readonly budget: CallBudget;
  readonly limits: GuestLimits;
}

/** Instantiates `module` under `limits`; a start function that loops or traps fails here, in time. */
export async function instantiateCore(module: WebAssembly.Module, limits: GuestLimits, log: GuestLog): Promise<CoreInstance> {
  const budget = new CallBudget(limits.maxStackSize);
  const ref: { memory?: WebAssembly.Memory } = {};
  const imports = { ...coreHostImports(ref, log), [LIMITS_IMPORT_MODULE]: budget.imports };
  let instance: WebAssembly.Instance;
  budget.begin(limits.maxExecutionTimeMs);
  try {
    instance = await WebAssembly.instantiate(module, imports);
  } catch (err) {
    if (err instanceof WebAssembly.LinkError || err instanceof WebAssembly.CompileError) {
      throw new WasmgateError('WG_ERR_MODULE_INSTANTIATE', `module failed to instantiate: ${describeError(err)}`, { cause: err });
    }
    throw toGuestFault(err, { what: 'instantiation (start function)' });
  } finally {
    budget.end();
  }
  const memory = instance.exports.memory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new WasmgateError('WG_ERR_MODULE_MISSING_EXPORT', 'module must export its linear memory as "memory"');
  }
  ref.memory = memory;
  return { exports: instance.exports, memory, budget, limits };
}

/** Runs one call into `instance` under its execution deadline. */
export function callGuest<R>(instance: CoreInstance, what: string, call: () => R, startedAt?: number): R {
  instance.budget.begin(instance.limits.maxExecutionTimeMs, startedAt);
  try {
    return call();
  } catch (err) {
    const memoryAtCap = instance.memory.buffer.byteLength >= instance.limits.maxMemoryPages * WASM_PAGE_SIZE * MEMORY_FAULT_FRACTION;
    throw toGuestFault(err, { what, memoryAtCap });
  } finally {
    instance.budget.end();
  }
}
