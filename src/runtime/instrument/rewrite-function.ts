// Rewrites one function body in a single pass: decodes every instruction once (table-driven, see
// opcode-immediates.ts), copies untouched spans with one `set`, and emits the limit checks in place
// (F = frameSize(params, declared locals), MAX = max_stack_size; i32 locals are added: $lf holds
// the fuel while the function runs, $d the stack depth at entry, $n a bulk op's length):
//
//   entry    global.get $depth; local.tee $d; i32.const F; i32.add; local.tee $lf; global.set $depth;
//            local.get $lf; i32.const MAX; i32.gt_u; if; call $stack_overflow; unreachable; end
//            global.get $fuel; i32.const 1; i32.sub; local.tee $lf; global.set $fuel; local.get $lf;
//            i32.const 0; i32.le_s; if; call $fuel; [local.tee $lf]; global.set $fuel; end
//            then `block <results>` wrapping the original body. `<= 0` rather than `== 0` keeps
//            fuel exhausted once a fuel() call has thrown. $fuel ends up equal to $lf.
//   loop     (block type without parameters) `loop bt BODY end` becomes
//              block bt; loop; block; loop bt                         ;; $A $R $X $L
//                local.get $lf; i32.const 1; i32.sub; local.tee $lf; i32.const 0; i32.le_s; br_if 1
//                BODY                                                 ;; labels past $L: +3
//              end; br 2; end                                         ;; results leave by $A
//              local.get $lf; global.set $fuel; call $fuel; i32.const 1; i32.add; local.set $lf
//              br 0; end; unreachable; end                            ;; re-enter $L at its header
//            so the hot path holds no global access and no call (V8 spills every live value
//            around a call). The refill re-runs the header tick, hence the `+ 1`: one refill of N
//            pays N iterations, as the in-place tick does. A loop whose block type has parameters
//            keeps the tick in place: `loop bt; <tick of $lf, refill as for bulk ops>`.
//   bulk op  local.tee $n; local.get $lf; local.get $n; i32.const 12; i32.shr_u; i32.sub;
//            local.tee $lf; i32.const 0; i32.le_s; if; local.get $lf; global.set $fuel; call $fuel;
//            local.set $lf; end (the length stays on the stack)
//   grow     memory.grow, table.grow: the same charge with a flat `i32.const GROW_TICKS`
//   sync     once the first loop, bulk op or grow has been emitted ("$lf touched"), $fuel is
//            stale while $lf runs: `local.get $lf; global.set $fuel` before every call,
//            call_indirect, return_call(_indirect), throw, rethrow and at the exit, and
//            `global.get $fuel; local.set $lf` after every call and at the start of every catch.
//            Before that point $lf == $fuel on every path (control only moves forward until a loop
//            header runs), so write-backs are skipped; the reloads there are inserted when the
//            body is assembled, and only if $lf is touched later on. A function without loops,
//            bulk ops or grows (e.g. recursive fib) thus costs just the entry tick and the stack.
//   return   br <nesting depth + added labels>, to the wrapper block, so every exit runs the epilogue
//   exit     [local.get $lf; global.set $fuel if touched]; local.get $d; global.set $depth (after the
//            wrapper block, and before return_call / return_call_indirect). Restoring the saved value
//            rather than subtracting F spares a global read after calls: fib(25) runs ~25% faster.
//   catch    a limit fault in flight ($fuel <= 0 or depth > MAX: the global, written back before
//            every fuel() call) is rethrown, so a guest cannot swallow it; otherwise $depth = $d + F
//            (the frames the exception unwound skipped their epilogues), then $lf reloaded
//   branches br, br_if, br_table, delegate and rethrow labels past a rewritten loop gain 3 per loop
//   wait     memory.atomic.wait32/64: `drop; i64.const 0` before it, so the wait times out at once
//            (nothing can notify it, and a blocked wait would hold the host thread beyond fuel's reach)
//   leaf     a function with no loop, bulk op, grow, call, throw or catch and F <= 4 KiB gets no entry
//            tick, no stack check and no exit epilogue: its work is bounded and charged to its caller
//   call, return_call, ref.func: function index shifted past the two added imports
import { ByteReader, hex, invalidAt, unsupportedAt } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { BULK_TICK_SHIFT, FRAME_BASE_BYTES, FRAME_SLOT_BYTES, GROW_TICKS } from './limit-hooks.js';
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
  /** The module's function types, to tell loops whose block type (a type index) has parameters. */
  readonly types: readonly FuncType[];
}

