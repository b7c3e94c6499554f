// wasi:io (error, poll, streams) for a guest that runs synchronously inside one host call.
// Nothing here ever blocks the event loop: a pollable is either ready or the guest traps when it
// tries to wait on it (a middleware call has no business sleeping).
//
// Errors for WIT `result` returns are thrown as `{ payload }` objects (jco's glue lowers the payload
// as the `err` case); anything thrown that is an Error becomes a trap.
import { GuestFault } from '../../../runtime/index.js';

export class IoError {
  readonly #message: string;
  constructor(message: string) {
    this.#message = message;
  }
  toDebugString(): string {
    return this.#message;
  }
}

/** The `err` case of a WIT result, as jco's glue expects it thrown. */
export function wasiError(payload: unknown): { payload: unknown } {
  return { payload };
}

const monotonicNow = (): bigint => process.hrtime.bigint();

/** Ready now, or at a monotonic instant (ns). */
export class Pollable {
  readonly #readyAt: bigint;
  constructor(readyAt = 0n) {
    this.#readyAt = readyAt;
  }
  ready(): boolean {
    return monotonicNow() >= this.#readyAt;
  }
  block(): void {
    if (!this.ready()) throw waitRefused();
  }
}

function waitRefused(): GuestFault {
  return new GuestFault('trap', 'guest tried to wait on a timer (wasi:io/poll); middleware calls run synchronously and may not sleep');
}

/** wasi:io/poll.poll: indices of the ready pollables; traps when none is ready (it would have to sleep). */
export function poll(list: Pollable[]): Uint32Array {
  const ready: number[] = [];
  list.forEach((p, i) => {
    if (p.ready()) ready.push(i);
  });
  if (ready.length === 0 && list.length > 0) throw waitRefused();
  return Uint32Array.from(ready);
}

/** An input stream with nothing in it (stdin, and every body the sandbox hands out). */
export class InputStream {
  read(_len: bigint): Uint8Array {
    throw wasiError({ tag: 'closed' });
  }
  blockingRead(_len: bigint): Uint8Array {
    throw wasiError({ tag: 'closed' });
  }
  skip(_len: bigint): bigint {
    throw wasiError({ tag: 'closed' });
  }
  blockingSkip(_len: bigint): bigint {
    throw wasiError({ tag: 'closed' });
  }
  subscribe(): Pollable {
    return new Pollable();
  }
}

export type ByteSink = (bytes: Uint8Array) => void;

/** Bytes the guest may write per `check-write` permit; the sink itself never pushes back. */
const WRITE_PERMIT = 65536n;

export class OutputStream {
  readonly #sink: ByteSink;
  constructor(sink: ByteSink) {
    this.#sink = sink;
  }
  checkWrite(): bigint {
    return WRITE_PERMIT;
  }
  write(contents: Uint8Array): void {
    this.#sink(contents);
  }
  blockingWriteAndFlush(contents: Uint8Array): void {
    this.#sink(contents);
  }
  flush(): void {}
  blockingFlush(): void {}
  subscribe(): Pollable {
    return new Pollable();
  }
  writeZeroes(len: bigint): void {
    this.#sink(new Uint8Array(Number(len > WRITE_PERMIT ? WRITE_PERMIT : len)));
  }
  blockingWriteZeroesAndFlush(len: bigint): void {
    this.writeZeroes(len);
  }
  splice(_src: InputStream, _len: bigint): bigint {
    throw wasiError({ tag: 'closed' });
  }
  blockingSplice(src: InputStream, len: bigint): bigint {
    return this.splice(src, len);
  }
}

/** Where bytes written to a stream nobody reads go (request bodies of denied HTTP requests). */
export const discardSink: ByteSink = () => {};

export function ioInterfaces(): Record<string, object> {
  return {
    'wasi:io/error': { Error: IoError },
    'wasi:io/poll': { Pollable, poll },
    'wasi:io/streams': { InputStream, OutputStream },
  };
}
