// Header values as lists (the proxy's `HashMap<String, Vec<String>>`) and the joined map the ABI
// defines: each list becomes one value, its items joined with ", " (as upstream does).
import type { HeaderListGuest, SentinelGuest, SentinelHeaderLists } from './types.js';

/** The headers with every list joined with ", "; values that are not lists are kept as they are. */
export function joinHeaderLists(headers: SentinelHeaderLists): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    if (!Object.hasOwn(headers, name)) continue;
    const value = headers[name];
    // (Array.isArray does not narrow a readonly array type.)
    const joined = Array.isArray(value) ? (value as readonly string[]).join(', ') : (value as string);
    // A header literally named "__proto__" must stay an ordinary key; defineProperty for every key
    // would also do, but turns the object into a slow dictionary that every later reader pays for.
    if (name === '__proto__') Object.defineProperty(out, name, { value: joined, enumerable: true, writable: true, configurable: true });
    else out[name] = joined;
  }
  return out;
}

/** Whether `guest` takes header value lists as they are (see HeaderListGuest). */
export function acceptsHeaderLists(guest: SentinelGuest): guest is HeaderListGuest {
  return guest.acceptsHeaderLists === true;
}
