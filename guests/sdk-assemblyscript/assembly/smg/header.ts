// `header { name: string, value: string }` of smg:gateway, and lookups over a header list. The
// host sends names in lower case, one entry per value (a repeated header is several entries).
import { equalsIgnoreAsciiCase } from '../sentinel/header-map';

export class Header {
  constructor(public name: string, public value: string) {}
}

/** The value of the first header named `name` (ASCII case ignored), or null. */
export function findHeader(headers: Header[], name: string): string | null {
  for (let i = 0, n = headers.length; i < n; i++) {
    const h = unchecked(headers[i]);
    if (equalsIgnoreAsciiCase(h.name, name)) return h.value;
  }
  return null;
}

/** Every value of headers named `name` (ASCII case ignored), in order. */
export function findHeaders(headers: Header[], name: string): string[] {
  const out = new Array<string>();
  for (let i = 0, n = headers.length; i < n; i++) {
    const h = unchecked(headers[i]);
    if (equalsIgnoreAsciiCase(h.name, name)) out.push(h.value);
  }
  return out;
}
