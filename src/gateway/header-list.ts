// An ordered list of (lower-case name, value) pairs: one entry per value, duplicates kept, which is
// how SMG hands headers to guests and how guests' edits are applied (set → add → remove).
import type { SmgHeader, SmgModifyAction } from '../registry/index.js';

export type HeaderPair = [name: string, value: string];

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** RFC 9110 token: what a header name may be. */
export function isValidHeaderName(name: string): boolean {
  return TOKEN.test(name);
}

/** Visible ASCII, space and tab only: what guests are shown and what we accept back from them. */
export function isVisibleAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c > 0x7e) return false;
  }
  return true;
}

export type HeaderEditProblem = (what: string, name: string, value?: string) => void;

export class HeaderList {
  readonly pairs: HeaderPair[];

  constructor(pairs: HeaderPair[] = []) {
    this.pairs = pairs;
  }

  /** From node's `rawHeaders` ([name, value, name, value, ...]). */
  static fromRaw(raw: readonly string[]): HeaderList {
    const pairs: HeaderPair[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
    return new HeaderList(pairs);
  }

  /** From undici's response headers (lower-case keys, arrays for repeated headers). */
  static fromRecord(headers: Readonly<Record<string, string | string[] | undefined>>): HeaderList {
    const pairs: HeaderPair[] = [];
    for (const name in headers) {
      const value = headers[name];
      if (value === undefined || !Object.hasOwn(headers, name)) continue;
      const lower = name.toLowerCase();
      if (Array.isArray(value)) for (const v of value) pairs.push([lower, v]);
      else pairs.push([lower, value]);
    }
    return new HeaderList(pairs);
  }

  get(name: string): string | undefined {
    for (const [n, v] of this.pairs) if (n === name) return v;
    return undefined;
  }

  getAll(name: string): string[] {
    const out: string[] = [];
    for (const [n, v] of this.pairs) if (n === name) out.push(v);
    return out;
  }

  has(name: string): boolean {
    return this.pairs.some(([n]) => n === name);
  }

  /** Replaces every value of `name` with one value (in place of the first, else appended), in one pass. */
  set(name: string, value: string): void {
    const pairs = this.pairs;
    let w = 0;
    let at = -1;
    for (const pair of pairs) {
      if (pair[0] !== name) pairs[w++] = pair;
      else if (at < 0) pairs[(at = w++)] = [name, value];
    }
    if (w !== pairs.length) pairs.length = w;
    if (at < 0) pairs.push([name, value]);
  }

  add(name: string, value: string): void {
    this.pairs.push([name, value]);
  }

  remove(name: string): void {
    this.removeWhere((n) => n === name);
  }

  removeWhere(drop: (name: string) => boolean): void {
    let w = 0;
    for (const pair of this.pairs) if (!drop(pair[0])) this.pairs[w++] = pair;
    // Setting an array's length costs a runtime call even when it does not change.
    if (w !== this.pairs.length) this.pairs.length = w;
  }

  /** What a guest sees: values outside visible ASCII are left out (as SMG). */
  toGuest(): SmgHeader[] {
    const out: SmgHeader[] = [];
    for (const [name, value] of this.pairs) if (isVisibleAscii(value)) out.push({ name, value });
    return out;
  }

  /** [name, value, name, value, ...] for writeHead and undici. */
  toFlat(): string[] {
    const out: string[] = new Array(this.pairs.length * 2);
    let i = 0;
    for (const [name, value] of this.pairs) {
      out[i++] = name;
      out[i++] = value;
    }
    return out;
  }

  /**
   * Applies a guest's header edits: headers-set, then headers-add, then headers-remove. Names are
   * lower-cased; an invalid name or value is skipped and reported; names in `frozen` are not
   * touched (reported too).
   */
  applyEdits(modify: SmgModifyAction, problem: HeaderEditProblem, frozen?: ReadonlySet<string>): void {
    const usable = (what: string, header: SmgHeader): string | undefined => {
      const name = header.name.toLowerCase();
      if (!isValidHeaderName(name)) return problem(`${what}: invalid header name`, header.name, header.value), undefined;
      if (!isVisibleAscii(header.value)) return problem(`${what}: invalid header value`, header.name, header.value), undefined;
      if (frozen?.has(name)) return problem(`${what}: header not changeable here`, header.name, header.value), undefined;
      return name;
    };
    for (const header of modify.headersSet) {
      const name = usable('headers-set', header);
      if (name !== undefined) this.set(name, header.value);
    }
    for (const header of modify.headersAdd) {
      const name = usable('headers-add', header);
      if (name !== undefined) this.add(name, header.value);
    }
    for (const raw of modify.headersRemove) {
      const name = raw.toLowerCase();
      if (!isValidHeaderName(name)) problem('headers-remove: invalid header name', raw);
      else if (frozen?.has(name)) problem('headers-remove: header not changeable here', raw);
      else this.remove(name);
    }
  }
}
