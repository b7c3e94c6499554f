// Rewrites a core module so its limits hold in-process (see rewrite-function.ts for the code
// changes): memories and tables capped, two limit-hook imports and two globals added, every
// function body instrumented, everything else copied byte for byte. One pass over the sections
// after a short scan of the headers; linear in the module size.
//
// The result is checked with WebAssembly.validate, and so is the input: an invalid input must not
// come out valid (e.g. a `global.set` one past the last global would otherwise reach `$fuel`).
import { WasmgateError, describeError } from '../../errors.js';
import { ByteReader, invalidAt } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import {
  rewriteElementSection,
  rewriteExportSection,
  rewriteStartSection,
  writeGlobalSection,
  writeImportSection,
  type FuncRemap,
} from './index-sections.js';
import type { InstrumentOptions, InstrumentStats } from './limit-hooks.js';
import { rewriteMemorySection, rewriteTableSection } from './limit-sections.js';
import * as sec from './module-sections.js';
import { rewriteNameSection } from './name-section.js';
import { FunctionRewriter, type CodeCounters } from './rewrite-function.js';

const FUEL_TYPE = { paramsKey: '\x00', resultsKey: '\x01\x7f' };
const STACK_TYPE = { paramsKey: '\x00', resultsKey: '\x00' };
const FUNC_FORM = 0x60;
const EMPTY_BLOCK = Uint8Array.of(0x40);

/** The type section as it will be written: existing types plus the ones the rewrite needs. */
class TypePlan {
  readonly #info: sec.ModuleInfo;
  readonly #byKey = new Map<string, number>();
  readonly added: string[] = [];
  readonly #wrapper = new Map<number, Uint8Array>();

  constructor(info: sec.ModuleInfo, bytes: Uint8Array) {
    this.#info = info;
    info.types.forEach((t, i) => {
      const key = t.paramsKey + t.resultsKey;
      if (!this.#byKey.has(key)) this.#byKey.set(key, i);
    });
    for (const typeIndex of new Set(info.funcTypes)) this.#wrapper.set(typeIndex, this.#blockTypeOf(typeIndex, bytes));
  }

  /** Index of the type `params -> results`, appending it if no identical type exists. */
  indexOf(paramsKey: string, resultsKey: string): number {
    const key = paramsKey + resultsKey;
    let index = this.#byKey.get(key);
    if (index === undefined) {
      index = this.#info.types.length + this.added.length;
      this.added.push(key);
      this.#byKey.set(key, index);
    }
    return index;
  }

  /** Encoded block type of the wrapper around a body of type `typeIndex`: [] -> its results. */
  wrapperOf(typeIndex: number): Uint8Array {
    return this.#wrapper.get(typeIndex)!;
  }

  #blockTypeOf(typeIndex: number, bytes: Uint8Array): Uint8Array {
    const t = this.#info.types[typeIndex]!;
    if (t.results === 0) return EMPTY_BLOCK;
    if (t.results === 1) return bytes.slice(t.resultStart, t.resultEnd);
    const w = new ByteWriter(8);
    w.s33(this.indexOf('\x00', t.resultsKey));
    return w.toBytes();
  }

  write(bytes: Uint8Array, span: sec.Section | undefined, w: ByteWriter): void {
    const count = this.#info.types.length + this.added.length;
    w.u32(count);
    if (span) {
      const r = new ByteReader(bytes, span.start, span.end);
      r.u32();
      w.span(bytes, r.pos, span.end);
    }
    for (const key of this.added) {
      w.byte(FUNC_FORM);
      w.bytes(Buffer.from(key, 'latin1'));
    }
  }
}

function customName(bytes: Uint8Array, s: sec.Section): { name: string; payload: number } {
  const r = new ByteReader(bytes, s.start, s.end);
  const name = Buffer.from(r.name()).toString('utf8');
  return { name, payload: r.pos };
}

