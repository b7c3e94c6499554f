// componentize-js twin of guests/examples/auth (AssemblyScript), for the SDK benchmark: the same
// API key check for /api and /v1. The key is a constant here (the AS example reads it once per
// instance from config; per call the two do the same work).
const EXPECTED = 'secret-api-key-12345';

function header(req, name) {
  for (const h of req.headers) if (h.name.toLowerCase() === name) return h.value;
  return undefined;
}

function presentedKey(req) {
  const authorization = header(req, 'authorization');
  if (authorization !== undefined && (authorization.startsWith('Bearer ') || authorization.startsWith('ApiKey '))) {
    return authorization.slice(7);
  }
  return header(req, 'x-api-key');
}

export const middlewareOnRequest = {
  onRequest(req) {
    if (!(req.path.startsWith('/api') || req.path.startsWith('/v1'))) return { tag: 'continue' };
    return presentedKey(req) === EXPECTED ? { tag: 'continue' } : { tag: 'reject', val: 401 };
  },
};

export const middlewareOnResponse = {
  onResponse() {
    return { tag: 'continue' };
  },
};
