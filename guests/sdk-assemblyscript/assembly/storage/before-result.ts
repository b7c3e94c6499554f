// `variant before-result { do-continue(list<extra-column>), reject(string) }` of smg:storage.
//
// Layout (size 12, align 4), in the static return area:
//   0 u8 case: 0 do-continue, 1 reject;  4/8 ptr/len of the column list or of the reason
import { RETURN_AREA } from '../canonical/memory';
import { openResult, utf8Size, writeString } from '../canonical/lower';
import { ExtraColumn, columnsData, writeColumns } from './column';

export class BeforeResult {
  constructor(
    /** True for `reject`. */
    readonly rejected: bool,
    /** do-continue: the extra columns to store with the operation. */
    readonly columns: ExtraColumn[],
    /** reject: why (SMG reports it as `Storage error: <reason>`). */
    readonly reason: string,
  ) {}
}

/** `do-continue(columns)`: let the operation run, storing these extra columns with it. */
export function doContinue(columns: ExtraColumn[] = []): BeforeResult {
  return new BeforeResult(false, columns, '');
}

/** `reject(reason)`: abort the operation; after() is not called. */
export function rejectWith(reason: string): BeforeResult {
  return new BeforeResult(true, [], reason);
}

/** Lowers `result` into the return area (and one result block); returns the area. */
export function lowerBeforeResult(result: BeforeResult): usize {
  const ret = RETURN_AREA;
  memory.fill(ret, 0, 12);
  if (result.rejected) {
    store<u8>(ret, 1);
    openResult(0, utf8Size(result.reason));
    writeString(ret + 4, result.reason);
  } else {
    const columns = result.columns;
    openResult(<usize>columns.length << 4, columnsData(columns));
    writeColumns(ret + 4, columns);
  }
  return ret;
}

/** Lowers after()'s list<extra-column> result (8 bytes: ptr, len) into the return area. */
export function lowerColumnsResult(columns: ExtraColumn[]): usize {
  const ret = RETURN_AREA;
  openResult(<usize>columns.length << 4, columnsData(columns));
  writeColumns(ret, columns);
  return ret;
}
