// Content-Type checks for the admin API. JSON as axum's `Json` extractor accepts it:
// `application/json` or any `application/*+json`, parameters allowed, case-insensitive.

function mediaType(value: string | undefined): { type: string; subtype: string } | undefined {
  if (value === undefined) return undefined;
  const essence = value.split(';', 1)[0]!.trim().toLowerCase();
  const m = /^([a-z0-9!#$&^_.+-]+)\/([a-z0-9!#$&^_.+-]+)$/.exec(essence);
  return m ? { type: m[1]!, subtype: m[2]! } : undefined;
}

export function isJsonContentType(value: string | undefined): boolean {
  const m = mediaType(value);
  return m !== undefined && m.type === 'application' && (m.subtype === 'json' || m.subtype.endsWith('+json'));
}

export function isWasmContentType(value: string | undefined): boolean {
  const m = mediaType(value);
  return m !== undefined && m.type === 'application' && m.subtype === 'wasm';
}
