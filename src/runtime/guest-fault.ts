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
