// Splits a byte stream into frames: u32 big-endian length, then that many bytes. Bytes are copied
// at most once (chunks are only joined when a frame spans them), and a length over the limit is
// rejected as soon as its 4 bytes arrive, before any of the body is buffered.
import { WasmgateError } from '../errors.js';

/** v1: JSON bytes after the length. A frame of exactly this size is allowed. */
export const V1_MAX_FRAME_BYTES = 10 * 1024 * 1024;
/** v2: type byte + payload after the length. */
export const V2_MAX_FRAME_BYTES = 16 * 1024 * 1024;

const HEADER_BYTES = 4;

export type FrameErrorReason = 'frame-empty' | 'frame-too-large';

/** A framing error: the stream cannot be resynchronised, so the connection must be closed. */
export class FrameError extends WasmgateError {
  readonly reason: FrameErrorReason;

  constructor(reason: FrameErrorReason, detail: string) {
    super('WG_ERR_SENTINEL_FRAME', detail);
    this.reason = reason;
  }
}

export class FrameReader {
  #chunks: Buffer[] = [];
  #buffered = 0;
  /** Body length of the frame being read, once its header has been consumed. */
  #expected: number | undefined;
  maxLength: number;

  constructor(maxLength: number) {
    this.maxLength = maxLength;
  }

  /** Bytes received that do not yet form a complete frame. */
  get pendingBytes(): number {
    return this.#buffered + (this.#expected === undefined ? 0 : HEADER_BYTES);
  }

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
  }

  /** The first `n` buffered bytes without consuming them, or undefined if fewer are buffered. */
  peek(n: number): Buffer | undefined {
    if (this.#buffered < n) return undefined;
    const first = this.#chunks[0] as Buffer;
    return first.length >= n ? first.subarray(0, n) : Buffer.concat(this.#chunks, this.#buffered).subarray(0, n);
  }

  /** The next complete frame body, or undefined until more bytes arrive. Throws FrameError. */
  next(): Buffer | undefined {
    if (this.#expected === undefined) {
      if (this.#buffered < HEADER_BYTES) return undefined;
      const length = this.#take(HEADER_BYTES).readUInt32BE(0);
      if (length === 0) throw new FrameError('frame-empty', 'frame length is 0');
      if (length > this.maxLength) {
        throw new FrameError('frame-too-large', `frame length ${length} exceeds the limit of ${this.maxLength} bytes`);
      }
      this.#expected = length;
    }
    if (this.#buffered < this.#expected) return undefined;
    const body = this.#take(this.#expected);
    this.#expected = undefined;
    return body;
  }

  #take(n: number): Buffer {
    this.#buffered -= n;
    const first = this.#chunks[0] as Buffer;
    if (first.length > n) {
      this.#chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    if (first.length === n) {
      this.#chunks.shift();
      return first;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const chunk = this.#chunks[0] as Buffer;
      const used = Math.min(chunk.length, n - filled);
      chunk.copy(out, filled, 0, used);
      filled += used;
      if (used === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(used);
    }
    return out;
  }
}
