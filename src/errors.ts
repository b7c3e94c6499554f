// The one error catalogue. Codes are the contract (tests assert `err.code`); messages may be reworded.
// A code never changes meaning and is never reused. Every code is documented in docs/errors.md
// (test/errors.test.ts checks both directions).

interface CodeSpec {
  readonly status: number;
  readonly message: string;
}

export const ERROR_CODES = {
  WG_ERR_CONFIG_INVALID: { status: 400, message: 'invalid configuration' },
  WG_ERR_MODULE_INVALID: { status: 400, message: 'not a valid WebAssembly module' },
  WG_ERR_MODULE_KIND_MISMATCH: { status: 400, message: 'wrong kind of WebAssembly binary (core module vs component)' },
  WG_ERR_MODULE_MISSING_EXPORT: { status: 400, message: 'module lacks a required export' },
  WG_ERR_MODULE_WRONG_WORLD: { status: 400, message: 'component does not implement the expected WIT world' },
  WG_ERR_MODULE_OVER_LIMIT: { status: 400, message: 'module declares more than its limits allow' },
  WG_ERR_MODULE_UNSUPPORTED: { status: 400, message: 'module uses a WebAssembly feature wasmgate cannot sandbox' },
  WG_ERR_MODULE_PATH_REJECTED: { status: 400, message: 'module file path rejected' },
  WG_ERR_MODULE_INSTANTIATE: { status: 500, message: 'module failed to instantiate' },
  WG_ERR_GUEST_TIMEOUT: { status: 500, message: 'guest exceeded max_execution_time_ms' },
  WG_ERR_GUEST_MEMORY: { status: 500, message: 'guest exceeded its memory limit' },
  WG_ERR_GUEST_STACK: { status: 500, message: 'guest exceeded max_stack_size' },
  WG_ERR_GUEST_TRAP: { status: 500, message: 'guest trapped' },
  WG_ERR_GUEST_BAD_OUTPUT: { status: 500, message: 'guest returned invalid output' },
  WG_ERR_GUEST_MISSING_EXPORT: { status: 500, message: 'guest does not export the function called' },
  WG_ERR_POOL_EXHAUSTED: { status: 503, message: 'no free guest instance within the wait limit' },
  WG_ERR_POOL_CLOSED: { status: 503, message: 'module is being unloaded' },
  WG_ERR_INSTANCE_LIMIT: { status: 503, message: 'process-wide live instance limit reached' },
  WG_ERR_REGISTRY_DUPLICATE: { status: 400, message: 'a module with the same sha256 is already registered' },
  WG_ERR_REGISTRY_NOT_FOUND: { status: 400, message: 'module not found' },
  WG_ERR_REGISTRY_AMBIGUOUS_NAME: { status: 409, message: 'several modules share the name' },
  WG_ERR_REGISTRY_STORE: { status: 500, message: 'module store failed' },
  WG_ERR_UPSTREAM_UNREACHABLE: { status: 502, message: 'upstream unreachable' },
  WG_ERR_UPSTREAM_TIMEOUT: { status: 504, message: 'upstream timed out' },
  WG_ERR_BODY_TOO_LARGE: { status: 413, message: 'body exceeds max_body_size' },
  WG_ERR_ADMIN_UNAUTHORIZED: { status: 401, message: 'missing or wrong API key' },
  WG_ERR_ADMIN_FORBIDDEN: { status: 403, message: 'admin API is only open to loopback clients when no API key is set' },
  WG_ERR_SENTINEL_FRAME: { status: 400, message: 'malformed agent protocol frame' },
  WG_ERR_SENTINEL_EVENT: { status: 400, message: 'malformed or unknown agent event' },
  WG_ERR_INTERNAL_BUG: { status: 500, message: 'internal error (a wasmgate bug)' },
} as const satisfies Record<string, CodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface WasmgateErrorOptions {
  cause?: unknown;
  statusCode?: number;
}

export class WasmgateError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;

  constructor(code: ErrorCode, detail?: string, options: WasmgateErrorOptions = {}) {
    super(detail ?? ERROR_CODES[code].message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WasmgateError';
    this.code = code;
    this.statusCode = options.statusCode ?? ERROR_CODES[code].status;
  }

  /** True when `err` is a WasmgateError, optionally of the given code. */
  static is(err: unknown, code?: ErrorCode): err is WasmgateError {
    return err instanceof WasmgateError && (code === undefined || err.code === code);
  }
}

/** Human-readable text of any thrown value, for logs and error payloads. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
