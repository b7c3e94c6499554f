// The runtime's CoreModuleHooks for one component instance: every core module is instrumented and
// compiled by the shared CoreCompiler (cached by sha256 and limits), and gets this instance's
// CallBudget as its `__wasmgate` imports, so deadlines, stack and memory caps hold inside components.
import {
  CallBudget,
  CoreCompiler,
  DEFAULT_POOL_SIZE,
  LIMITS_IMPORT_MODULE,
  PooledGuest,
  type GuestLimits,
  type InstanceLimiter,
} from '../../runtime/index.js';
import type { ComponentLog } from './component/component-log.js';
import type { GuestConfig } from './wasi/guest-config.js';
import type { CoreModuleHooks } from './core-module-hooks.js';

export interface InstanceHooks {
  readonly hooks: CoreModuleHooks;
  readonly budget: CallBudget;
}

export function createRuntimeHooks(limits: GuestLimits, compiler: CoreCompiler): InstanceHooks {
  const budget = new CallBudget(limits.maxStackSize);
  const hooks: CoreModuleHooks = {
    compileCore: async (bytes, sha256) => (await compiler.compile(bytes, limits, sha256)).module,
    coreImports: () => ({ [LIMITS_IMPORT_MODULE]: budget.imports }),
    // Compiling (seconds for a big component, once) is not guest time: each core module's start
    // code gets the whole deadline from the moment it starts.
    beforeInstantiate: () => budget.begin(limits.maxExecutionTimeMs),
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

/** One pooled component instance: the ABI's handle and the runtime state it runs under. */
export interface PooledInstance<H> {
  readonly handle: H;
  readonly runtime: InstanceHooks;
}

/** How a component module's pool may be set up, beyond its limits (both component ABIs take these). */
export interface ComponentPoolSettings {
  poolSize?: number;
  /** The descriptor's `config`, readable by the guest through wasmgate:guest/config. */
  config?: GuestConfig;
  compiler?: CoreCompiler;
  limiter?: InstanceLimiter;
  acquireTimeoutMs?: number;
  onInstanceEvent?(event: 'replaced' | 'replace-failed', err: unknown): void;
}

export interface ComponentPoolOptions<H> extends ComponentPoolSettings {
  name: string;
  limits: GuestLimits;
  /** Instantiates one component instance with the runtime's hooks and the module's config. */
  instantiate(hooks: CoreModuleHooks, config: GuestConfig): Promise<H>;
}

/** The load options of a component module (SmgMiddlewareModule, StorageHook). */
export interface ComponentModuleOptions extends ComponentPoolSettings {
  limits?: Partial<GuestLimits>;
  /** Where transpiled components are cached on disk (default: in memory only). */
  cacheDir?: string;
  log?: ComponentLog;
}

const sharedCompiler = new CoreCompiler();

/**
 * The pool every component ABI runs on: each instance gets its own call budget, its instantiation
 * runs under the execution deadline, and instances nearing the memory cap are recycled.
 */
export function createComponentPool<H extends { readonly memoryBytes: number }>(options: ComponentPoolOptions<H>): Promise<PooledGuest<PooledInstance<H>>> {
  const { limits } = options;
  const compiler = options.compiler ?? sharedCompiler;
  const config = options.config ?? {};
  return PooledGuest.create<PooledInstance<H>>({
    name: options.name,
    poolSize: options.poolSize ?? DEFAULT_POOL_SIZE,
    limiter: options.limiter,
    acquireTimeoutMs: options.acquireTimeoutMs,
    onInstanceEvent: options.onInstanceEvent,
    memoryBytes: (inst) => inst.handle.memoryBytes,
    maxMemoryPages: limits.maxMemoryPages,
    create: async () => {
      const runtime = createRuntimeHooks(limits, compiler);
      runtime.budget.begin(limits.maxExecutionTimeMs);
      try {
        return { handle: await options.instantiate(runtime.hooks, config), runtime };
      } finally {
        runtime.budget.end();
      }
    },
  });
}
