// Maps a guest's result to the AgentResponse the proxy applies, exactly as upstream
// sentinel-agent-wasm's `build_response` does, except that header maps keep the module's key
// order (upstream iterates a HashMap, so its order is random) and a redirect also carries the
// Location in `block.headers` (which the proxy ignores; the response-header `set` is what counts).
import { WasmgateError } from '../errors.js';
import { allowResponse, blockResponse, type AgentResponse, type HeaderOp, type ProtocolVersion } from './agent-response.js';

/** Defaults upstream applies when the module omits `status`. */
export const DEFAULT_BLOCK_STATUS = 403;
export const DEFAULT_REDIRECT_STATUS = 302;

interface GuestResultFields {
  decision: string;
  status: number | undefined;
  body: string | undefined;
  add_request_headers: Array<[string, string]>;
  remove_request_headers: string[];
  add_response_headers: Array<[string, string]>;
  remove_response_headers: string[];
  tags: string[] | undefined;
}

function badOutput(detail: string): WasmgateError {
  return new WasmgateError('WG_ERR_GUEST_BAD_OUTPUT', `guest returned an invalid result: ${detail}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Option<T> in upstream's serde struct: absent and null both mean None. */
function optional<T>(value: unknown, field: string, check: (v: unknown) => v is T, expected: string): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (!check(value)) throw badOutput(`${field} must be ${expected}`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isU16 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535;
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isStringMap = (v: unknown): v is Record<string, string> => isRecord(v) && Object.values(v).every(isString);

/** Validates a guest result the way upstream's serde `WasmResult` would, keeping map key order. */
function readResult(result: unknown): GuestResultFields {
  if (!isRecord(result)) throw badOutput('not a JSON object');
  const decision = result['decision'];
  if (typeof decision !== 'string') throw badOutput('decision must be a string');
  const entries = (field: string): Array<[string, string]> => {
    const map = optional(result[field], field, isStringMap, 'an object of string values');
    return map === undefined ? [] : Object.entries(map);
  };
  return {
    decision,
    status: optional(result['status'], 'status', isU16, 'an integer in 0..65535'),
    body: optional(result['body'], 'body', isString, 'a string'),
    add_request_headers: entries('add_request_headers'),
    remove_request_headers: optional(result['remove_request_headers'], 'remove_request_headers', isStringList, 'a list of strings') ?? [],
    add_response_headers: entries('add_response_headers'),
    remove_response_headers:
      optional(result['remove_response_headers'], 'remove_response_headers', isStringList, 'a list of strings') ?? [],
    tags: optional(result['tags'], 'tags', isStringList, 'a list of strings'),
  };
}

function decide(fields: GuestResultFields, version: ProtocolVersion): AgentResponse {
  switch (fields.decision.toLowerCase()) {
    case 'block':
    case 'deny':
      return blockResponse(version, fields.status ?? DEFAULT_BLOCK_STATUS, fields.body ?? null);
    case 'redirect': {
      const url = fields.body;
      const out = blockResponse(version, fields.status ?? DEFAULT_REDIRECT_STATUS, null, {
        headers: url === undefined ? null : { Location: url },
      });
      if (url !== undefined) out.response_headers.push({ set: { name: 'Location', value: url } });
      return out;
    }
    default:
      return allowResponse(version);
  }
}

const setOp = ([name, value]: [string, string]): HeaderOp => ({ set: { name, value } });
const removeOp = (name: string): HeaderOp => ({ remove: { name } });

/**
 * Turns a guest result into a complete AgentResponse. Throws WG_ERR_GUEST_BAD_OUTPUT when the
 * result is not what upstream's serde would accept (the caller applies the fail policy).
 */
export function buildResponse(result: unknown, version: ProtocolVersion): AgentResponse {
  const fields = readResult(result);
  const out = decide(fields, version);
  out.request_headers.push(...fields.add_request_headers.map(setOp), ...fields.remove_request_headers.map(removeOp));
  out.response_headers.push(
    ...fields.add_response_headers.map(setOp),
    ...fields.remove_response_headers.map(removeOp),
  );
  if (fields.tags !== undefined) out.audit.tags = [...fields.tags];
  return out;
}
