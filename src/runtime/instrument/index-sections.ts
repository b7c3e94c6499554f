// Sections that name functions by index. The two added imports come after the existing function
// imports, so every defined function's index grows by 2: `remap` applies that to exports, the start
// function, element segments (index vectors and expressions) and `ref.func` in constant expressions.
// Also writes the import and global sections with the added imports and globals.
import { ByteReader, hex, invalidAt } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { FUEL_IMPORT, LIMITS_IMPORT_MODULE, STACK_IMPORT } from './limit-hooks.js';
import * as imm from './opcode-immediates.js';

/** Index of function `index` of the input in the output. */
export type FuncRemap = (index: number) => number;

const OP_END = 0x0b;
const OP_REF_FUNC = 0xd2;
const KIND_FUNC = 0;
const I32 = 0x7f;
const MUTABLE = 1;
const OP_I32_CONST = 0x41;

/** Copies a constant expression up to and including its `end`, renumbering `ref.func`. */
export function copyConstExpr(r: ByteReader, w: ByteWriter, remap: FuncRemap): void {
  let copyFrom = r.pos;
  for (;;) {
    const at = r.pos;
    const op = r.u8();
    const kind = imm.OPCODE_KIND[op]!;
    if (op === OP_END) break;
    if (kind === imm.K_REF_FUNC) {
      const index = r.u32();
      w.span(r.bytes, copyFrom, at);
      w.byte(OP_REF_FUNC);
      w.u32(remap(index));
      copyFrom = r.pos;
    } else if (kind >= imm.K_FIRST_PLAIN) {
      imm.skipPlain(r, kind);
    } else if (kind === imm.K_PREFIX_FD || kind === imm.K_PREFIX_FC) {
      imm.skipPrefixed(r, op);
    } else {
      throw invalidAt(at, `opcode ${hex(op)} is not allowed in a constant expression`);
    }
  }
  w.span(r.bytes, copyFrom, r.pos);
}

function writeName(w: ByteWriter, name: string): void {
  const encoded = new TextEncoder().encode(name);
  w.u32(encoded.length);
  w.bytes(encoded);
}

/** The existing imports, then `fuel: () -> i32` and `stack_overflow: () -> ()`. */
export function writeImportSection(
  bytes: Uint8Array,
  span: { start: number; end: number } | undefined,
  fuelType: number,
  stackType: number,
  w: ByteWriter,
): void {
  let count = 0;
  let entriesStart = 0;
  if (span) {
    const r = new ByteReader(bytes, span.start, span.end);
    count = r.u32();
    entriesStart = r.pos;
  }
  w.u32(count + 2);
  if (span) w.span(bytes, entriesStart, span.end);
  for (const [name, type] of [[FUEL_IMPORT, fuelType], [STACK_IMPORT, stackType]] as const) {
    writeName(w, LIMITS_IMPORT_MODULE);
    writeName(w, name);
    w.byte(KIND_FUNC);
    w.u32(type);
  }
}

/** The existing globals (ref.func renumbered), then `$fuel` (i32, init 1) and `$depth` (i32, init 0). */
export function writeGlobalSection(
  bytes: Uint8Array,
  span: { start: number; end: number } | undefined,
  remap: FuncRemap,
  w: ByteWriter,
): void {
  const r = span ? new ByteReader(bytes, span.start, span.end) : undefined;
  const n = r ? r.count(3) : 0;
  w.u32(n + 2);
  for (let i = 0; r && i < n; i++) {
    const at = r.pos;
    imm.skipValType(r);
    r.u8();
    w.span(bytes, at, r.pos);
    copyConstExpr(r, w, remap);
  }
  if (r && !r.atEnd()) throw invalidAt(r.pos, 'global section has bytes after its last entry');
  for (const init of [1, 0]) w.byte(I32), w.byte(MUTABLE), w.byte(OP_I32_CONST), w.byte(init), w.byte(OP_END);
}

export function rewriteExportSection(bytes: Uint8Array, start: number, end: number, remap: FuncRemap, w: ByteWriter): void {
  const r = new ByteReader(bytes, start, end);
  const n = r.count(3);
  w.u32(n);
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    r.name();
    const kind = r.u8();
    w.span(bytes, at, r.pos);
    const index = r.u32();
    w.u32(kind === KIND_FUNC ? remap(index) : index);
  }
  if (!r.atEnd()) throw invalidAt(r.pos, 'export section has bytes after its last entry');
}

export function rewriteStartSection(bytes: Uint8Array, start: number, end: number, remap: FuncRemap, w: ByteWriter): void {
  const r = new ByteReader(bytes, start, end);
  w.u32(remap(r.u32()));
  if (!r.atEnd()) throw invalidAt(r.pos, 'start section has bytes after the function index');
}

/**
 * Element segments, all 8 kinds. Flags: bit 0 passive/declarative, bit 1 explicit table index
 * (active) or declarative (bit 0 set), bit 2 expressions instead of function indices.
 */
export function rewriteElementSection(bytes: Uint8Array, start: number, end: number, remap: FuncRemap, w: ByteWriter): void {
  const r = new ByteReader(bytes, start, end);
  const n = r.count(2);
  w.u32(n);
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const flags = r.u32();
    if (flags > 7) throw invalidAt(at, `element segment flags ${flags}`);
    const active = (flags & 1) === 0;
    const usesExprs = (flags & 4) !== 0;
    if (active && flags & 2) r.skipLeb(5); // table index
    w.span(bytes, at, r.pos);
    if (active) copyConstExpr(r, w, remap);
    const typeAt = r.pos;
    if (flags & 3) {
      if (usesExprs) imm.skipValType(r);
      else r.u8(); // elemkind 0x00 (funcref)
    }
    w.span(bytes, typeAt, r.pos);
    const items = r.count(1);
    w.u32(items);
    for (let j = 0; j < items; j++) {
      if (usesExprs) copyConstExpr(r, w, remap);
      else w.u32(remap(r.u32()));
    }
  }
  if (!r.atEnd()) throw invalidAt(r.pos, 'element section has bytes after its last entry');
}
