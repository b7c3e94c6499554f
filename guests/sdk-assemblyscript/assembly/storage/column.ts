// `extra-column { name, value }` of smg:storage, and lowering a list of them. Values are strings;
// SMG passes them to the backend for the columns its schema declares (use upper-case names: the
// Oracle backend upper-cases declared names and looks hook names up case-sensitively).
import { takePairFirst, takePairSecond } from '../canonical/lift';
import { freeArgument } from '../canonical/memory';
import { utf8Size, writeListHeader, writeString } from '../canonical/lower';

export class ExtraColumn {
  constructor(public name: string, public value: string) {}
}

/** Shorthand for `new ExtraColumn(name, value)`. */
export function column(name: string, value: string): ExtraColumn {
  return new ExtraColumn(name, value);
}

/** Lifts a list<extra-column> argument and frees its buffers. */
export function takeColumns(ptr: usize, count: usize): ExtraColumn[] {
  const n = <i32>count;
  const out = new Array<ExtraColumn>(n);
  for (let i = 0; i < n; i++) unchecked((out[i] = new ExtraColumn(takePairFirst(ptr, i), takePairSecond(ptr, i))));
  freeArgument(ptr);
  return out;
}

/** String bytes `columns` need in a result block. */
export function columnsData(columns: ExtraColumn[]): usize {
  let size: usize = 0;
  for (let i = 0, n = columns.length; i < n; i++) {
    const c = unchecked(columns[i]);
    size += utf8Size(c.name) + utf8Size(c.value);
  }
  return size;
}

/** Writes `columns` as a list (16-byte elements) whose (ptr, len) goes at `at`. */
export function writeColumns(at: usize, columns: ExtraColumn[]): void {
  const n = columns.length;
  const base = writeListHeader(at, n, 16);
  for (let i = 0; i < n; i++) {
    const c = unchecked(columns[i]);
    const el = base + (<usize>i << 4);
    writeString(el, c.name);
    writeString(el + 8, c.value);
  }
}
