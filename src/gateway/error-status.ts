// The one place that maps an error to an HTTP status and a JSON error body for clients.
import { WasmgateError, describeError } from '../errors.js';

export interface ErrorPayload {
  error: { code: string; message: string };
}

export function errorStatus(err: unknown): number {
  if (WasmgateError.is(err)) return err.statusCode;
  return 500;
}

export function errorCode(err: unknown): string {
  return WasmgateError.is(err) ? err.code : 'WG_ERR_INTERNAL_BUG';
}

export function errorPayload(err: unknown, message = describeError(err)): ErrorPayload {
  return { error: { code: errorCode(err), message } };
}