/** The rewrite alone, without validation; exported for tests that feed it garbage. */
export function rewriteModule(bytes: Uint8Array, options: InstrumentOptions): { bytes: Uint8Array; stats: InstrumentStats } {
  sec.checkPreamble(bytes);
  const info = sec.readModuleInfo(bytes);
  const types = new TypePlan(info, bytes);
  const fuelType = types.indexOf(FUEL_TYPE.paramsKey, FUEL_TYPE.resultsKey);
  const stackType = types.indexOf(STACK_TYPE.paramsKey, STACK_TYPE.resultsKey);
  const firstAdded = info.importedFuncs;
  const remap: FuncRemap = (i) => (i >= firstAdded ? i + 2 : i);
  const counters: CodeCounters = { functions: 0, loops: 0, calls: 0 };
  const code = new FunctionRewriter(
    {
      importedFuncs: firstAdded,
      fuelFunc: firstAdded,
      stackFunc: firstAdded + 1,
      fuelGlobal: info.importedGlobals + info.definedGlobals,
      depthGlobal: info.importedGlobals + info.definedGlobals + 1,
      maxStackSize: options.maxStackSize,
      types: info.types,
    },
    counters,
  );

  const out = new ByteWriter(Math.ceil(bytes.length * 1.25) + 256);
  out.span(bytes, 0, 8);
  const find = (id: number): sec.Section | undefined => info.sections.find((s) => s.id === id);
  const emit = (id: number, s: sec.Section | undefined): void => {
    out.byte(id);
    const mark = out.beginSized();
    writeSection(id, s);
    out.endSized(mark);
  };
  const writeSection = (id: number, s: sec.Section | undefined): void => {
    const { start = 0, end = 0 } = s ?? {};
    switch (id) {
      case sec.SEC_TYPE:
        return types.write(bytes, s, out);
      case sec.SEC_IMPORT:
        return writeImportSection(bytes, s, fuelType, stackType, out);
      case sec.SEC_TABLE:
        return rewriteTableSection(bytes, start, end, options.maxTableElements, out);
      case sec.SEC_MEMORY:
        return rewriteMemorySection(bytes, start, end, options.maxMemoryPages, out);
      case sec.SEC_GLOBAL:
        return writeGlobalSection(bytes, s, remap, out);
      case sec.SEC_EXPORT:
        return rewriteExportSection(bytes, start, end, remap, out);
      case sec.SEC_START:
        return rewriteStartSection(bytes, start, end, remap, out);
      case sec.SEC_ELEMENT:
        return rewriteElementSection(bytes, start, end, remap, out);
      case sec.SEC_CODE:
        return rewriteCodeSection(bytes, start, end, info, types, code, out);
      default:
        return out.span(bytes, start, end);
    }
  };

  // Sections the rewrite needs even when the module has none, in the order they must appear.
  const missing = [sec.SEC_TYPE, sec.SEC_IMPORT, sec.SEC_GLOBAL].filter((id) => !find(id));
  for (const s of info.sections) {
    if (s.id === sec.SEC_CUSTOM) {
      const { name, payload } = customName(bytes, s);
      if (name === 'name') {
        out.byte(sec.SEC_CUSTOM);
        const mark = out.beginSized();
        out.span(bytes, s.start, payload);
        const kept = rewriteNameSection(bytes, payload, s.end, remap, firstAdded, out);
        if (kept) out.endSized(mark);
        else out.length = mark - 6;
      } else {
        out.span(bytes, s.headerStart, s.end);
      }
      continue;
    }
    while (missing.length > 0 && sec.SECTION_RANK[missing[0]!]! < sec.SECTION_RANK[s.id]!) emit(missing.shift()!, undefined);
    emit(s.id, s);
  }
  for (const id of missing) emit(id, undefined);

  const result = out.toBytes();
  return {
    bytes: result,
    stats: { ...counters, bytesIn: bytes.length, bytesOut: result.length },
  };
}

function rewriteCodeSection(
  bytes: Uint8Array,
  start: number,
  end: number,
  info: sec.ModuleInfo,
  types: TypePlan,
  code: FunctionRewriter,
  out: ByteWriter,
): void {
  const r = new ByteReader(bytes, start, end);
  const at = r.pos;
  const n = r.count(2);
  if (n !== info.funcTypes.length) {
    throw invalidAt(at, `code section has ${n} bodies but the function section declares ${info.funcTypes.length}`);
  }
  out.u32(n);
  for (let i = 0; i < n; i++) {
    const size = r.u32();
    const bodyStart = r.pos;
    r.skip(size);
    const typeIndex = info.funcTypes[i]!;
    code.rewrite(bytes, bodyStart, bodyStart + size, info.types[typeIndex]!, types.wrapperOf(typeIndex), out);
  }
  if (!r.atEnd()) throw invalidAt(r.pos, 'code section has bytes after its last body');
}

function compileError(bytes: Uint8Array): string {
  try {
    new WebAssembly.Module(bytes);
    return 'the engine accepted it when compiled';
  } catch (err) {
    return describeError(err);
  }
}

/** Rewrites `bytes`; throws WG_ERR_MODULE_* for bad input, WG_ERR_INTERNAL_BUG if the rewrite is at fault. */
export function instrumentModule(bytes: Uint8Array, options: InstrumentOptions): { bytes: Uint8Array; stats: InstrumentStats } {
  const result = rewriteModule(bytes, options);
  const outputValid = WebAssembly.validate(result.bytes);
  if (!WebAssembly.validate(bytes)) {
    throw new WasmgateError('WG_ERR_MODULE_INVALID', `module is not valid WebAssembly: ${compileError(bytes)}`);
  }
  if (!outputValid) {
    throw new WasmgateError('WG_ERR_INTERNAL_BUG', `instrumented module does not validate: ${compileError(result.bytes)}`);
  }
  return result;
}
