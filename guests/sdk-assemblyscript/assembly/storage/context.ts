// `list<context-entry>` of smg:storage: request-scoped key/value pairs (e.g. tenant_id), as a
// Context with exact-key lookups.
import { takePairFirst, takePairSecond } from '../canonical/lift';
import { freeArgument } from '../canonical/memory';

export class ContextEntry {
  constructor(public key: string, public value: string) {}
}

export class Context {
  constructor(readonly entries: ContextEntry[]) {}

  get size(): i32 {
    return this.entries.length;
  }

  /** The value of the first entry whose key is exactly `key`, or null. */
  get(key: string): string | null {
    const entries = this.entries;
    for (let i = 0, n = entries.length; i < n; i++) {
      const e = unchecked(entries[i]);
      if (e.key == key) return e.value;
    }
    return null;
  }

  has(key: string): bool {
    return this.get(key) != null;
  }
}

/** Lifts a list<context-entry> argument (16-byte records) and frees its buffers. */
export function takeContext(ptr: usize, count: usize): Context {
  const n = <i32>count;
  const entries = new Array<ContextEntry>(n);
  for (let i = 0; i < n; i++) unchecked((entries[i] = new ContextEntry(takePairFirst(ptr, i), takePairSecond(ptr, i))));
  freeArgument(ptr);
  return new Context(entries);
}
