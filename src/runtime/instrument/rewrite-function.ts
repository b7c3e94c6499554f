// Rewrites one function body in a single pass: decodes every instruction once (table-driven, see
// opcode-immediates.ts), copies untouched spans with one `set`, and emits the limit checks in place
// (F = frameSize(params, declared locals), MAX = max_stack_size):
//
//   entry    global.get $depth; i32.const F; i32.add; global.set $depth; global.get $depth;
//            i32.const MAX; i32.gt_u; if; call $stack_overflow; unreachable; end
//            then a fuel tick, then [global.get $depth; local.set $saved] when the body has a catch,
//            then `block <results>` wrapping the original body
//   tick     global.get $fuel; i32.const 1; i32.sub; global.set $fuel; global.get $fuel;
//            i32.const 0; i32.le_s; if; call $fuel; global.set $fuel; end
//            (at entry and right after each loop's block type; wasm has no global.tee, and `<= 0`
//            rather than `== 0` keeps fuel exhausted once a fuel() call has thrown)
//   bulk op  local.tee $n; global.get $fuel; local.get $n; i32.const 12; i32.shr_u; i32.sub;
//            global.set $fuel, then the refill check of the tick (the length stays on the stack)
//   return   br <nesting depth>, to the wrapper block, so every exit runs the epilogue after it
//   exit     global.get $depth; i32.const F; i32.sub; global.set $depth (after the wrapper block,
//            and before return_call / return_call_indirect)
//   catch    a limit fault in flight (fuel <= 0 or depth > MAX) is rethrown, so a guest cannot
//            swallow it; otherwise $depth = $saved (the frames the exception unwound skipped their
//            epilogues)
//   wait     memory.atomic.wait32/64: `drop; i64.const 0` before it, so the wait times out at once
//            (nothing can notify it, and a blocked wait would hold the host thread beyond fuel's reach)
//   call, return_call, ref.func: function index shifted past the two added imports
import { ByteReader, hex, invalidAt, unsupportedAt } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { BULK_TICK_SHIFT, FRAME_BASE_BYTES, FRAME_SLOT_BYTES } from './limit-hooks.js';
import type { FuncType } from './module-sections.js';
import * as immediates from './opcode-immediates.js';

// Module-local copies: a namespace property read per instruction is measurably slower when the
// module is loaded through a transpiling loader (exports become getters).
const imm = { ...immediates };

export interface CodeContext {
  readonly importedFuncs: number;
  readonly fuelFunc: number;
  readonly stackFunc: number;
  readonly fuelGlobal: number;
  readonly depthGlobal: number;
  readonly maxStackSize: number;
}

export interface CodeCounters {
  functions: number;
  loops: number;
  calls: number;
}

const I32 = 0x7f;
const OP_IF = 0x04;
const OP_END = 0x0b;
const OP_BR = 0x0c;
const OP_UNREACHABLE = 0x00;
const OP_RETHROW = 0x09;
const OP_CALL = 0x10;
const OP_LOCAL_GET = 0x20;
const OP_LOCAL_SET = 0x21;
const OP_LOCAL_TEE = 0x22;
const OP_GLOBAL_GET = 0x23;
const OP_GLOBAL_SET = 0x24;
const OP_DROP = 0x1a;
const OP_I32_CONST = 0x41;
const OP_I64_CONST = 0x42;
const OP_I32_LT_S = 0x48;
const OP_I32_GT_U = 0x4b;
const OP_I32_LE_S = 0x4c;
const OP_I32_ADD = 0x6a;
const OP_I32_SUB = 0x6b;
const OP_I32_OR = 0x72;
const OP_I32_SHR_U = 0x76;
const EMPTY_BLOCK = 0x40;
/** Largest frame estimate; keeps `i32.const F` and depth arithmetic far from overflow. */
const MAX_FRAME = 1 << 30;

/** Frame estimate of a function: FRAME_BASE_BYTES + FRAME_SLOT_BYTES x (params + declared locals). */
export function frameSize(params: number, declaredLocals: number): number {
  return Math.min(MAX_FRAME, FRAME_BASE_BYTES + FRAME_SLOT_BYTES * (params + declaredLocals));
}

export class FunctionRewriter {
  readonly #ctx: CodeContext;
  readonly #counters: CodeCounters;
  readonly #body = new ByteWriter(1 << 16);
  readonly #head = new ByteWriter(256);
  /** `fuel -= 1; if fuel <= 0: fuel = fuel()`, prebuilt once per module. */
  readonly #tick: Uint8Array;
  /** `if fuel <= 0: fuel = fuel()` after a charge has been subtracted. */
  readonly #refill: Uint8Array;

