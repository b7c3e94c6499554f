// Guest faults: the closed list of ways an untrusted guest call can fail. Each maps to one error
// code and one canonical message; the instance that faulted is thrown away and replaced, and the
// front door's fail-open/closed policy decides what the client sees.
import { WasmgateError, type ErrorCode } from '../errors.js';

export type GuestFaultKind = 'timeout' | 'memory' | 'stack' | 'trap' | 'bad-output' | 'missing-export';

const CODE_OF: Readonly<Record<GuestFaultKind, ErrorCode>> = {
  timeout: 'WG_ERR_GUEST_TIMEOUT',
  memory: 'WG_ERR_GUEST_MEMORY',
  stack: 'WG_ERR_GUEST_STACK',
  trap: 'WG_ERR_GUEST_TRAP',
  'bad-output': 'WG_ERR_GUEST_BAD_OUTPUT',
  'missing-export': 'WG_ERR_GUEST_MISSING_EXPORT',
};

export const GUEST_FAULT_KINDS = Object.keys(CODE_OF) as readonly GuestFaultKind[];

export class GuestFault extends WasmgateError {
  readonly kind: GuestFaultKind;

  constructor(kind: GuestFaultKind, detail: string, options: { cause?: unknown } = {}) {
    super(CODE_OF[kind], detail, options);
    this.name = 'GuestFault';
    this.kind = kind;
  }
}

export interface FaultContext {
  /** True when the guest's memory had reached its cap: a trap then most likely means out of memory. */
  memoryAtCap?: boolean;
  /** What was being called, for the message ("on_request_headers"). */
  what?: string;
}

/** Translates anything a guest call threw into a GuestFault (a GuestFault passes through unchanged). */
export function toGuestFault(err: unknown, context: FaultContext = {}): GuestFault {
  if (err instanceof GuestFault) return err;
  const where = context.what ? ` in ${context.what}` : '';
  if (err instanceof RangeError && /call stack size/i.test(err.message)) {
    return new GuestFault('stack', `guest overflowed the stack${where}: recursion too deep`, { cause: err });
  }
  if (err instanceof WebAssembly.RuntimeError) {
    if (context.memoryAtCap) {
      return new GuestFault('memory', `guest trapped${where} after reaching its memory limit: ${err.message}`, {
        cause: err,
      });
    }
    return new GuestFault('trap', `guest trapped${where}: ${err.message}`, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new GuestFault('trap', `guest call failed${where}: ${message}`, { cause: err });
}
