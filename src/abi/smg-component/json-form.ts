// JSON forms of the smg:gateway records, for `wasmgate run` (a request or response in a file, the
// action printed). Field names are snake_case. Bodies are UTF-8 text in `body`, or base64 in
// `body_base64` for binary; an action's replacement body is printed as `body_replace` when it is
// valid UTF-8 and as `body_replace_base64` otherwise.
//
//   request:  { "method": "GET", "path": "/v1/x", "query": "", "headers": [{"name","value"}] or
//               {"name": "value" | ["v1", "v2"]}, "body" | "body_base64", "request_id", "now_epoch_ms" }
//   response: { "status": 200, "headers": ..., "body" | "body_base64" }
//   action:   { "action": "continue" } | { "action": "reject", "status": 401 } |
//             { "action": "modify", "status"?: 503, "headers_set": [...], "headers_add": [...],
//               "headers_remove": [...], "body_replace" | "body_replace_base64"? }
import { randomUUID } from 'node:crypto';
import { WasmgateError } from '../../errors.js';
import type { SmgAction, SmgHeader, SmgRequest, SmgResponse } from './types.js';

type Json = Record<string, unknown>;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function invalid(detail: string): WasmgateError {
  return new WasmgateError('WG_ERR_CONFIG_INVALID', `invalid request JSON: ${detail}`);
}

function asObject(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${what} must be an object`);
  return value as Json;
}

function optionalString(obj: Json, key: string, fallback: string): string {
  const v = obj[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'string') throw invalid(`"${key}" must be a string`);
  return v;
}

function headersFromJson(value: unknown): SmgHeader[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    return value.map((h, i) => {
      const o = asObject(h, `headers[${i}]`);
      if (typeof o.name !== 'string' || typeof o.value !== 'string') throw invalid(`headers[${i}] needs string "name" and "value"`);
      return { name: o.name, value: o.value };
    });
  }
  return Object.entries(asObject(value, '"headers"')).flatMap(([name, v]) => {
    const values = Array.isArray(v) ? v : [v];
    return values.map((one) => {
      if (typeof one !== 'string') throw invalid(`header "${name}" values must be strings`);
      return { name, value: one };
    });
  });
}

function bodyFromJson(obj: Json): Uint8Array {
  if (obj.body !== undefined && obj.body_base64 !== undefined) throw invalid('give "body" or "body_base64", not both');
  if (typeof obj.body_base64 === 'string') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(obj.body_base64.replace(/\s+/g, ''))) throw invalid('"body_base64" is not base64');
    return new Uint8Array(Buffer.from(obj.body_base64, 'base64'));
  }
  if (obj.body_base64 !== undefined) throw invalid('"body_base64" must be a string');
  return new TextEncoder().encode(optionalString(obj, 'body', ''));
}

/** A request record from JSON; defaults: GET /, empty query/headers/body, a fresh request id, now. */
export function requestFromJson(value: unknown): SmgRequest {
  const obj = asObject(value, 'the request');
  const now = obj.now_epoch_ms ?? Date.now();
  if (typeof now !== 'number' || !Number.isSafeInteger(now) || now < 0) throw invalid('"now_epoch_ms" must be a non-negative integer');
  return {
    method: optionalString(obj, 'method', 'GET'),
    path: optionalString(obj, 'path', '/'),
    query: optionalString(obj, 'query', '').replace(/^\?/, ''),
    headers: headersFromJson(obj.headers),
    body: bodyFromJson(obj),
    requestId: optionalString(obj, 'request_id', `req-${randomUUID()}`),
    nowEpochMs: now,
  };
}

/** A response record from JSON; defaults: 200, no headers, empty body. */
export function responseFromJson(value: unknown): SmgResponse {
  const obj = asObject(value, 'the response');
  const status = obj.status ?? 200;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 0 || status > 65535) throw invalid('"status" must be an integer 0..65535');
  return { status, headers: headersFromJson(obj.headers), body: bodyFromJson(obj) };
}

function bodyToJson(body: Uint8Array): Json {
  try {
    return { body_replace: strictUtf8.decode(body) };
  } catch {
    return { body_replace_base64: Buffer.from(body).toString('base64') };
  }
}

export function actionToJson(action: SmgAction): Json {
  switch (action.tag) {
    case 'continue':
      return { action: 'continue' };
    case 'reject':
      return { action: 'reject', status: action.status };
    case 'modify': {
      const m = action.modify;
      return {
        action: 'modify',
        ...(m.status === undefined ? {} : { status: m.status }),
        headers_set: m.headersSet.map((h) => ({ name: h.name, value: h.value })),
        headers_add: m.headersAdd.map((h) => ({ name: h.name, value: h.value })),
        headers_remove: [...m.headersRemove],
        ...(m.bodyReplace === undefined ? {} : bodyToJson(m.bodyReplace)),
      };
    }
  }
}
