// Canonical ABI lowering and lifting against one guest memory, for the few fixed types of the
// smg:gateway and smg:storage worlds. Lowering writes strings and lists into memory the guest
// allocates with its `cabi_realloc`, as the component model does. Lifting treats every number read
// from guest memory as hostile: bounds, alignment, UTF-8, discriminants, list lengths and total size
// are all checked, and any violation is a GuestFault('bad-output').
import { GuestFault } from '../../../runtime/index.js';
import { MAX_GUEST_LIST_ENTRIES, MAX_GUEST_RESULT_TEXT_BYTES } from '../output-limits.js';

export type Realloc = (oldPtr: number, oldSize: number, align: number, newSize: number) => number;

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Strings at most this long are written and read byte by byte in JS (cheaper than a native call). */
const SHORT_STRING = 48;

export function badOutput(detail: string): GuestFault {
  return new GuestFault('bad-output', `guest returned invalid output: ${detail}`);
}

export class CanonicalMemory {
  readonly #memory: WebAssembly.Memory;
  readonly #realloc: Realloc | undefined;
  #buffer: ArrayBuffer;
  #u8: Uint8Array;
  #dv: DataView;
  /** Text bytes lifted so far in the current call (see MAX_GUEST_RESULT_TEXT_BYTES). */
  #liftedText = 0;

  constructor(memory: WebAssembly.Memory, realloc: Realloc | undefined) {
    this.#memory = memory;
    this.#realloc = realloc;
    this.#buffer = memory.buffer;
    this.#u8 = new Uint8Array(this.#buffer);
    this.#dv = new DataView(this.#buffer);
  }

  /** Call at the start of each guest call. */
  begin(): void {
    this.#liftedText = 0;
    this.#refresh();
  }

  get byteLength(): number {
    return this.#buffer.byteLength;
  }

