// auth: an API key check for /api and /v1, as SMG's wasm-guest-auth example, with the key taken
// from the module's config (`{"api_key": "..."}`) instead of a constant.
//   - path starting with /api or /v1 (case-sensitive prefix; /v1beta matches too):
//       key := the first `authorization` header without its `Bearer ` or `ApiKey ` prefix; if that
//       header is absent or has neither prefix, the `x-api-key` header;
//       no key, or a key other than config api_key -> reject(401)
//   - anything else, or the right key -> continue.  Responses: continue.
// With no api_key configured (or an empty one), every protected request is rejected.
import { Action, Request, continue_, reject, serve } from '@wasmgate/sdk-assemblyscript/assembly/smg';
import { config } from '@wasmgate/sdk-assemblyscript/assembly/config';
export * from '@wasmgate/sdk-assemblyscript/assembly/smg/exports';

let configuredKey: string | null = null;
let configRead = false;

/** config api_key, read once per instance (a module's config is fixed while it is registered). */
function expectedKey(): string | null {
  if (!configRead) {
    const key = config.get('api_key');
    configuredKey = key != null && key.length > 0 ? key : null;
    configRead = true;
  }
  return configuredKey;
}

function isProtected(path: string): bool {
  return path.startsWith('/api') || path.startsWith('/v1');
}

function presentedKey(req: Request): string | null {
  const authorization = req.header('authorization');
  if (authorization != null) {
    if (authorization.startsWith('Bearer ') || authorization.startsWith('ApiKey ')) return authorization.substring(7);
  }
  return req.header('x-api-key');
}

/** Compares without stopping at the first difference, so the time taken does not reveal a prefix. */
function sameKey(given: string, expected: string): bool {
  if (given.length != expected.length) return false;
  let diff: u32 = 0;
  for (let i = 0; i < given.length; i++) diff |= <u32>given.charCodeAt(i) ^ <u32>expected.charCodeAt(i);
  return diff == 0;
}

function onRequest(req: Request): Action {
  if (!isProtected(req.path)) return continue_();
  const expected = expectedKey();
  const given = presentedKey(req);
  if (expected == null || given == null || !sameKey(given, expected)) return reject(401);
  return continue_();
}

// Wires the handlers to the exports. Keep it last: it runs when the module starts, after the
// module-level variables above are initialised.
serve(onRequest);
