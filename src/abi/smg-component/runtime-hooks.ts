// The runtime's CoreModuleHooks for one component instance: every core module is instrumented and
// compiled by the shared CoreCompiler (cached by sha256 and limits), and gets this instance's
// CallBudget as its `__wasmgate` imports, so deadlines, stack and memory caps hold inside components.
import { CallBudget, LIMITS_IMPORT_MODULE, type CoreCompiler, type GuestLimits } from '../../runtime/index.js';
import type { CoreModuleHooks } from './core-module-hooks.js';

export interface InstanceHooks {
  readonly hooks: CoreModuleHooks;
  readonly budget: CallBudget;
}

export function createRuntimeHooks(limits: GuestLimits, compiler: CoreCompiler): InstanceHooks {
  const budget = new CallBudget(limits.maxStackSize);
  const hooks: CoreModuleHooks = {
    compileCore: async (bytes, sha256) => {
      const { module } = await compiler.compile(bytes, limits, sha256);
      // Compiling (seconds for a big component, once) is not guest time: the instantiation
      // deadline starts when the last core module is ready.
      budget.begin(limits.maxExecutionTimeMs);
      return module;
    },
    coreImports: () => ({ [LIMITS_IMPORT_MODULE]: budget.imports }),
    maxMemoryPages: limits.maxMemoryPages,
  };
  return { hooks, budget };
}

/** Runs `call` on an instance under its deadline; `startedAt` saves a clock read. */
export function withinBudget<R>(budget: CallBudget, timeoutMs: number, call: () => R, startedAt?: number): R {
  budget.begin(timeoutMs, startedAt);
  try {
    return call();
  } finally {
    budget.end();
  }
}
