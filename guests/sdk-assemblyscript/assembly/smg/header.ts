// `header { name: string, value: string }` of smg:gateway, and lookups over a header list. The
// host sends names in lower case, one entry per value (a repeated header is several entries).
import { equalsIgnoreAsciiCase } from '../sentinel/header-map';
import { takePairFirst, takePairSecond } from '../canonical/lift';
import { freeArgument } from '../canonical/memory';

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

/** Lifts a list<header> argument (16-byte records) and frees its buffers. */
export function takeHeaders(ptr: usize, count: usize): Header[] {
  const n = <i32>count;
  const out = new Array<Header>(n);
  for (let i = 0; i < n; i++) unchecked((out[i] = new Header(takePairFirst(ptr, i), takePairSecond(ptr, i))));
  freeArgument(ptr);
  return out;
}
