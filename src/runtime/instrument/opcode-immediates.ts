// What follows each opcode, as tables: one kind per single-byte opcode, and one per sub-opcode of
// the 0xFC (saturating truncation, bulk memory/table), 0xFD (SIMD) and 0xFE (atomics) prefixes.
// Covers every opcode Node 20 (V8 11.3) runs without flags: MVP, sign extension, non-trapping
// float-to-int, bulk memory, reference types, multi-value, SIMD, tail calls, legacy exception
// handling and threads. Anything else is refused with WG_ERR_MODULE_UNSUPPORTED, so the rewriter
// never guesses the length of an instruction it does not know.
import { ByteReader, unsupportedAt } from './byte-reader.js';

// Kinds of single-byte opcodes. The first group needs the rewriter's attention; the rest are
// only skipped (see `skipPlain`).
export const K_UNKNOWN = 0;
export const K_BLOCK = 1; // block, if, try: block type, opens a label
export const K_LOOP = 2; // loop: block type, opens a label, gets a fuel tick (and wrapper blocks)
export const K_END = 3;
export const K_DELEGATE = 4; // delegate label: closes a try
export const K_CATCH = 5; // catch tagidx
export const K_CATCH_ALL = 6;
export const K_RETURN = 7;
export const K_CALL = 8; // call funcidx
export const K_RETURN_CALL = 9; // return_call funcidx
export const K_RETURN_CALL_INDIRECT = 10; // return_call_indirect typeidx tableidx
export const K_REF_FUNC = 11; // ref.func funcidx
export const K_PREFIX_FC = 12;
export const K_PREFIX_FD = 13;
export const K_PREFIX_FE = 14;
export const K_CALL_INDIRECT = 15; // call_indirect typeidx tableidx
export const K_BR = 16; // br / br_if label: renumbered across the blocks added around loops
export const K_BR_TABLE = 17; // br_table labels default: likewise
export const K_THROW = 18; // throw tagidx: fuel written back first
export const K_RETHROW = 19; // rethrow label: both
export const K_MEMORY_GROW = 20; // memory.grow memidx: charged GROW_TICKS
/** Kinds at or above this one are copied as they are. */
export const K_FIRST_PLAIN = 21;
export const K_NONE = 21;
export const K_U32 = 22; // one u32 index
export const K_MEMARG = 23;
export const K_S32 = 24;
export const K_S64 = 25;
export const K_BYTES4 = 26;
export const K_BYTES8 = 27;
export const K_SELECT_T = 28; // select with a vector of value types
export const K_HEAPTYPE = 29; // ref.null
export const K_GLOBAL = 30; // global.get / global.set globalidx

export const OPCODE_KIND = new Uint8Array(256);
{
  const set = (kind: number, ...ops: number[]): void => ops.forEach((op) => (OPCODE_KIND[op] = kind));
  const range = (kind: number, from: number, to: number): void => {
    for (let op = from; op <= to; op++) OPCODE_KIND[op] = kind;
  };
  set(K_NONE, 0x00, 0x01, 0x05, 0x1a, 0x1b, 0xd1); // unreachable nop else drop select ref.is_null
  set(K_BLOCK, 0x02, 0x04, 0x06); // block if try
  set(K_LOOP, 0x03);
  set(K_CATCH, 0x07);
  set(K_THROW, 0x08);
  set(K_RETHROW, 0x09);
  set(K_BR, 0x0c, 0x0d); // br br_if
  set(K_END, 0x0b);
  set(K_BR_TABLE, 0x0e);
  set(K_RETURN, 0x0f);
  set(K_CALL, 0x10);
  set(K_CALL_INDIRECT, 0x11);
  set(K_RETURN_CALL, 0x12);
  set(K_RETURN_CALL_INDIRECT, 0x13);
  set(K_DELEGATE, 0x18);
  set(K_CATCH_ALL, 0x19);
  set(K_SELECT_T, 0x1c);
  range(K_U32, 0x20, 0x22); // local.get/set/tee
  set(K_GLOBAL, 0x23, 0x24);
  set(K_U32, 0x25, 0x26); // table.get/set
  range(K_MEMARG, 0x28, 0x3e); // loads and stores
  set(K_U32, 0x3f); // memory.size memidx
  set(K_MEMORY_GROW, 0x40);
  set(K_S32, 0x41);
  set(K_S64, 0x42);
  set(K_BYTES4, 0x43);
  set(K_BYTES8, 0x44);
  range(K_NONE, 0x45, 0xc4); // numeric, conversions, sign extension
  set(K_HEAPTYPE, 0xd0);
  set(K_REF_FUNC, 0xd2);
  set(K_PREFIX_FC, 0xfc);
  set(K_PREFIX_FD, 0xfd);
  set(K_PREFIX_FE, 0xfe);
}

// Sub-opcode tables. Entry = number of u32 immediates (0-2), or one of the special kinds below;
// bits 0x80 and 0x40 mark the instructions the rewriter changes: FC_BULK (bulk operations, charged
// by length), FC_GROW (table.grow, charged GROW_TICKS) and FE_WAIT (memory.atomic.wait32/64, whose
// timeout is forced to 0).
export const SUB_UNKNOWN = 0xff;
export const SUB_MEMARG = 10;
export const SUB_BYTES16 = 11;
export const SUB_LANE = 12;
export const SUB_MEMARG_LANE = 13;
export const SUB_BYTE = 14;
export const FC_BULK = 0x80;
export const FC_GROW = 0x40;
export const FE_WAIT = 0x80;
/** The immediates part of a sub-opcode entry (SUB_UNKNOWN stays unknown). */
const SUB_KIND_MASK = 0x3f;

