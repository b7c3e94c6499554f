// A growable byte buffer with LEB128 emitters. The rewriter appends into one of these instead of
// building arrays of numbers, and copies unchanged input spans with a single `set`.

export class ByteWriter {
  #buf: Uint8Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.#buf = new Uint8Array(Math.max(16, initialCapacity));
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    const needed = this.length + n;
    if (needed <= this.#buf.length) return;
    let cap = this.#buf.length * 2;
    while (cap < needed) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.#buf.subarray(0, this.length));
    this.#buf = next;
  }

  reset(): void {
    this.length = 0;
  }

  byte(b: number): void {
    if (this.length >= this.#buf.length) this.reserve(1);
    this.#buf[this.length++] = b;
  }

  /** Appends src[start, end). */
  span(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (n <= 0) return;
    this.reserve(n);
    this.#buf.set(src.subarray(start, end), this.length);
    this.length += n;
  }

  bytes(src: Uint8Array): void {
    this.span(src, 0, src.length);
  }

  writer(other: ByteWriter): void {
    this.span(other.#buf, 0, other.length);
  }

  /** Appends bytes [start, end) of what `other` has written. */
  writerSpan(other: ByteWriter, start: number, end: number): void {
    this.span(other.#buf, start, Math.min(end, other.length));
  }

  u32(value: number): void {
    this.reserve(5);
    let v = value >>> 0;
    for (;;) {
      const b = v & 0x7f;
      v >>>= 7;
      if (v === 0) {
        this.#buf[this.length++] = b;
        return;
      }
      this.#buf[this.length++] = b | 0x80;
    }
  }

  /** Signed LEB128 of a safe integer; covers s32 and s33 (block type indices). */
  signed(value: number): void {
    this.reserve(10);
    let v = value;
    for (;;) {
      const b = v & 0x7f; // two's complement low 7 bits, also for negatives
      v = Math.floor(v / 128);
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.#buf[this.length++] = done ? b : b | 0x80;
      if (done) return;
    }
  }

  s32(value: number): void {
    this.signed(value | 0);
  }

  s33(value: number): void {
    this.signed(value);
  }

  s64(value: bigint): void {
    this.reserve(10);
    let v = BigInt.asIntN(64, value);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.#buf[this.length++] = done ? b : b | 0x80;
      if (done) return;
    }
  }

  /** Starts a length-prefixed region (a section or a body); finish it with `endSized`. */
  beginSized(): number {
    this.reserve(5);
    this.length += 5;
    return this.length;
  }

  /** Writes the minimal u32 length of the region started at `mark`, moving its bytes back. */
  endSized(mark: number): void {
    const size = this.length - mark;
    const lebBytes = size < 1 << 7 ? 1 : size < 1 << 14 ? 2 : size < 1 << 21 ? 3 : size < 1 << 28 ? 4 : 5;
    const at = mark - 5;
    this.#buf.copyWithin(at + lebBytes, mark, this.length);
    this.length = at;
    this.u32(size);
    this.length = at + lebBytes + size;
  }

  /** A copy of the written bytes, in a buffer of exactly that size (transferable). */
  toBytes(): Uint8Array {
    return this.#buf.slice(0, this.length);
  }
}
