// The UUID forms Rust's `Uuid::parse_str` accepts (any hex case): hyphenated, 32-hex simple,
// `{braced}` hyphenated and `urn:uuid:` hyphenated. Returns the lower-case hyphenated form.
const HYPHENATED = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i;
const SIMPLE = /^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/i;

export function parseUuid(text: string): string | undefined {
  let body = text;
  if (body.length === 45 && body.slice(0, 9).toLowerCase() === 'urn:uuid:') body = body.slice(9);
  else if (body.length === 38 && body.startsWith('{') && body.endsWith('}')) body = body.slice(1, -1);
  const m = (body.length === 36 ? HYPHENATED : body.length === 32 && body === text ? SIMPLE : undefined)?.exec(body);
  return m ? m.slice(1, 6).join('-').toLowerCase() : undefined;
}
