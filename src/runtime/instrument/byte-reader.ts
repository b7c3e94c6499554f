// Bounds-checked reading of a WebAssembly binary: bytes, names and LEB128 integers.
// Every read checks the bytes left before the section end, so garbage input ends in a
// WG_ERR_MODULE_INVALID naming the byte offset, never in an endless loop or a huge allocation.
// LEB lengths match the spec (and V8): u32/s32/s33 at most 5 bytes, s64 at most 10, so the
// rewriter never reads an immediate differently from the engine that compiles the result.
import { WasmgateError } from '../../errors.js';

export function invalidAt(offset: number, what: string): WasmgateError {
  return new WasmgateError('WG_ERR_MODULE_INVALID', `malformed module at byte offset ${offset}: ${what}`);
}

export function unsupportedAt(offset: number, what: string): WasmgateError {
  return new WasmgateError('WG_ERR_MODULE_UNSUPPORTED', `module uses ${what} at byte offset ${offset}, which wasmgate cannot instrument`);
}

export function hex(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

export class ByteReader {
  readonly bytes: Uint8Array;
  pos: number;
  /** Exclusive end of the region being read (a section or a function body). */
  end: number;

  constructor(bytes: Uint8Array, pos = 0, end = bytes.length) {
    this.bytes = bytes;
    this.pos = pos;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    if (this.pos >= this.end) throw invalidAt(this.pos, 'unexpected end of section');
    return this.bytes[this.pos++]!;
  }

  /** Skips `n` bytes after checking they exist. */
  skip(n: number): void {
    if (n > this.end - this.pos) throw invalidAt(this.pos, `${n} bytes expected, ${this.end - this.pos} left`);
    this.pos += n;
  }

  u32(): number {
    const start = this.pos;
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw invalidAt(this.pos, 'unexpected end of section inside a LEB128 integer');
      const b = this.bytes[this.pos++]!;
      if (shift === 28) {
        if ((b & 0xf0) !== 0) throw invalidAt(start, 'u32 LEB128 integer too long or out of range');
        return (result | (b << 28)) >>> 0;
      }
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  }

  /** Signed LEB128 of at most `bits` bits (32 or 33), as a JS number. */
  signed(bits: 32 | 33): number {
    const start = this.pos;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) throw invalidAt(this.pos, 'unexpected end of section inside a LEB128 integer');
      const b = this.bytes[this.pos++]!;
      result += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) {
        if (b & 0x40) result -= mul;
        if (result < -(2 ** (bits - 1)) || result >= 2 ** (bits - 1)) break;
        return result;
      }
    }
    throw invalidAt(start, `s${bits} LEB128 integer too long or out of range`);
  }

  s32(): number {
    return this.signed(32);
  }

  s33(): number {
    return this.signed(33);
  }

  s64(): bigint {
    const start = this.pos;
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw invalidAt(this.pos, 'unexpected end of section inside a LEB128 integer');
      const b = this.bytes[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) {
        if (b & 0x40) result -= 1n << shift;
        return BigInt.asIntN(64, result);
      }
    }
    throw invalidAt(start, 's64 LEB128 integer too long');
  }

  /** Skips a LEB128 integer of at most `maxBytes` bytes without decoding it (hot path). */
  skipLeb(maxBytes: number): void {
    const start = this.pos;
    const limit = Math.min(this.end, start + maxBytes);
    let p = start;
    while (p < limit) {
      if ((this.bytes[p++]! & 0x80) === 0) {
        this.pos = p;
        return;
      }
    }
    throw invalidAt(start, p >= this.end ? 'unexpected end of section inside a LEB128 integer' : 'LEB128 integer too long');
  }

  /** A vector length whose items take at least `minItemBytes` each: refuses counts the bytes cannot hold. */
  count(minItemBytes = 1): number {
    const at = this.pos;
    const n = this.u32();
    if (n * minItemBytes > this.end - this.pos) {
      throw invalidAt(at, `vector of ${n} items does not fit in the ${this.end - this.pos} bytes left`);
    }
    return n;
  }

  /** Skips a name (u32 length + UTF-8 bytes) and returns its bytes. */
  name(): Uint8Array {
    const n = this.u32();
    const start = this.pos;
    this.skip(n);
    return this.bytes.subarray(start, start + n);
  }
}