/** 0xFC: 0-7 trunc_sat, 8 memory.init, 9 data.drop, 10 memory.copy, 11 memory.fill, 12 table.init,
 *  13 elem.drop, 14 table.copy, 15 table.grow, 16 table.size, 17 table.fill. */
export const FC_SUB = Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 2 | FC_BULK, 1, 2 | FC_BULK, 1 | FC_BULK, 2 | FC_BULK, 1, 2 | FC_BULK, 1 | FC_GROW, 1, 1 | FC_BULK]);

/** 0xFD (SIMD, incl. relaxed SIMD up to 0x113). */
export const FD_SUB = new Uint8Array(0x114);
{
  for (let op = 0; op <= 11; op++) FD_SUB[op] = SUB_MEMARG; // v128.load* and v128.store
  FD_SUB[12] = SUB_BYTES16; // v128.const
  FD_SUB[13] = SUB_BYTES16; // i8x16.shuffle
  for (let op = 21; op <= 34; op++) FD_SUB[op] = SUB_LANE; // extract/replace_lane
  for (let op = 84; op <= 91; op++) FD_SUB[op] = SUB_MEMARG_LANE; // load/store lane
  FD_SUB[92] = SUB_MEMARG; // v128.load32_zero
  FD_SUB[93] = SUB_MEMARG; // v128.load64_zero
}

/** 0xFE (atomics): 0x00-0x02 notify/wait, 0x03 atomic.fence (one 0x00 byte), 0x10-0x4E loads, stores, RMW. */
export const FE_SUB = new Uint8Array(0x4f).fill(SUB_MEMARG);
FE_SUB[0x01] = SUB_MEMARG | FE_WAIT;
FE_SUB[0x02] = SUB_MEMARG | FE_WAIT;
FE_SUB[0x03] = SUB_BYTE;
for (let op = 0x04; op < 0x10; op++) FE_SUB[op] = SUB_UNKNOWN;

/** Skips a memarg: align (bit 6 = a memory index follows, multi-memory) and offset. */
export function skipMemarg(r: ByteReader): void {
  const align = r.u32();
  if (align & 0x40) r.skipLeb(5);
  r.skipLeb(5);
}

/** Skips a value type: a one-byte type, or 0x63/0x64 (ref null? ht) followed by a heap type. */
export function skipValType(r: ByteReader): void {
  const at = r.pos;
  const t = r.u8();
  if (t === 0x63 || t === 0x64) r.skipLeb(5);
  else if (!(t >= 0x7b && t <= 0x7f) && t !== 0x70 && t !== 0x6f) throw unsupportedAt(at, `value type 0x${t.toString(16)}`);
}

/** Skips a block type: 0x40, a value type, or an s33 type index. */
export function skipBlockType(r: ByteReader): void {
  const t = r.bytes[r.pos];
  if (t === 0x63 || t === 0x64) skipValType(r);
  else r.skipLeb(5);
}

/** Skips the immediates of a plain kind (>= K_FIRST_PLAIN) whose opcode byte was just read. */
export function skipPlain(r: ByteReader, kind: number): void {
  switch (kind) {
    case K_NONE:
      return;
    case K_U32:
    case K_GLOBAL:
      r.skipLeb(5);
      return;
    case K_MEMARG:
      skipMemarg(r);
      return;
    case K_S32:
      r.skipLeb(5);
      return;
    case K_S64:
      r.skipLeb(10);
      return;
    case K_BYTES4:
      r.skip(4);
      return;
    case K_BYTES8:
      r.skip(8);
      return;
    case K_SELECT_T: {
      const n = r.count(1);
      for (let i = 0; i < n; i++) skipValType(r);
      return;
    }
    case K_HEAPTYPE:
      r.skipLeb(5);
      return;
  }
}

/** Reads a prefixed sub-opcode and skips its immediates; returns the sub-opcode's table entry. */
export function skipPrefixed(r: ByteReader, prefix: number): number {
  const at = r.pos - 1;
  const sub = r.u32();
  const table = prefix === 0xfc ? FC_SUB : prefix === 0xfd ? FD_SUB : FE_SUB;
  const entry = sub < table.length ? table[sub]! : SUB_UNKNOWN;
  switch (entry & SUB_KIND_MASK) {
    case 0:
      break;
    case 1:
      r.skipLeb(5);
      break;
    case 2:
      r.skipLeb(5);
      r.skipLeb(5);
      break;
    case SUB_MEMARG:
      skipMemarg(r);
      break;
    case SUB_BYTES16:
      r.skip(16);
      break;
    case SUB_LANE:
    case SUB_BYTE:
      r.skip(1);
      break;
    case SUB_MEMARG_LANE:
      skipMemarg(r);
      r.skip(1);
      break;
    default:
      throw unsupportedAt(at, `opcode 0x${prefix.toString(16)} ${sub}`);
  }
  return entry;
}