  /**
   * Memory views are rebuilt only when the buffer changed: memory.grow detaches the old buffer,
   * whose byteLength then reads 0 (cheaper to test than fetching memory.buffer on every allocation).
   */
  #refresh(): void {
    if (this.#buffer.byteLength === 0 && this.#memory.buffer !== this.#buffer) {
      this.#buffer = this.#memory.buffer;
      this.#u8 = new Uint8Array(this.#buffer);
      this.#dv = new DataView(this.#buffer);
    }
  }

  // ---- lowering (host -> guest) ----

  /** Allocates with the guest's cabi_realloc; the pointer it returns is checked like any guest output. */
  alloc(size: number, align: number): number {
    if (size === 0) return align;
    if (!this.#realloc) throw badOutput('component lowers a string or list but exports no cabi_realloc');
    const ptr = this.#realloc(0, 0, align, size) >>> 0;
    this.#refresh();
    if (ptr % align !== 0 || ptr + size > this.#buffer.byteLength) {
      throw badOutput(`cabi_realloc returned ${ptr} for ${size} bytes (align ${align}, memory ${this.#buffer.byteLength} bytes)`);
    }
    return ptr;
  }

  /** Writes a UTF-8 string; returns its pointer and sets `lastLength`. */
  writeString(s: string): number {
    const n = s.length;
    if (n === 0) {
      this.lastLength = 0;
      return 1;
    }
    if (n <= SHORT_STRING) {
      let ascii = true;
      for (let i = 0; i < n; i++) {
        if (s.charCodeAt(i) > 0x7f) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        const ptr = this.alloc(n, 1);
        const u8 = this.#u8;
        for (let i = 0; i < n; i++) u8[ptr + i] = s.charCodeAt(i);
        this.lastLength = n;
        return ptr;
      }
    }
    const len = Buffer.byteLength(s, 'utf8');
    const ptr = this.alloc(len, 1);
    encoder.encodeInto(s, this.#u8.subarray(ptr, ptr + len));
    this.lastLength = len;
    return ptr;
  }

  /** Length in bytes of the last string written. */
  lastLength = 0;

  writeBytes(bytes: Uint8Array): number {
    const ptr = this.alloc(bytes.byteLength, 1);
    if (bytes.byteLength > 0) this.#u8.set(bytes, ptr);
    return ptr;
  }

  /** Writes a list of {a, b} string pairs (16-byte records, align 4); returns the list pointer. */
  writePairs<T>(items: readonly T[], first: (item: T) => string, second: (item: T) => string): number {
    const n = items.length;
    const base = this.alloc(n * 16, 4);
    for (let i = 0; i < n; i++) {
      const item = items[i]!;
      const ap = this.writeString(first(item));
      const al = this.lastLength;
      const bp = this.writeString(second(item));
      const bl = this.lastLength;
      const dv = this.#dv;
      const at = base + i * 16;
      dv.setUint32(at, ap, true);
      dv.setUint32(at + 4, al, true);
      dv.setUint32(at + 8, bp, true);
      dv.setUint32(at + 12, bl, true);
    }
    return base;
  }

  // ---- lifting (guest -> host) ----

  /** Checks that [ptr, ptr + size) lies in memory and ptr is aligned. */
  check(ptr: number, size: number, align: number, what: string): void {
    if (ptr % align !== 0) throw badOutput(`${what} pointer ${ptr} is not ${align}-byte aligned`);
    if (ptr + size > this.#buffer.byteLength) {
      throw badOutput(`${what} at ${ptr} (${size} bytes) is outside guest memory (${this.#buffer.byteLength} bytes)`);
    }
  }

  u8(ptr: number): number {
    return this.#u8[ptr]!;
  }
  u16(ptr: number): number {
    return this.#dv.getUint16(ptr, true);
  }
  u32(ptr: number): number {
    return this.#dv.getUint32(ptr, true);
  }

  /** Reads a discriminant and checks it is below `cases`. */
  discriminant(ptr: number, cases: number, what: string): number {
    const d = this.#u8[ptr]!;
    if (d >= cases) throw badOutput(`${what} has discriminant ${d} (${cases} cases)`);
    return d;
  }

  /** Lifts a string from a (ptr, len) pair, validating bounds, UTF-8 and the per-call text budget. */
  readString(ptr: number, len: number, what: string): string {
    if (len === 0) return '';
    this.#chargeText(len, what);
    this.check(ptr, len, 1, what);
    const u8 = this.#u8;
    if (len <= SHORT_STRING) {
      let s = '';
      let i = 0;
      for (; i < len; i++) {
        const b = u8[ptr + i]!;
        if (b > 0x7f) break;
        s += String.fromCharCode(b);
      }
      if (i === len) return s;
    }
    try {
      return strictUtf8.decode(u8.subarray(ptr, ptr + len));
    } catch {
      throw badOutput(`${what} is not valid UTF-8`);
    }
  }

  /** Copies a byte list out of guest memory. `limit` caps its length (e.g. max_body_size). */
  readBytes(ptr: number, len: number, limit: number, what: string): Uint8Array {
    if (len > limit) throw badOutput(`${what} is ${len} bytes, more than the ${limit}-byte limit`);
    if (len === 0) return new Uint8Array(0);
    this.check(ptr, len, 1, what);
    return this.#u8.slice(ptr, ptr + len);
  }

  /** Lifts a list<{a: string, b: string}> (16-byte records). */
  readPairs<T>(ptr: number, len: number, what: string, make: (a: string, b: string) => T): T[] {
    if (len === 0) return [];
    if (len > MAX_GUEST_LIST_ENTRIES) throw badOutput(`${what} has ${len} entries (limit ${MAX_GUEST_LIST_ENTRIES})`);
    this.check(ptr, len * 16, 4, what);
    const out = new Array<T>(len);
    for (let i = 0; i < len; i++) {
      const at = ptr + i * 16;
      const a = this.readString(this.u32(at), this.u32(at + 4), `${what}[${i}] name`);
      const b = this.readString(this.u32(at + 8), this.u32(at + 12), `${what}[${i}] value`);
      out[i] = make(a, b);
    }
    return out;
  }

  /** Lifts a list<string>. */
  readStrings(ptr: number, len: number, what: string): string[] {
    if (len === 0) return [];
    if (len > MAX_GUEST_LIST_ENTRIES) throw badOutput(`${what} has ${len} entries (limit ${MAX_GUEST_LIST_ENTRIES})`);
    this.check(ptr, len * 8, 4, what);
    const out = new Array<string>(len);
    for (let i = 0; i < len; i++) out[i] = this.readString(this.u32(ptr + i * 8), this.u32(ptr + i * 8 + 4), `${what}[${i}]`);
    return out;
  }

  #chargeText(len: number, what: string): void {
    this.#liftedText += len;
    if (this.#liftedText > MAX_GUEST_RESULT_TEXT_BYTES) {
      throw badOutput(`${what}: result text exceeds ${MAX_GUEST_RESULT_TEXT_BYTES} bytes in total`);
    }
  }
}
