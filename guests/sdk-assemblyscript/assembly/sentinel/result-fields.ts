// The public header-change and tag fields of a Result (see result.ts), and how they are written.
import { HeaderMap } from './header-map';
import { writeByte, writeRaw, writeString } from './json-writer';

// The kinds of header change and tag in a Result, and the JSON key each is written under.
export const ADD_REQUEST = 0;
export const REMOVE_REQUEST = 1;
export const ADD_RESPONSE = 2;
export const REMOVE_RESPONSE = 3;
export const TAG = 4;
export const KEYS: StaticArray<string> = [
  ',"add_request_headers":',
  ',"remove_request_headers":',
  ',"add_response_headers":',
  ',"remove_response_headers":',
  ',"tags":',
];

/**
 * The public header-change and tag fields of a Result, created on the first access to any of them.
 * A kind whose bit is set in `kinds` lives here; the others are still in the Result's entries.
 */
export class ResultFields {
  kinds: u32 = 0;
  addRequestHeaders: HeaderMap | null = null;
  removeRequestHeaders: string[] | null = null;
  addResponseHeaders: HeaderMap | null = null;
  removeResponseHeaders: string[] | null = null;
  tags: string[] | null = null;

  // @ts-ignore: decorator
  @inline
  has(kind: i32): bool {
    return (this.kinds & (1 << kind)) != 0;
  }

  /** Writes the field of `kind`, if not null, under its key. */
  write(kind: i32): void {
    if (kind == ADD_REQUEST) writeHeaders(kind, this.addRequestHeaders);
    else if (kind == REMOVE_REQUEST) writeStrings(kind, this.removeRequestHeaders);
    else if (kind == ADD_RESPONSE) writeHeaders(kind, this.addResponseHeaders);
    else if (kind == REMOVE_RESPONSE) writeStrings(kind, this.removeResponseHeaders);
    else writeStrings(kind, this.tags);
  }
}

/** `list` with `value` appended; a new list if it is null. */
export function pushed(list: string[] | null, value: string): string[] {
  if (list == null) return [value];
  list.push(value);
  return list;
}

function writeHeaders(kind: i32, headers: HeaderMap | null): void {
  if (headers == null) return;
  writeRaw(unchecked(KEYS[kind]));
  writeByte(0x7b); // {
  const names = headers.names;
  const values = headers.values;
  for (let i = 0, n = names.length; i < n; i++) {
    if (i > 0) writeByte(0x2c); // ,
    writeString(unchecked(names[i]));
    writeByte(0x3a); // :
    writeString(unchecked(values[i]));
  }
  writeByte(0x7d); // }
}

function writeStrings(kind: i32, list: string[] | null): void {
  if (list == null) return;
  writeRaw(unchecked(KEYS[kind]));
  writeByte(0x5b); // [
  for (let i = 0, n = list.length; i < n; i++) {
    if (i > 0) writeByte(0x2c); // ,
    writeString(unchecked(list[i]));
  }
  writeByte(0x5d); // ]
}
