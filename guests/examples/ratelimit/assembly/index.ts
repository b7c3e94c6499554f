// ratelimit: a sliding-window limit per client, as SMG's wasm-guest-ratelimit example, except
// that it actually limits: the state lives in the instance, which wasmgate keeps across requests
// (SMG creates a fresh instance per call, so its example never rejects).
//   identifier: `authorization` starting with `Bearer ` or `ApiKey ` -> api_key:<the rest>;
//     else `x-api-key` -> api_key:<value>; else the first entry of `x-forwarded-for`, trimmed, if
//     not empty -> ip:<ip>; else `x-real-ip` -> ip:<value>; else req_id:<request-id>
//   drop the identifier's timestamps <= now - window; if `limit` remain -> reject(429);
//     else record now (the request's now-epoch-ms) and continue.  Responses: continue.
// Defaults 60 requests per 60 000 ms; module config `limit` and `window_ms` override them.
import { Action, Request, continue_, reject, serve } from '@wasmgate/sdk-assemblyscript/assembly/smg';
import { config } from '@wasmgate/sdk-assemblyscript/assembly/config';
export * from '@wasmgate/sdk-assemblyscript/assembly/smg/exports';

const DEFAULT_LIMIT: i32 = 60;
const DEFAULT_WINDOW_MS: u64 = 60_000;
/** Every this many calls, identifiers with no request inside the window are forgotten. */
const SWEEP_EVERY: i32 = 1024;

let limit = DEFAULT_LIMIT;
let windowMs = DEFAULT_WINDOW_MS;
let configured = false;
let callsSinceSweep = 0;
const windows = new Map<string, u64[]>();

/** A whole number > 0 written in decimal digits, or -1. */
function positiveInteger(text: string | null): i64 {
  if (text == null || text.length == 0 || text.length > 15) return -1;
  let value: i64 = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    value = value * 10 + (c - 48);
  }
  return value > 0 ? value : -1;
}

/** Reads `limit` and `window_ms` from the module config once; a missing or invalid value keeps the default. */
function configure(): void {
  configured = true;
  const l = positiveInteger(config.get('limit'));
  if (l > 0 && l <= i32.MAX_VALUE) limit = <i32>l;
  const w = positiveInteger(config.get('window_ms'));
  if (w > 0) windowMs = <u64>w;
}

function identifier(req: Request): string {
  const authorization = req.header('authorization');
  if (authorization != null && (authorization.startsWith('Bearer ') || authorization.startsWith('ApiKey '))) {
    return 'api_key:' + authorization.substring(7);
  }
  const apiKey = req.header('x-api-key');
  if (apiKey != null) return 'api_key:' + apiKey;
  const forwarded = req.header('x-forwarded-for');
  if (forwarded != null) {
    const first = forwarded.split(',')[0].trim();
    if (first.length > 0) return 'ip:' + first;
  }
  const realIp = req.header('x-real-ip');
  if (realIp != null) return 'ip:' + realIp;
  return 'req_id:' + req.requestId;
}

/** The timestamps of `stamps` after `cutoff` (all of them when the window reaches back past 0). */
function recent(stamps: u64[], now: u64): u64[] {
  if (now < windowMs) return stamps;
  const cutoff = now - windowMs;
  const kept = new Array<u64>();
  for (let i = 0; i < stamps.length; i++) if (stamps[i] > cutoff) kept.push(stamps[i]);
  return kept;
}

function sweep(now: u64): void {
  const keys = windows.keys();
  for (let i = 0; i < keys.length; i++) {
    const kept = recent(windows.get(keys[i]), now);
    if (kept.length == 0) windows.delete(keys[i]);
    else windows.set(keys[i], kept);
  }
}

function onRequest(req: Request): Action {
  if (!configured) configure();
  const now = req.nowEpochMs;
  if (++callsSinceSweep >= SWEEP_EVERY) {
    callsSinceSweep = 0;
    sweep(now);
  }
  const id = identifier(req);
  const stamps = windows.has(id) ? recent(windows.get(id), now) : new Array<u64>();
  if (stamps.length >= limit) {
    windows.set(id, stamps);
    return reject(429);
  }
  stamps.push(now);
  windows.set(id, stamps);
  return continue_();
}

// Wires the handlers to the exports. Keep it last: it runs when the module starts, after the
// module-level variables above are initialised.
serve(onRequest);
