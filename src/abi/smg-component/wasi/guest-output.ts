// Where a guest's stdout and stderr go: to the log, one event per line, tagged with the module name.
// Capped per call, so a guest printing 1 GB costs the host a bounded amount of memory and log
// volume: past the budget bytes are only counted, and one note with the count is logged when the
// call ends.
import type { ComponentLog } from '../component/component-log.js';
import { MAX_GUEST_LINE_BYTES, MAX_GUEST_OUTPUT_BYTES_PER_CALL } from '../output-limits.js';

export type GuestStreamName = 'stdout' | 'stderr';

const decoder = new TextDecoder();

class LineBuffer {
  #chunks: Uint8Array[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(bytes: Uint8Array): void {
    this.#chunks.push(bytes);
    this.#length += bytes.byteLength;
  }

  take(): string {
    const joined = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
    this.#chunks = [];
    this.#length = 0;
    return decoder.decode(joined);
  }
}

export class GuestOutput {
  readonly #module: string;
  readonly #log: ComponentLog;
  readonly #lines: Record<GuestStreamName, LineBuffer> = { stdout: new LineBuffer(), stderr: new LineBuffer() };
  #budget = MAX_GUEST_OUTPUT_BYTES_PER_CALL;
  #dropped: Record<GuestStreamName, number> = { stdout: 0, stderr: 0 };

  constructor(module: string, log: ComponentLog) {
    this.#module = module;
    this.#log = log;
  }

  /** Takes bytes the guest wrote; never holds more than one line (at most MAX_GUEST_LINE_BYTES). */
  write(stream: GuestStreamName, bytes: Uint8Array): void {
    let rest = bytes;
    if (rest.byteLength > this.#budget) {
      this.#dropped[stream] += rest.byteLength - this.#budget;
      rest = rest.subarray(0, this.#budget);
    }
    this.#budget -= rest.byteLength;
    const lines = this.#lines[stream];
    while (rest.byteLength > 0) {
      const newline = rest.indexOf(10);
      const room = MAX_GUEST_LINE_BYTES - lines.length;
      if (newline !== -1 && newline <= room) {
        lines.push(rest.slice(0, newline));
        this.#emit(stream, lines.take(), false);
        rest = rest.subarray(newline + 1);
      } else if (rest.byteLength >= room) {
        lines.push(rest.slice(0, room));
        this.#emit(stream, lines.take(), true);
        rest = rest.subarray(room);
      } else {
        lines.push(rest.slice());
        rest = rest.subarray(rest.byteLength);
      }
    }
  }

  /** Called when a guest call ends: logs a partial last line and any truncation, resets the budget. */
  endCall(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.#lines[stream].length > 0) this.#emit(stream, this.#lines[stream].take(), false);
      if (this.#dropped[stream] > 0) {
        this.#log('guest.output-truncated', {
          module: this.#module,
          stream,
          droppedBytes: this.#dropped[stream],
          limitBytes: MAX_GUEST_OUTPUT_BYTES_PER_CALL,
        });
        this.#dropped[stream] = 0;
      }
    }
    this.#budget = MAX_GUEST_OUTPUT_BYTES_PER_CALL;
  }

  #emit(stream: GuestStreamName, line: string, split: boolean): void {
    this.#log(`guest.${stream}`, split ? { module: this.#module, line, split: true } : { module: this.#module, line });
  }
}
