// Translates what undici throws into WG_ERR_UPSTREAM_UNREACHABLE (502) or _TIMEOUT (504), and says
// whether the worker should be cooled down (it failed to connect) so the request can go elsewhere.
import { WasmgateError } from '../errors.js';
import type { UpstreamErrorKind } from './gateway-metrics.js';

const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export interface UpstreamFailure {
  readonly kind: UpstreamErrorKind;
  readonly error: WasmgateError;
}

function codeOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; errors?: Array<{ code?: unknown }> } | undefined;
  if (typeof e?.code === 'string') return e.code;
  const inner = e?.errors?.find((x) => typeof x?.code === 'string')?.code;
  return typeof inner === 'string' ? inner : undefined;
}

export function classifyUpstreamError(err: unknown, origin: string, timeoutMs: number): UpstreamFailure {
  const code = codeOf(err);
  if (code !== undefined && TIMEOUTS.has(code)) {
    return {
      kind: 'timeout',
      error: new WasmgateError('WG_ERR_UPSTREAM_TIMEOUT', `upstream ${origin} did not answer within ${timeoutMs} ms`, { cause: err }),
    };
  }
  const reason = code ?? (err instanceof Error ? err.message : String(err));
  return {
    kind: code !== undefined && CONNECT_FAILURES.has(code) ? 'unreachable' : 'reset',
    error: new WasmgateError('WG_ERR_UPSTREAM_UNREACHABLE', `upstream ${origin} unreachable: ${reason}`, { cause: err }),
  };
}
