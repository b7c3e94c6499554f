// The contract between the registry and whatever turns component bytes into a callable
// smg:gateway guest. The real loader (abi/smg-component) is injected by the composition root;
// tests inject a JS fake, so the gateway is testable on its own.
import type { SmgMiddlewareGuest } from '../abi/index.js';

export type { SmgAction, SmgHeader, SmgMiddlewareGuest, SmgModifyAction, SmgRequest, SmgResponse } from '../abi/index.js';
import type { GuestLimits } from '../runtime/index.js';

export interface LoadSpec {
  /** Module name, for messages and logs. */
  readonly name: string;
  readonly limits: GuestLimits;
  /** Instances kept warm (and so the most calls running at once). */
  readonly poolSize: number;
  /** The descriptor's `config` object, given to the guest as the loader sees fit. */
  readonly config: Readonly<Record<string, unknown>>;
}

export interface LoadedModuleMetrics {
  calls: number;
  failures: number;
  totalUs: number;
  maxUs: number;
}

export interface LoadedModule extends SmgMiddlewareGuest {
  readonly sha256: string;
  /** The loader's own view of the guest (guest time only, no queueing). */
  metrics(): LoadedModuleMetrics;
  /**
   * Whether a call made now runs the guest to completion before it returns (on this thread, an
   * instance free). The gateway then times the synchronous part of the call, which is the guest's
   * own time; otherwise it times until the result arrives. Absent means never.
   */
  runsNow?(): boolean;
  /** Waits for in-flight calls, then frees instances. Calls made after close() may fail. */
  close(): Promise<void>;
}

export interface ModuleLoader {
  /**
   * Validates and prepares a component; throws WasmgateError (WG_ERR_MODULE_INVALID,
   * _KIND_MISMATCH, _WRONG_WORLD, ...) with a message a module author can act on.
   */
  load(bytes: Uint8Array, spec: LoadSpec): Promise<LoadedModule>;
  /** Optional: starts what makes the first load fast (the component transpiler); called at server start. */
  prewarm?(): Promise<void>;
}
