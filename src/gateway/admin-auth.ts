// Who may use the admin API (/wasm, /metrics): with --api-key, whoever sends
// `Authorization: Bearer <key>` (compared in constant time); without one, loopback clients only.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type AdminVerdict = 'allowed' | 'unauthorized' | 'forbidden';

export const FORBIDDEN_MESSAGE =
  'the admin API answers only loopback clients when no API key is set; start the gateway with --api-key <key> (or WASMGATE_API_KEY) and send Authorization: Bearer <key>';

/** 127.0.0.0/8, ::1 and IPv4-mapped 127.x (::ffff:127.x.x.x). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)) return true;
  return address === '::1' || address === '0:0:0:0:0:0:0:1';
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** True when `authorization` is `Bearer <key>` (scheme case-insensitive), in constant time. */
export function bearerMatches(authorization: string | undefined, key: string): boolean {
  const match = authorization === undefined ? null : /^bearer +(.*)$/i.exec(authorization);
  const presented = match ? match[1]!.trim() : '';
  // Compare digests so neither the length nor the content of the key leaks through timing.
  const equal = timingSafeEqual(digest(presented), digest(key));
  return match !== null && equal;
}

export function checkAdminAccess(req: IncomingMessage, apiKey: string | undefined): AdminVerdict {
  if (apiKey !== undefined) return bearerMatches(req.headers.authorization, apiKey) ? 'allowed' : 'unauthorized';
  return isLoopbackAddress(req.socket.remoteAddress) ? 'allowed' : 'forbidden';
}