export interface CodeCounters {
  functions: number;
  loops: number;
  calls: number;
}

const I32 = 0x7f;
const OP_IF = 0x04;
const OP_END = 0x0b;
const OP_BLOCK = 0x02;
const OP_LOOP = 0x03;
const OP_BR = 0x0c;
const OP_BR_IF = 0x0d;
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
/** Labels added around a loop without parameters ($X, $R, $A), crossed by branches out of it. */
const LOOP_WRAPPERS = 3;
/** V8's limit on params + locals of one function; the added locals must not push a valid body past it. */
const MAX_LOCALS = 50_000;
/** Largest frame estimate; keeps `i32.const F` and depth arithmetic far from overflow. */
const MAX_FRAME = 1 << 30;
/**
 * A leaf (no loop, bulk op, grow, call, throw or catch) with a frame up to this size gets no entry
 * tick and no stack accounting: it runs a bounded number of instructions (time is charged to the
 * caller, which ticked) and adds one frame on top of what was counted (depth overshoots max_stack_size
 * by at most this much; V8's own stack limit still holds). Most small helper functions are leaves.
 */
const LEAF_MAX_FRAME = 4096;

/** Frame estimate of a function: FRAME_BASE_BYTES + FRAME_SLOT_BYTES x (params + declared locals). */
export function frameSize(params: number, declaredLocals: number): number {
  return Math.min(MAX_FRAME, FRAME_BASE_BYTES + FRAME_SLOT_BYTES * (params + declaredLocals));
}

export class FunctionRewriter {
  readonly #ctx: CodeContext;
  readonly #counters: CodeCounters;
  readonly #body = new ByteWriter(1 << 16);
  readonly #head = new ByteWriter(256);
  /**
   * Labels added around the open blocks, as prefix sums over the control stack: entry j + 1 is
   * the number of labels added around the frames at positions 0..j (0 = the function itself), so
   * a branch of depth d from position n crosses acc[n + 1] - acc[n - d + 1] added labels.
   */
  #acc = new Int32Array(64);
  /** Body offsets after calls and catch entries emitted before $lf was touched (see `sync`). */
  readonly #deferred: number[] = [];

