// The storage hook's context entries, from the request's headers per `--storage-context-headers
// header=key ...` (reference §4.5): each header looked up case-insensitively, first value only,
// which must be visible ASCII (space and tab allowed), trimmed; empty values are skipped.
// Entries come out in the mapping's order. No mapping: an empty list.
import type { ContextEntry } from '../../abi/index.js';
import { isVisibleAscii } from '../header-list.js';

/** header name (any case) → context key. */
export type ContextHeaderMap = Readonly<Record<string, string>>;

/** Looks up the first value of a header (name in lower case). */
export type FirstHeaderValue = (lowerCaseName: string) => string | undefined;

const TRIM = /^[ \t]+|[ \t]+$/g;

export function storageContext(mapping: ContextHeaderMap, firstValue: FirstHeaderValue): ContextEntry[] {
  const out: ContextEntry[] = [];
  for (const [header, key] of Object.entries(mapping)) {
    const value = firstValue(header.trim().toLowerCase());
    if (value === undefined || !isVisibleAscii(value)) continue;
    const trimmed = value.replace(TRIM, '');
    if (trimmed !== '') out.push({ key, value: trimmed });
  }
  return out;
}

/** First value of each header from a flat [name, value, ...] list (node rawHeaders, undici headers). */
export function firstValueFromFlat(flat: readonly string[]): FirstHeaderValue {
  return (name) => {
    for (let i = 0; i + 1 < flat.length; i += 2) if (flat[i]!.toLowerCase() === name) return flat[i + 1]!;
    return undefined;
  };
}
