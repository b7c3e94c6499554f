// The module-level facts the rewriter needs before it emits anything: where each section is,
// the function types, how many functions and globals are imported, and the type of each defined
// function. Reading these first lets the type section gain the types the code section will use.
import { WasmgateError } from '../../errors.js';
import { ByteReader, hex, invalidAt, unsupportedAt } from './byte-reader.js';
import { skipValType } from './opcode-immediates.js';
import { LIMITS_IMPORT_MODULE } from './limit-hooks.js';

export const SEC_CUSTOM = 0;
export const SEC_TYPE = 1;
export const SEC_IMPORT = 2;
export const SEC_FUNCTION = 3;
export const SEC_TABLE = 4;
export const SEC_MEMORY = 5;
export const SEC_GLOBAL = 6;
export const SEC_EXPORT = 7;
export const SEC_START = 8;
export const SEC_ELEMENT = 9;
export const SEC_CODE = 10;
export const SEC_DATA = 11;
export const SEC_DATACOUNT = 12;
export const SEC_TAG = 13;

/** Position of each known section id in the required order (the tag section sits before globals). */
export const SECTION_RANK: readonly number[] = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 11, 6];

export interface Section {
  readonly id: number;
  /** Offset of the id byte. */
  readonly headerStart: number;
  /** Payload [start, end). */
  readonly start: number;
  readonly end: number;
}

export interface FuncType {
  readonly params: number;
  readonly results: number;
  /** Offset of the result value types in the input ([resultStart, resultEnd)). */
  readonly resultStart: number;
  readonly resultEnd: number;
  /** Encoded param vector (count + value types) as a latin1 string, to find identical types. */
  readonly paramsKey: string;
  /** Encoded result vector, likewise. */
  readonly resultsKey: string;
}

export interface ModuleInfo {
  readonly sections: readonly Section[];
  readonly types: readonly FuncType[];
  readonly importedFuncs: number;
  readonly importedGlobals: number;
  readonly definedGlobals: number;
  /** Type index of each defined function. */
  readonly funcTypes: Uint32Array;
}

/** Checks the preamble: a core module (version 1, layer 0), not a component or anything else. */
export function checkPreamble(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new WasmgateError('WG_ERR_MODULE_INVALID', 'module is empty (0 bytes)');
  if (bytes.length < 8) throw invalidAt(bytes.length, `module ends inside the 8-byte preamble (${bytes.length} bytes)`);
  if (bytes[0] !== 0x00 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw invalidAt(0, 'missing the \\0asm magic bytes');
  }
  const version = bytes[4]! | (bytes[5]! << 8);
  const layer = bytes[6]! | (bytes[7]! << 8);
  if (layer === 1) {
    throw new WasmgateError(
      'WG_ERR_MODULE_INVALID',
      'module is a WebAssembly component (layer 1 at byte offset 6), not a core module: instrument the core modules inside it',
    );
  }
  if (version !== 1 || layer !== 0) throw invalidAt(4, `unknown WebAssembly version ${version} / layer ${layer}`);
}

/** Lists the sections, checking sizes against the bytes left and the order of known sections. */
export function scanSections(bytes: Uint8Array): Section[] {
  const r = new ByteReader(bytes, 8);
  const sections: Section[] = [];
  let lastRank = 0;
  while (!r.atEnd()) {
    const headerStart = r.pos;
    const id = r.u8();
    if (id > SEC_TAG) throw unsupportedAt(headerStart, `unknown section id ${id}`);
    const size = r.u32();
    if (size > r.remaining) throw invalidAt(headerStart, `section ${id} of ${size} bytes extends past the end of the module`);
    if (id !== SEC_CUSTOM) {
      const rank = SECTION_RANK[id]!;
      if (rank <= lastRank) throw invalidAt(headerStart, `section ${id} is duplicated or out of order`);
      lastRank = rank;
    }
    sections.push({ id, headerStart, start: r.pos, end: r.pos + size });
    r.pos += size;
  }
  return sections;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

function readTypes(bytes: Uint8Array, s: Section | undefined): FuncType[] {
  if (!s) return [];
  const r = new ByteReader(bytes, s.start, s.end);
  const n = r.count(3);
  const types: FuncType[] = [];
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const form = r.u8();
    if (form !== 0x60) throw unsupportedAt(at, `type form ${hex(form)} (only function types are supported)`);
    const paramStart = r.pos;
    const params = r.count(1);
    for (let j = 0; j < params; j++) skipValType(r);
    const resultCountStart = r.pos;
    const results = r.count(1);
    const resultStart = r.pos;
    for (let j = 0; j < results; j++) skipValType(r);
    const paramsKey = latin1(bytes, paramStart, resultCountStart);
    const resultsKey = latin1(bytes, resultCountStart, r.pos);
    types.push({ params, results, resultStart, resultEnd: r.pos, paramsKey, resultsKey });
  }
  if (!r.atEnd()) throw invalidAt(r.pos, 'type section has bytes after its last entry');
  return types;
}

