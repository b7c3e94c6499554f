// An ordered header map: names keep their spelling and insertion order (the JSON the guest writes
// lists them in that order), and lookups ignore ASCII case, as HTTP header names do.
import { JsonReader } from './json-reader';

export class HeaderMap {
  readonly names: string[] = [];
  readonly values: string[] = [];

  get size(): i32 {
    return this.names.length;
  }

  /** The value of the first header whose name matches, ignoring ASCII case; null if none. */
  get(name: string): string | null {
    const i = this.indexOf(name);
    return i < 0 ? null : unchecked(this.values[i]);
  }

  has(name: string): bool {
    return this.indexOf(name) >= 0;
  }

  /** Sets a header: replaces the value of an existing name (any case), else appends. */
  set(name: string, value: string): void {
    const i = this.indexOf(name);
    if (i < 0) this.append(name, value);
    else unchecked((this.values[i] = value));
  }

  /** Appends without looking for an existing name (the reader uses this: input order is kept). */
  append(name: string, value: string): void {
    this.names.push(name);
    this.values.push(value);
  }

  indexOf(name: string): i32 {
    const names = this.names;
    for (let i = 0, n = names.length; i < n; i++) {
      if (equalsIgnoreAsciiCase(unchecked(names[i]), name)) return i;
    }
    return -1;
  }
}

/** Compares two strings, folding A-Z to a-z; other characters must match exactly. */
export function equalsIgnoreAsciiCase(a: string, b: string): bool {
  const n = a.length;
  if (n != b.length) return false;
  const pa = changetype<usize>(a);
  const pb = changetype<usize>(b);
  for (let i: usize = 0, bytes = <usize>n << 1; i < bytes; i += 2) {
    const x = <u32>load<u16>(pa + i);
    const y = <u32>load<u16>(pb + i);
    if (x != y && asciiLower(x) != asciiLower(y)) return false;
  }
  return true;
}

// @ts-ignore: decorator
@inline
function asciiLower(c: u32): u32 {
  return c - 0x41 < 26 ? c | 0x20 : c;
}

/**
 * Reads a JSON object of header name to value into `into`, in input order. A value that is an
 * array of strings is joined with ", " (the agent's flattening of repeated headers); a value of
 * any other type is skipped.
 */
export function readHeaders(reader: JsonReader, into: HeaderMap): void {
  if (!reader.isObject()) {
    reader.skipValue();
    return;
  }
  let more = reader.beginObject();
  while (more) {
    const name = reader.key();
    if (reader.isString()) into.append(name, reader.string());
    else if (reader.isArray()) into.append(name, joinedStrings(reader));
    else reader.skipValue();
    more = reader.nextMember();
  }
}

function joinedStrings(reader: JsonReader): string {
  const parts: string[] = [];
  let more = reader.beginArray();
  while (more) {
    if (reader.isString()) parts.push(reader.string());
    else reader.skipValue();
    more = reader.nextElement();
  }
  return parts.join(', ');
}