  constructor(ctx: CodeContext, counters: CodeCounters) {
    this.#ctx = ctx;
    this.#counters = counters;
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
    const lf = firstAdded;
    const entryDepth = firstAdded + 1;
    let nextLocal = firstAdded + 2;
    let scratch = -1;
    /** Whether a loop, bulk op or grow has changed $lf yet (in linear order). */
    let touched = false;
    /** Whether the body calls, or throws or catches: if not (and never touches $lf) it is a leaf. */
    let callsOrExceptions = false;

    const ctx = this.#ctx;
    const body = this.#body;
    body.reset();
    this.#deferred.length = 0;
    let acc = this.#acc;
    acc[0] = 0;
    acc[1] = 0;
    let copyFrom = r.pos;
    let depth = 0;
    /** New depth of branch label `d` read at `at` (throws if no such label). */
    const label = (d: number, at: number): number => {
      if (d > depth) throw invalidAt(at, `branch depth ${d} with only ${depth} enclosing blocks`);
      return d + acc[depth + 1]! - acc[depth - d + 1]!;
    };
    const open = (wrappers: number): void => {
      depth++;
      if (depth + 1 >= acc.length) {
        const grown = new Int32Array(acc.length * 2);
        grown.set(acc);
        this.#acc = acc = grown;
      }
      acc[depth + 1] = acc[depth]! + wrappers;
    };
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
          open(0);
          break;
        case imm.K_LOOP: {
          const typeAt = r.pos;
          const hasParams = this.#blockTypeHasParams(r);
          body.span(bytes, copyFrom, opAt);
          if (hasParams) {
            body.span(bytes, opAt, r.pos);
            this.#chargeConst(body, lf, 1);
            open(0);
          } else {
            body.byte(OP_BLOCK), body.span(bytes, typeAt, r.pos);
            body.byte(OP_LOOP), body.byte(EMPTY_BLOCK), body.byte(OP_BLOCK), body.byte(EMPTY_BLOCK);
            body.byte(OP_LOOP), body.span(bytes, typeAt, r.pos);
            this.#loopHeader(body, lf);
            open(LOOP_WRAPPERS);
          }
          copyFrom = r.pos;
          touched = true;
          this.#counters.loops++;
          break;
        }
        case imm.K_END: {
          if (depth === 0) {
            if (r.pos !== end) throw invalidAt(r.pos, 'function body continues after its final end');
            body.span(bytes, copyFrom, opAt);
            const leaf = !touched && !callsOrExceptions && frame <= LEAF_MAX_FRAME;
            const info = { lf, entryDepth, added: nextLocal - firstAdded, touched, leaf, locals: firstAdded, frame };
            this.#assemble(bytes, entries, entriesStart, localsEnd, info, wrapperType, out, opAt);
            this.#counters.functions++;
            return;
          }
          const wrapped = acc[depth + 1] !== acc[depth];
          depth--;
          if (wrapped) {
            body.span(bytes, copyFrom, r.pos);
            this.#loopFooter(body, lf);
            copyFrom = r.pos;
          }
          break;
        }
        case imm.K_DELEGATE: {
          callsOrExceptions = true;
          const at = r.pos;
          const d = r.u32();
          if (depth === 0) throw invalidAt(opAt, 'delegate outside a try block');
          depth--;
          if (acc[depth + 1] !== 0) {
            const moved = label(d, at);
            if (moved !== d) body.span(bytes, copyFrom, at), body.u32(moved), (copyFrom = r.pos);
          }
          break;
        }
        case imm.K_BR: {
          if (acc[depth + 1] === 0) {
            r.skipLeb(5);
            break;
          }
          const at = r.pos;
          const d = r.u32();
          const moved = label(d, at);
          if (moved !== d) body.span(bytes, copyFrom, at), body.u32(moved), (copyFrom = r.pos);
          break;
        }
        case imm.K_BR_TABLE: {
          const n = r.count(1);
          if (acc[depth + 1] === 0) {
            for (let i = 0; i <= n; i++) r.skipLeb(5);
            break;
          }
          body.span(bytes, copyFrom, r.pos);
          for (let i = 0; i <= n; i++) {
            const at = r.pos;
            body.u32(label(r.u32(), at));
          }
          copyFrom = r.pos;
          break;
        }
        case imm.K_THROW:
          callsOrExceptions = true;
          r.skipLeb(5);
          if (touched) body.span(bytes, copyFrom, opAt), this.#writeBack(body, lf), (copyFrom = opAt);
          break;
        case imm.K_RETHROW: {
          callsOrExceptions = true;
          const at = r.pos;
          const d = r.u32();
          const moved = acc[depth + 1] === 0 ? d : label(d, at);
          if (touched || moved !== d) {
            body.span(bytes, copyFrom, opAt);
            if (touched) this.#writeBack(body, lf);
            body.byte(op), body.u32(moved);
            copyFrom = r.pos;
          }
          break;
        }
        case imm.K_CATCH:
        case imm.K_CATCH_ALL:
          callsOrExceptions = true;
          if (kind === imm.K_CATCH) r.skipLeb(5);
          body.span(bytes, copyFrom, r.pos);
          this.#catchEntry(body, entryDepth, frame);
          if (touched) this.#reload(body, lf);
          else this.#deferred.push(body.length);
          copyFrom = r.pos;
          break;
        case imm.K_RETURN:
          body.span(bytes, copyFrom, opAt);
          body.byte(OP_BR);
          body.u32(depth + acc[depth + 1]!);
          copyFrom = r.pos;
          break;
        case imm.K_CALL:
        case imm.K_RETURN_CALL:
        case imm.K_REF_FUNC: {
          const index = r.u32();
          body.span(bytes, copyFrom, opAt);
          if (kind !== imm.K_REF_FUNC && touched) this.#writeBack(body, lf);
          if (kind === imm.K_RETURN_CALL) this.#epilogue(body, entryDepth);
          body.byte(op);
          body.u32(index >= ctx.importedFuncs ? index + 2 : index);
          copyFrom = r.pos;
          if (kind === imm.K_CALL) {
            if (touched) this.#reload(body, lf);
            else this.#deferred.push(body.length);
          }
          if (kind !== imm.K_REF_FUNC) {
            this.#counters.calls++;
            callsOrExceptions = true;
          }
          break;
        }
        case imm.K_CALL_INDIRECT:
          r.skipLeb(5);
          r.skipLeb(5);
          body.span(bytes, copyFrom, opAt);
          if (touched) this.#writeBack(body, lf);
          body.span(bytes, opAt, r.pos);
          if (touched) this.#reload(body, lf);
          else this.#deferred.push(body.length);
          copyFrom = r.pos;
          this.#counters.calls++;
          callsOrExceptions = true;
          break;
        case imm.K_RETURN_CALL_INDIRECT:
          body.span(bytes, copyFrom, opAt);
          if (touched) this.#writeBack(body, lf);
          this.#epilogue(body, entryDepth);
          copyFrom = opAt;
          r.skipLeb(5);
          r.skipLeb(5);
          this.#counters.calls++;
          callsOrExceptions = true;
          break;
        case imm.K_MEMORY_GROW:
          r.skipLeb(5);
          body.span(bytes, copyFrom, opAt);
          this.#chargeConst(body, lf, GROW_TICKS);
          copyFrom = opAt;
          touched = true;
          break;
        case imm.K_PREFIX_FC: {
          const entry = imm.skipPrefixed(r, op);
          if (entry & (imm.FC_BULK | imm.FC_GROW)) {
            body.span(bytes, copyFrom, opAt);
            if (entry & imm.FC_BULK) {
              if (scratch < 0) scratch = nextLocal++;
              this.#chargeLength(body, lf, scratch);
            } else {
              this.#chargeConst(body, lf, GROW_TICKS);
            }
            copyFrom = opAt;
            touched = true;
          }
          break;
        }
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

  /** Reads a loop's block type; true if it is a type index whose type has parameters. */
  #blockTypeHasParams(r: ByteReader): boolean {
    const b = r.bytes[r.pos]!;
    // 0x40 (empty) and value types are single negative s33 bytes (0x40-0x7f), or 0x63/0x64 + heap type.
    if (r.pos >= r.end || (b & 0xc0) === 0x40) {
      imm.skipBlockType(r);
      return false;
    }
    const index = r.s33();
    return (this.#ctx.types[index]?.params ?? 0) > 0;
  }

  /** Writes locals (+ added i32s), prologue, wrapper block, body, wrapper end, epilogue, end. */
  #assemble(
    bytes: Uint8Array,
    entries: number,
    entriesStart: number,
    localsEnd: number,
    f: { lf: number; entryDepth: number; added: number; touched: boolean; leaf: boolean; locals: number; frame: number },
    wrapperType: Uint8Array,
    out: ByteWriter,
    endAt: number,
  ): void {
    if (f.locals <= MAX_LOCALS && f.locals + f.added > MAX_LOCALS) {
      throw unsupportedAt(endAt, `a function with ${f.locals} parameters and locals (instrumenting adds ${f.added}; the limit is ${MAX_LOCALS})`);
    }
    const { fuelGlobal, fuelFunc } = this.#ctx;
    const head = this.#head;
    head.reset();
    head.u32(entries + 1);
    head.span(bytes, entriesStart, localsEnd);
    head.u32(f.added), head.byte(I32);
    if (!f.leaf) {
      this.#stackCheck(head, f.frame, f.entryDepth, f.lf);
      head.byte(OP_GLOBAL_GET), head.u32(fuelGlobal), head.byte(OP_I32_CONST), head.byte(1), head.byte(OP_I32_SUB);
      head.byte(OP_LOCAL_TEE), head.u32(f.lf), head.byte(OP_GLOBAL_SET), head.u32(fuelGlobal);
      head.byte(OP_LOCAL_GET), head.u32(f.lf), head.byte(OP_I32_CONST), head.byte(0), head.byte(OP_I32_LE_S);
      head.byte(OP_IF), head.byte(EMPTY_BLOCK), head.byte(OP_CALL), head.u32(fuelFunc);
      if (f.touched) head.byte(OP_LOCAL_TEE), head.u32(f.lf);
      head.byte(OP_GLOBAL_SET), head.u32(fuelGlobal), head.byte(OP_END);
    }
    head.byte(OP_BLOCK);
    head.bytes(wrapperType);
    const mark = out.beginSized();
    out.writer(head);
    const body = this.#body;
    const deferred = this.#deferred;
    if (f.touched && deferred.length > 0) {
      let from = 0;
      for (const at of deferred) {
        out.writerSpan(body, from, at);
        this.#reload(out, f.lf);
        from = at;
      }
      out.writerSpan(body, from, body.length);
    } else {
      out.writer(body);
    }
    out.byte(OP_END);
    if (f.touched) this.#writeBack(out, f.lf);
    if (!f.leaf) this.#epilogue(out, f.entryDepth);
    out.byte(OP_END);
    out.endSized(mark);
  }

