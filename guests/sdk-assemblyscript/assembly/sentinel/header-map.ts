// An ordered header map: names keep their spelling and insertion order (the JSON the guest writes
// lists them in that order), and lookups ignore ASCII case, as HTTP header names do.
import { equalsIgnoreAsciiCase } from './header-lookup';

export { equalsIgnoreAsciiCase };

export class HeaderMap {
  // `new Array` reserves room for 8 entries at once; `[]` would allocate an empty buffer and
  // replace it on the first push.
  readonly names: string[] = new Array<string>();
  readonly values: string[] = new Array<string>();

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
