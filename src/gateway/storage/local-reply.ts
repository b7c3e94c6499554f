// Requests and replies of the routes the gateway answers itself (the history API), in the form the
// middleware chain works on: the request after OnRequest modules, the reply before OnResponse.
import { STATUS_CODES } from 'node:http';
import type { HeaderList, HeaderPair } from '../header-list.js';

export interface LocalRequest {
  readonly method: string;
  /** Raw path (percent-encoding kept), no query. */
  readonly path: string;
  /** Raw query without `?`. */
  readonly query: string;
  readonly headers: HeaderList;
  readonly body: Buffer;
}

export interface LocalReply {
  readonly status: number;
  readonly headers: HeaderPair[];
  readonly body: Buffer;
}

export type LocalHandler = (request: LocalRequest) => Promise<LocalReply>;

export function jsonReply(status: number, value: unknown, headers: HeaderPair[] = []): LocalReply {
  return { status, headers: [['content-type', 'application/json'], ...headers], body: Buffer.from(JSON.stringify(value), 'utf8') };
}

/** SMG's conversation handlers' error shape: `{"error": "<message>"}`. */
export function plainError(status: number, message: string): LocalReply {
  return jsonReply(status, { error: message });
}

/**
 * SMG's router error shape (responses routes): `{"error": {"type": <reason phrase>, "code",
 * "message", "param": null}}` with `X-SMG-Error-Code: <code>`.
 */
export function openAiError(status: number, code: string, message: string): LocalReply {
  return jsonReply(status, { error: { type: STATUS_CODES[status] ?? 'Unknown Status Code', code, message, param: null } }, [['x-smg-error-code', code]]);
}

export function methodNotAllowed(allow: string): LocalReply {
  return { status: 405, headers: [['allow', allow]], body: Buffer.alloc(0) };
}

/** The body as a JSON value; an empty body is `{}` (every history route's body is optional or an object). */
export function parseJsonBody(body: Buffer): { ok: true; value: unknown } | { ok: false; message: string } {
  const text = body.toString('utf8');
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, message: `Failed to parse the request body as JSON: ${(err as Error).message}` };
  }
}