  /**
   * $d = depth; depth += F; if depth > max: call stack_overflow; unreachable (a host that returns
   * still stops). `temp` is only a scratch here.
   */
  #stackCheck(w: ByteWriter, frame: number, entryDepth: number, temp: number): void {
    const { depthGlobal, maxStackSize, stackFunc } = this.#ctx;
    w.byte(OP_GLOBAL_GET), w.u32(depthGlobal), w.byte(OP_LOCAL_TEE), w.u32(entryDepth), w.byte(OP_I32_CONST), w.s32(frame), w.byte(OP_I32_ADD);
    w.byte(OP_LOCAL_TEE), w.u32(temp), w.byte(OP_GLOBAL_SET), w.u32(depthGlobal), w.byte(OP_LOCAL_GET), w.u32(temp);
    w.byte(OP_I32_CONST), w.s32(maxStackSize), w.byte(OP_I32_GT_U);
    w.byte(OP_IF), w.byte(EMPTY_BLOCK), w.byte(OP_CALL), w.u32(stackFunc), w.byte(OP_UNREACHABLE), w.byte(OP_END);
  }

  /**
   * depth = $d, the value before this frame was added: the same as depth -= F (callees that
   * returned restored theirs, a catch restored this frame's), without a global read after calls.
   */
  #epilogue(w: ByteWriter, entryDepth: number): void {
    w.byte(OP_LOCAL_GET), w.u32(entryDepth), w.byte(OP_GLOBAL_SET), w.u32(this.#ctx.depthGlobal);
  }

  /** $fuel = $lf, before the host or another frame can look at it. */
  #writeBack(w: ByteWriter, lf: number): void {
    w.byte(OP_LOCAL_GET), w.u32(lf), w.byte(OP_GLOBAL_SET), w.u32(this.#ctx.fuelGlobal);
  }

  /** $lf = $fuel, after a callee or a thrown exception may have used some. */
  #reload(w: ByteWriter, lf: number): void {
    w.byte(OP_GLOBAL_GET), w.u32(this.#ctx.fuelGlobal), w.byte(OP_LOCAL_SET), w.u32(lf);
  }

  /** Header of a rewritten loop: lf -= 1; if lf <= 0, leave to the refill after it (br_if $X). */
  #loopHeader(w: ByteWriter, lf: number): void {
    w.byte(OP_LOCAL_GET), w.u32(lf), w.byte(OP_I32_CONST), w.byte(1), w.byte(OP_I32_SUB), w.byte(OP_LOCAL_TEE), w.u32(lf);
    w.byte(OP_I32_CONST), w.byte(0), w.byte(OP_I32_LE_S), w.byte(OP_BR_IF), w.byte(1);
  }

  /** After a rewritten loop's `end`: results leave by $A; $X's exit refills and re-enters by $R. */
  #loopFooter(w: ByteWriter, lf: number): void {
    w.byte(OP_BR), w.byte(2), w.byte(OP_END);
    this.#writeBack(w, lf);
    w.byte(OP_CALL), w.u32(this.#ctx.fuelFunc), w.byte(OP_I32_CONST), w.byte(1), w.byte(OP_I32_ADD), w.byte(OP_LOCAL_SET), w.u32(lf);
    w.byte(OP_BR), w.byte(0), w.byte(OP_END), w.byte(OP_UNREACHABLE), w.byte(OP_END);
  }

  /** With the new $lf on the stack: local.tee $lf; if <= 0, write back and refill $lf. */
  #refillIfSpent(w: ByteWriter, lf: number): void {
    w.byte(OP_LOCAL_TEE), w.u32(lf), w.byte(OP_I32_CONST), w.byte(0), w.byte(OP_I32_LE_S), w.byte(OP_IF), w.byte(EMPTY_BLOCK);
    this.#writeBack(w, lf);
    w.byte(OP_CALL), w.u32(this.#ctx.fuelFunc), w.byte(OP_LOCAL_SET), w.u32(lf), w.byte(OP_END);
  }

  /** lf -= ticks, refilling when <= 0 (in-place loop tick, grows). */
  #chargeConst(w: ByteWriter, lf: number, ticks: number): void {
    w.byte(OP_LOCAL_GET), w.u32(lf), w.byte(OP_I32_CONST), w.s32(ticks), w.byte(OP_I32_SUB);
    this.#refillIfSpent(w, lf);
  }

  /** Before a bulk op, length on top: lf -= length >> BULK_TICK_SHIFT, refilling when <= 0. */
  #chargeLength(w: ByteWriter, lf: number, scratch: number): void {
    w.byte(OP_LOCAL_TEE), w.u32(scratch), w.byte(OP_LOCAL_GET), w.u32(lf), w.byte(OP_LOCAL_GET), w.u32(scratch);
    w.byte(OP_I32_CONST), w.byte(BULK_TICK_SHIFT), w.byte(OP_I32_SHR_U), w.byte(OP_I32_SUB);
    this.#refillIfSpent(w, lf);
  }

  /**
   * At the start of a catch / catch_all body. $fuel <= 0 or depth > max only while a fuel() or
   * stack_overflow() call is throwing ($lf is written back before every fuel() call), so then the
   * exception is rethrown: a guest cannot catch its own timeout or stack fault. Otherwise depth is
   * restored to this frame's value, $d + F.
   */
  #catchEntry(w: ByteWriter, entryDepth: number, frame: number): void {
    const { fuelGlobal, depthGlobal, maxStackSize } = this.#ctx;
    w.byte(OP_GLOBAL_GET), w.u32(fuelGlobal), w.byte(OP_I32_CONST), w.byte(1), w.byte(OP_I32_LT_S);
    w.byte(OP_GLOBAL_GET), w.u32(depthGlobal), w.byte(OP_I32_CONST), w.s32(maxStackSize), w.byte(OP_I32_GT_U);
    w.byte(OP_I32_OR), w.byte(OP_IF), w.byte(EMPTY_BLOCK), w.byte(OP_RETHROW), w.byte(1), w.byte(OP_END);
    w.byte(OP_LOCAL_GET), w.u32(entryDepth), w.byte(OP_I32_CONST), w.s32(frame), w.byte(OP_I32_ADD), w.byte(OP_GLOBAL_SET), w.u32(depthGlobal);
  }
}