  constructor(ctx: CodeContext, counters: CodeCounters) {
    this.#ctx = ctx;
    this.#counters = counters;
    const w = new ByteWriter(64);
    w.byte(OP_GLOBAL_GET), w.u32(ctx.fuelGlobal), w.byte(OP_I32_CONST), w.byte(1), w.byte(OP_I32_SUB);
    const decrement = w.toBytes();
    w.reset();
    w.byte(OP_GLOBAL_SET), w.u32(ctx.fuelGlobal), w.byte(OP_GLOBAL_GET), w.u32(ctx.fuelGlobal);
    w.byte(OP_I32_CONST), w.byte(0), w.byte(OP_I32_LE_S), w.byte(OP_IF), w.byte(EMPTY_BLOCK);
    w.byte(OP_CALL), w.u32(ctx.fuelFunc), w.byte(OP_GLOBAL_SET), w.u32(ctx.fuelGlobal), w.byte(OP_END);
    this.#refill = w.toBytes();
    this.#tick = new Uint8Array([...decrement, ...this.#refill]);
  }

  /**
   * Rewrites the body at [start, end) of a function of `type` into `out`, length-prefixed.
   * `wrapperType` is the encoded block type of the function's results.
   */
  rewrite(bytes: Uint8Array, start: number, end: number, type: FuncType, wrapperType: Uint8Array, out: ByteWriter): void {
    const r = new ByteReader(bytes, start, end);
    const entries = r.count(2);
    const entriesStart = r.pos;
    let declared = 0;
    for (let i = 0; i < entries; i++) {
      declared += r.u32();
      imm.skipValType(r);
    }
    const localsEnd = r.pos;
    const frame = frameSize(type.params, declared);
    const firstAdded = type.params + declared;
    let nextLocal = firstAdded;
    let scratch = -1;
    let saved = -1;

    const ctx = this.#ctx;
    const body = this.#body;
    body.reset();
    let copyFrom = r.pos;
    let depth = 0;
    for (;;) {
      if (r.pos >= end) throw invalidAt(r.pos, 'function body ends before its final end');
      const opAt = r.pos;
      const op = bytes[r.pos++]!;
      const kind = imm.OPCODE_KIND[op]!;
      if (kind >= imm.K_FIRST_PLAIN) {
        imm.skipPlain(r, kind);
        continue;
      }
      switch (kind) {
        case imm.K_BLOCK:
          imm.skipBlockType(r);
          depth++;
          break;
        case imm.K_LOOP:
          imm.skipBlockType(r);
          depth++;
          body.span(bytes, copyFrom, r.pos);
          body.bytes(this.#tick);
          copyFrom = r.pos;
          this.#counters.loops++;
          break;
        case imm.K_END:
          if (depth === 0) {
            if (r.pos !== end) throw invalidAt(r.pos, 'function body continues after its final end');
            body.span(bytes, copyFrom, opAt);
            this.#assemble(bytes, entries, entriesStart, localsEnd, nextLocal - firstAdded, frame, saved, wrapperType, out);
            this.#counters.functions++;
            return;
          }
          depth--;
          break;
        case imm.K_DELEGATE:
          r.skipLeb(5);
          if (depth === 0) throw invalidAt(opAt, 'delegate outside a try block');
          depth--;
          break;
        case imm.K_CATCH:
        case imm.K_CATCH_ALL:
          if (kind === imm.K_CATCH) r.skipLeb(5);
          if (saved < 0) saved = nextLocal++;
          body.span(bytes, copyFrom, r.pos);
          this.#catchEntry(body, saved);
          copyFrom = r.pos;
          break;
        case imm.K_RETURN:
          body.span(bytes, copyFrom, opAt);
          body.byte(OP_BR);
          body.u32(depth);
          copyFrom = r.pos;
          break;
        case imm.K_CALL:
        case imm.K_RETURN_CALL:
        case imm.K_REF_FUNC: {
          const index = r.u32();
          body.span(bytes, copyFrom, opAt);
          if (kind === imm.K_RETURN_CALL) this.#epilogue(body, frame);
          body.byte(op);
          body.u32(index >= ctx.importedFuncs ? index + 2 : index);
          copyFrom = r.pos;
          if (kind !== imm.K_REF_FUNC) this.#counters.calls++;
          break;
        }
        case imm.K_CALL_INDIRECT:
          r.skipLeb(5);
          r.skipLeb(5);
          this.#counters.calls++;
          break;
        case imm.K_RETURN_CALL_INDIRECT:
          body.span(bytes, copyFrom, opAt);
          this.#epilogue(body, frame);
          copyFrom = opAt;
          r.skipLeb(5);
          r.skipLeb(5);
          this.#counters.calls++;
          break;
        case imm.K_PREFIX_FC:
          if (imm.skipPrefixed(r, op) & imm.FC_BULK) {
            if (scratch < 0) scratch = nextLocal++;
            body.span(bytes, copyFrom, opAt);
            this.#chargeLength(body, scratch);
            copyFrom = opAt;
          }
          break;
        case imm.K_PREFIX_FE:
          if (imm.skipPrefixed(r, op) & imm.FE_WAIT) {
            body.span(bytes, copyFrom, opAt);
            body.byte(OP_DROP);
            body.byte(OP_I64_CONST);
            body.byte(0);
            copyFrom = opAt;
          }
          break;
        case imm.K_PREFIX_FD:
          imm.skipPrefixed(r, op);
          break;
        default:
          throw unsupportedAt(opAt, `opcode ${hex(op)}`);
      }
    }
  }

  /** Writes locals (+ added i32s), prologue, wrapper block, body, wrapper end, epilogue, end. */
  #assemble(
    bytes: Uint8Array,
    entries: number,
    entriesStart: number,
    localsEnd: number,
    added: number,
    frame: number,
    saved: number,
    wrapperType: Uint8Array,
    out: ByteWriter,
  ): void {
    const head = this.#head;
    head.reset();
    head.u32(entries + (added > 0 ? 1 : 0));
    head.span(bytes, entriesStart, localsEnd);
    if (added > 0) head.u32(added), head.byte(I32);
    this.#stackCheck(head, frame);
    head.bytes(this.#tick);
    if (saved >= 0) head.byte(OP_GLOBAL_GET), head.u32(this.#ctx.depthGlobal), head.byte(OP_LOCAL_SET), head.u32(saved);
    head.byte(0x02);
    head.bytes(wrapperType);
    const mark = out.beginSized();
    out.writer(head);
    out.writer(this.#body);
    out.byte(OP_END);
    this.#epilogue(out, frame);
    out.byte(OP_END);
    out.endSized(mark);
  }

  /** depth += F; if depth > max: call stack_overflow; unreachable (a host that returns still stops). */
  #stackCheck(w: ByteWriter, frame: number): void {
    const { depthGlobal, maxStackSize, stackFunc } = this.#ctx;
    w.byte(OP_GLOBAL_GET), w.u32(depthGlobal), w.byte(OP_I32_CONST), w.s32(frame), w.byte(OP_I32_ADD);
    w.byte(OP_GLOBAL_SET), w.u32(depthGlobal), w.byte(OP_GLOBAL_GET), w.u32(depthGlobal);
    w.byte(OP_I32_CONST), w.s32(maxStackSize), w.byte(OP_I32_GT_U);
    w.byte(OP_IF), w.byte(EMPTY_BLOCK), w.byte(OP_CALL), w.u32(stackFunc), w.byte(OP_UNREACHABLE), w.byte(OP_END);
  }

  /** depth -= F. */
  #epilogue(w: ByteWriter, frame: number): void {
    const g = this.#ctx.depthGlobal;
    w.byte(OP_GLOBAL_GET), w.u32(g), w.byte(OP_I32_CONST), w.s32(frame), w.byte(OP_I32_SUB), w.byte(OP_GLOBAL_SET), w.u32(g);
  }

  /** Before a bulk op, length on top: fuel -= length >> BULK_TICK_SHIFT, refilling when <= 0. */
  #chargeLength(w: ByteWriter, scratch: number): void {
    w.byte(OP_LOCAL_TEE), w.u32(scratch), w.byte(OP_GLOBAL_GET), w.u32(this.#ctx.fuelGlobal), w.byte(OP_LOCAL_GET), w.u32(scratch);
    w.byte(OP_I32_CONST), w.byte(BULK_TICK_SHIFT), w.byte(OP_I32_SHR_U), w.byte(OP_I32_SUB);
    w.bytes(this.#refill);
  }

  /**
   * At the start of a catch / catch_all body. fuel <= 0 or depth > max only while a fuel() or
   * stack_overflow() call is throwing, so then the exception is rethrown: a guest cannot catch
   * its own timeout or stack fault. Otherwise depth is restored to this frame's value.
   */
  #catchEntry(w: ByteWriter, saved: number): void {
    const { fuelGlobal, depthGlobal, maxStackSize } = this.#ctx;
    w.byte(OP_GLOBAL_GET), w.u32(fuelGlobal), w.byte(OP_I32_CONST), w.byte(1), w.byte(OP_I32_LT_S);
    w.byte(OP_GLOBAL_GET), w.u32(depthGlobal), w.byte(OP_I32_CONST), w.s32(maxStackSize), w.byte(OP_I32_GT_U);
    w.byte(OP_I32_OR), w.byte(OP_IF), w.byte(EMPTY_BLOCK), w.byte(OP_RETHROW), w.byte(1), w.byte(OP_END);
    w.byte(OP_LOCAL_GET), w.u32(saved), w.byte(OP_GLOBAL_SET), w.u32(depthGlobal);
  }
}
