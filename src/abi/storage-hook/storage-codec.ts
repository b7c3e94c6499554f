// Canonical ABI of the two smg:storage exports, written out for their fixed types.
//
// before(op, context, payload) flattens to 5 core params: the enum `operation` as its discriminant
// (17 cases), then list<context-entry> and string as ptr+len pairs. after(op, context, payload,
// result-json, extra) flattens to 9. Both results exceed MAX_FLAT_RESULTS = 1 and come back through
// a returned pointer:
//   before-result (align 4, size 12): 0 u8 case (0 do-continue, 1 reject), 4/8 ptr/len of
//     list<extra-column> or of the reason string
//   list<extra-column> (align 4, size 8): 0/4 ptr/len
// context-entry and extra-column are {string, string}: 16 bytes, align 4.
import { WasmgateError } from '../../errors.js';
import type { CoreEntry } from '../smg-component/component/instantiate-component.js';
import { CanonicalMemory, badOutput } from '../smg-component/canonical/canonical-memory.js';
import { STORAGE_OPERATIONS, type BeforeResult, type ContextEntry, type ExtraColumn, type StorageOperation } from './types.js';

export const BEFORE_PARAMS = 5;
export const AFTER_PARAMS = 9;

const entryKey = (e: ContextEntry): string => e.key;
const entryValue = (e: ContextEntry): string => e.value;
const columnName = (c: ExtraColumn): string => c.name;
const columnValue = (c: ExtraColumn): string => c.value;
const makeColumn = (name: string, value: string): ExtraColumn => ({ name, value });

/** The enum discriminant of `op`; checked before any guest code runs. */
export function operationIndex(op: StorageOperation): number {
  const index = STORAGE_OPERATIONS.indexOf(op);
  if (index === -1) throw new WasmgateError('WG_ERR_INTERNAL_BUG', `unknown storage operation ${JSON.stringify(op)}`);
  return index;
}

export function callBefore(mem: CanonicalMemory, entry: CoreEntry, op: number, context: readonly ContextEntry[], payload: string): BeforeResult {
  mem.begin();
  const cp = mem.writePairs(context, entryKey, entryValue);
  const pp = mem.writeString(payload);
  const pl = mem.lastLength;
  const ret = entry.fn(op, cp, context.length, pp, pl) >>> 0;
  mem.begin();
  mem.check(ret, 12, 4, 'before-result');
  const result: BeforeResult =
    mem.discriminant(ret, 2, 'before-result') === 0
      ? { tag: 'do-continue', columns: mem.readPairs(mem.u32(ret + 4), mem.u32(ret + 8), 'do-continue columns', makeColumn) }
      : { tag: 'reject', reason: mem.readString(mem.u32(ret + 4), mem.u32(ret + 8), 'reject reason') };
  entry.postReturn?.(ret);
  return result;
}

export function callAfter(
  mem: CanonicalMemory,
  entry: CoreEntry,
  op: number,
  context: readonly ContextEntry[],
  payload: string,
  resultJson: string,
  extra: readonly ExtraColumn[],
): ExtraColumn[] {
  mem.begin();
  const cp = mem.writePairs(context, entryKey, entryValue);
  const pp = mem.writeString(payload);
  const pl = mem.lastLength;
  const rp = mem.writeString(resultJson);
  const rl = mem.lastLength;
  const ep = mem.writePairs(extra, columnName, columnValue);
  const ret = entry.fn(op, cp, context.length, pp, pl, rp, rl, ep, extra.length) >>> 0;
  mem.begin();
  mem.check(ret, 8, 4, 'after result');
  const columns = mem.readPairs(mem.u32(ret), mem.u32(ret + 4), 'after columns', makeColumn);
  entry.postReturn?.(ret);
  return columns;
}

// ---- through jco's glue ----

export function beforeFromGlue(value: unknown): BeforeResult {
  const r = value as { tag: string; val: unknown };
  if (r?.tag === 'do-continue') return { tag: 'do-continue', columns: columnsFromGlue(r.val) };
  if (r?.tag === 'reject' && typeof r.val === 'string') return { tag: 'reject', reason: r.val };
  throw badOutput('glue returned an unknown before-result');
}

export function columnsFromGlue(value: unknown): ExtraColumn[] {
  if (!Array.isArray(value)) throw badOutput('glue returned a non-list of extra columns');
  return value.map((c: ExtraColumn) => makeColumn(c.name, c.value));
}