/** Skips table or memory limits: flags, min and (if flagged) max; 64-bit limits are LEB u64. */
export function skipLimits(r: ByteReader): void {
  const flags = r.u8();
  const width = flags & 0x04 ? 10 : 5;
  r.skipLeb(width);
  if (flags & 0x01) r.skipLeb(width);
}

interface ImportCounts {
  funcs: number;
  globals: number;
}

function countImports(bytes: Uint8Array, s: Section | undefined): ImportCounts {
  const counts = { funcs: 0, globals: 0 };
  if (!s) return counts;
  const r = new ByteReader(bytes, s.start, s.end);
  const n = r.count(4);
  const reserved = new TextEncoder().encode(LIMITS_IMPORT_MODULE);
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const moduleName = r.name();
    r.name();
    if (moduleName.length === reserved.length && moduleName.every((b, j) => b === reserved[j])) {
      throw new WasmgateError('WG_ERR_MODULE_INVALID', `module imports from "${LIMITS_IMPORT_MODULE}" (byte offset ${at}), a namespace reserved for wasmgate's limit hooks`);
    }
    const kindAt = r.pos;
    const kind = r.u8();
    if (kind === 0) {
      r.skipLeb(5);
      counts.funcs++;
    } else if (kind === 1) {
      skipValType(r);
      skipLimits(r);
    } else if (kind === 2) {
      skipLimits(r);
    } else if (kind === 3) {
      skipValType(r);
      r.u8();
      counts.globals++;
    } else if (kind === 4) {
      r.u8();
      r.skipLeb(5);
    } else {
      throw unsupportedAt(kindAt, `import kind ${hex(kind)}`);
    }
  }
  if (!r.atEnd()) throw invalidAt(r.pos, 'import section has bytes after its last entry');
  return counts;
}

function readFunctionTypes(bytes: Uint8Array, s: Section | undefined, typeCount: number): Uint32Array {
  if (!s) return new Uint32Array(0);
  const r = new ByteReader(bytes, s.start, s.end);
  const n = r.count(1);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    const t = r.u32();
    if (t >= typeCount) throw invalidAt(at, `function ${i} has type index ${t}, but there are ${typeCount} types`);
    out[i] = t;
  }
  if (!r.atEnd()) throw invalidAt(r.pos, 'function section has bytes after its last entry');
  return out;
}

function countOf(bytes: Uint8Array, s: Section | undefined): number {
  return s ? new ByteReader(bytes, s.start, s.end).count(1) : 0;
}

export function readModuleInfo(bytes: Uint8Array): ModuleInfo {
  const sections = scanSections(bytes);
  const find = (id: number): Section | undefined => sections.find((s) => s.id === id);
  const types = readTypes(bytes, find(SEC_TYPE));
  const imports = countImports(bytes, find(SEC_IMPORT));
  return {
    sections,
    types,
    importedFuncs: imports.funcs,
    importedGlobals: imports.globals,
    definedGlobals: countOf(bytes, find(SEC_GLOBAL)),
    funcTypes: readFunctionTypes(bytes, find(SEC_FUNCTION), types.length),
  };
}
