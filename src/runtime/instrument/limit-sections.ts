// Table and memory sections: every table and memory the module defines gets a maximum no larger
// than the configured cap, so `table.grow` / `memory.grow` past it return -1. Imported tables and
// memories are left alone (their limits are the exporter's business).
import { WasmgateError } from '../../errors.js';
import { ByteReader, hex, invalidAt, unsupportedAt } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { skipValType } from './opcode-immediates.js';

const HAS_MAX = 0x01;
const SHARED = 0x02;
const MEMORY64 = 0x04;

interface Limits {
  flags: number;
  min: number;
  max: number | undefined;
}

function readLimits(r: ByteReader, what: 'memory' | 'table'): Limits {
  const at = r.pos;
  const flags = r.u8();
  const allowed = what === 'memory' ? HAS_MAX | SHARED : HAS_MAX;
  if (flags & MEMORY64) throw unsupportedAt(at, `64-bit ${what} (limits flags ${hex(flags)})`);
  if (flags & ~allowed) throw unsupportedAt(at, `${what} limits flags ${hex(flags)}`);
  if (flags & SHARED && !(flags & HAS_MAX)) throw invalidAt(at, 'shared memory without a maximum');
  const min = r.u32();
  const max = flags & HAS_MAX ? r.u32() : undefined;
  return { flags, min, max };
}

function writeCapped(w: ByteWriter, limits: Limits, cap: number): void {
  w.byte(HAS_MAX | (limits.flags & SHARED));
  w.u32(limits.min);
  w.u32(Math.min(limits.max ?? Number.POSITIVE_INFINITY, cap));
}

export function rewriteMemorySection(bytes: Uint8Array, start: number, end: number, maxPages: number, w: ByteWriter): void {
  const r = new ByteReader(bytes, start, end);
  const n = r.count(2);
  w.u32(n);
  for (let i = 0; i < n; i++) {
    const limits = readLimits(r, 'memory');
    if (limits.min > maxPages) {
      throw new WasmgateError(
        'WG_ERR_MODULE_OVER_LIMIT',
        `module declares ${limits.min} initial memory pages; max_memory_pages is ${maxPages}`,
      );
    }
    writeCapped(w, limits, maxPages);
  }
  if (!r.atEnd()) throw invalidAt(r.pos, 'memory section has bytes after its last entry');
}

export function rewriteTableSection(bytes: Uint8Array, start: number, end: number, maxElements: number, w: ByteWriter): void {
  const r = new ByteReader(bytes, start, end);
  const n = r.count(3);
  w.u32(n);
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    if (bytes[at] === 0x40) throw unsupportedAt(at, 'table with an initialiser expression');
    skipValType(r);
    w.span(bytes, at, r.pos);
    const limits = readLimits(r, 'table');
    if (limits.min > maxElements) {
      throw new WasmgateError(
        'WG_ERR_MODULE_OVER_LIMIT',
        `module declares a table of ${limits.min} initial elements; the limit is ${maxElements}`,
      );
    }
    writeCapped(w, limits, maxElements);
  }
  if (!r.atEnd()) throw invalidAt(r.pos, 'table section has bytes after its last entry');
}
