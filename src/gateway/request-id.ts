// The request id, as SMG derives it: the first configured header whose (first) value is visible
// ASCII, else generated with a prefix chosen by the path's suffix plus 24 random alphanumerics.
import { randomBytes } from 'node:crypto';
import { isVisibleAscii } from './header-list.js';

export const DEFAULT_REQUEST_ID_HEADERS: readonly string[] = Object.freeze(['x-request-id', 'x-correlation-id', 'x-trace-id', 'request-id']);

const PREFIXES: ReadonlyArray<readonly [suffix: string, prefix: string]> = [
  ['/chat/completions', 'chatcmpl-'],
  ['/completions', 'cmpl-'],
  ['/generate', 'gnt-'],
  ['/responses', 'resp-'],
  ['/messages', 'msg_'],
];

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const ID_LENGTH = 24;

/** Random bytes drawn 4 KiB at a time: one randomBytes() call per ~150 ids instead of per id. */
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolAt = 0;

function randomByte(): number {
  if (poolAt === POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolAt = 0;
  }
  return pool[poolAt++]!;
}

function randomAlphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    const byte = randomByte();
    if (byte >= 248) continue; // 248 = 4 × 62: keeps the distribution uniform
    out += ALPHANUMERIC[byte % 62];
  }
  return out;
}

export function generateRequestId(path: string): string {
  const prefix = PREFIXES.find(([suffix]) => path.endsWith(suffix))?.[1] ?? 'req-';
  return prefix + randomAlphanumeric(ID_LENGTH);
}

/** From node's rawHeaders; `names` lower-case, in priority order. Empty values are not used. */
export function requestIdFromHeaders(rawHeaders: readonly string[], names: readonly string[]): string | undefined {
  for (const name of names) {
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      if (rawHeaders[i]!.length !== name.length || rawHeaders[i]!.toLowerCase() !== name) continue;
      const value = rawHeaders[i + 1]!;
      if (value !== '' && isVisibleAscii(value)) return value;
      break; // SMG looks at the first value of each header only
    }
  }
  return undefined;
}

export function resolveRequestId(rawHeaders: readonly string[], path: string, names: readonly string[]): string {
  return requestIdFromHeaders(rawHeaders, names) ?? generateRequestId(path);
}
