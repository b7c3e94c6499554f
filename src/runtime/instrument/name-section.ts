// The `name` custom section, renumbered so stack traces keep naming the right functions:
// function names (subsection 1) and local names (2) shift with the function indices and gain
// names for the two added imports; label names (3) are dropped, because the added blocks shift
// label numbering; every other subsection is copied. Engines ignore a malformed name section, so
// one that cannot be parsed is dropped rather than failing the module.
import { WasmgateError } from '../../errors.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { FUEL_IMPORT, LIMITS_IMPORT_MODULE, STACK_IMPORT } from './limit-hooks.js';
import type { FuncRemap } from './index-sections.js';

const FUNCTION_NAMES = 1;
const LOCAL_NAMES = 2;
const LABEL_NAMES = 3;

const ADDED_NAMES = [`${LIMITS_IMPORT_MODULE}.${FUEL_IMPORT}`, `${LIMITS_IMPORT_MODULE}.${STACK_IMPORT}`].map((n) =>
  new TextEncoder().encode(n),
);

function writeFunctionNames(r: ByteReader, w: ByteWriter, remap: FuncRemap, firstAdded: number): void {
  const n = r.count(2);
  w.u32(n + ADDED_NAMES.length);
  let addedWritten = false;
  const writeAdded = (): void => {
    ADDED_NAMES.forEach((name, i) => {
      w.u32(firstAdded + i);
      w.u32(name.length);
      w.bytes(name);
    });
    addedWritten = true;
  };
  for (let i = 0; i < n; i++) {
    const index = r.u32();
    const nameStart = r.pos;
    r.name();
    if (!addedWritten && index >= firstAdded) writeAdded();
    w.u32(remap(index));
    w.span(r.bytes, nameStart, r.pos);
  }
  if (!addedWritten) writeAdded();
}

function writeLocalNames(r: ByteReader, w: ByteWriter, remap: FuncRemap): void {
  const n = r.count(2);
  w.u32(n);
  for (let i = 0; i < n; i++) {
    w.u32(remap(r.u32()));
    const mapStart = r.pos;
    const locals = r.count(2);
    for (let j = 0; j < locals; j++) {
      r.u32();
      r.name();
    }
    w.span(r.bytes, mapStart, r.pos);
  }
}

/**
 * Writes the payload (after the section name) of the rewritten name section; returns false,
 * writing nothing, when the section is malformed.
 */
export function rewriteNameSection(
  bytes: Uint8Array,
  start: number,
  end: number,
  remap: FuncRemap,
  firstAdded: number,
  out: ByteWriter,
): boolean {
  const w = new ByteWriter(end - start + 64);
  try {
    const r = new ByteReader(bytes, start, end);
    while (!r.atEnd()) {
      const id = r.u8();
      const size = r.u32();
      const sub = new ByteReader(bytes, r.pos, r.pos + size);
      r.skip(size);
      if (id === LABEL_NAMES) continue;
      w.byte(id);
      const mark = w.beginSized();
      if (id === FUNCTION_NAMES) writeFunctionNames(sub, w, remap, firstAdded);
      else if (id === LOCAL_NAMES) writeLocalNames(sub, w, remap);
      else w.span(bytes, sub.pos, sub.end);
      if ((id === FUNCTION_NAMES || id === LOCAL_NAMES) && !sub.atEnd()) return false;
      w.endSized(mark);
    }
  } catch (err) {
    if (err instanceof WasmgateError) return false;
    throw err;
  }
  out.writer(w);
  return true;
}
