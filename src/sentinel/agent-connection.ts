// One client connection: frames the byte stream, tells v1 from v2 by the first frame, hands frames
// to the protocol session, writes replies (a reply to a client that has gone is dropped, never
// thrown), applies backpressure both ways, and closes cleanly after the work it accepted is done.
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { describeError } from '../errors.js';
import type { AgentMetrics } from './agent-metrics.js';
import { FrameError, FrameReader, V1_MAX_FRAME_BYTES, V2_MAX_FRAME_BYTES } from './frame-reader.js';

export interface ProtocolSession {
  onFrame(frame: Buffer): void;
  /** The agent is shutting down: no new work will be accepted on this connection. */
  onDrain(): void;
  /** The socket has closed: cancel what is still queued. */
  onClose(): void;
}

export type SessionFactory = (protocol: 'v1' | 'v2', connection: AgentConnection) => ProtocolSession;

/** open → (draining | failed) → closed. Only `open` and `draining` connections answer requests. */
export type ConnectionState = 'open' | 'draining' | 'failed' | 'closed';

const V2_HANDSHAKE_TYPE = 0x01;
const JSON_START_BYTES = new Set([0x7b, 0x20, 0x09, 0x0a, 0x0d]); // '{' and JSON whitespace
const QUIET_SOCKET_ERRORS = new Set(['EPIPE', 'ECONNRESET', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

export class AgentConnection {
  readonly id: number;
  readonly logger: Logger;
  readonly #socket: Socket;
  readonly #metrics: AgentMetrics;
  readonly #createSession: SessionFactory;
  readonly #reader = new FrameReader(V2_MAX_FRAME_BYTES);
  readonly #abort = new AbortController();
  readonly #pauses = new Set<string>();
  readonly closed: Promise<void>;
  #session: ProtocolSession | undefined;
  #protocol: 'v1' | 'v2' | undefined;
  #state: ConnectionState = 'open';
  #inFlight = 0;

  constructor(id: number, socket: Socket, metrics: AgentMetrics, logger: Logger, createSession: SessionFactory) {
    this.id = id;
    this.#socket = socket;
    this.#metrics = metrics;
    this.#createSession = createSession;
    this.logger = logger.child({ connection: id });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('end', () => this.#onEnd());
    socket.on('drain', () => this.resumeReading('write'));
    socket.on('error', (err: NodeJS.ErrnoException) => this.#onError(err));
    socket.once('close', () => this.#onClose());
    metrics.recordConnection(undefined);
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get protocol(): 'v1' | 'v2' | undefined {
    return this.#protocol;
  }

  /** Aborted when the socket closes. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** True while replies may still be computed and sent for requests already received. */
  get answering(): boolean {
    return this.#state === 'open' || this.#state === 'draining';
  }

  /** A request was accepted: the connection stays open until `end()` is called for it. */
  begin(): void {
    this.#inFlight++;
  }

  end(): void {
    this.#inFlight--;
    if (this.#inFlight === 0 && this.#state !== 'open') this.#finish();
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Writes a frame; a reply to a client that has gone is counted and dropped. */
  send(frame: Buffer): void {
    const socket = this.#socket;
    if (socket.destroyed || !socket.writable) {
      this.#metrics.recordUndeliveredReply();
      return;
    }
    if (!socket.write(frame)) this.pauseReading('write');
  }

  pauseReading(reason: string): void {
    if (this.#pauses.size === 0) this.#socket.pause();
    this.#pauses.add(reason);
  }

  resumeReading(reason: string): void {
    if (!this.#pauses.delete(reason) || this.#pauses.size > 0) return;
    this.#socket.resume();
    this.#pump();
  }

  /** Bad input that leaves the stream usable: logged and counted, the connection carries on. */
  reportBadInput(reason: string, detail: string): void {
    this.#metrics.recordProtocolError(reason);
    this.logger.warn({ reason, code: 'WG_ERR_SENTINEL_EVENT', protocol: this.#protocol, detail }, 'bad input ignored');
  }

  /** Bad input that ends the connection, once replies to earlier requests have been written. */
  fail(reason: string, detail: string): void {
    if (!this.answering) return;
    this.#metrics.recordProtocolError(reason);
    this.logger.warn({ reason, code: 'WG_ERR_SENTINEL_FRAME', protocol: this.#protocol, detail }, 'closing connection after bad input');
    this.#stop('failed');
  }

  /** Agent shutdown: stop taking requests, answer the ones received, then close. */
  drain(): Promise<void> {
    if (this.#state === 'open') {
      this.#session?.onDrain();
      this.#stop('draining');
    }
    return this.closed;
  }

  destroy(): void {
    this.#socket.destroy();
  }

  #stop(state: 'draining' | 'failed'): void {
    this.#state = state;
    // Keep the socket flowing (data is discarded) so a client hang-up is still noticed.
    this.#pauses.clear();
    this.#socket.resume();
    if (this.#inFlight === 0) this.#finish();
  }

  #finish(): void {
    if (!this.#socket.destroyed) this.#socket.destroySoon();
  }

  #onData(chunk: Buffer): void {
    if (this.#state !== 'open') return;
    this.#reader.append(chunk);
    this.#pump();
  }

  #pump(): void {
    if (this.#state !== 'open') return;
    try {
      if (this.#session === undefined && !this.#detect()) return;
      const session = this.#session as ProtocolSession;
      while (this.#state === 'open' && this.#pauses.size === 0) {
        const frame = this.#reader.next();
        if (frame === undefined) return;
        session.onFrame(frame);
      }
    } catch (err) {
      if (err instanceof FrameError) this.fail(err.reason, err.message);
      else {
        this.logger.error({ err }, 'internal error while reading a frame');
        this.fail('internal-error', describeError(err));
      }
    }
  }

  /** Picks the protocol from the first frame: type byte 0x01 (v2 handshake) or JSON (v1). */
  #detect(): boolean {
    const head = this.#reader.peek(5);
    if (head === undefined) {
      // Reject an empty or oversized first frame without waiting for more bytes.
      const length = this.#reader.peek(4)?.readUInt32BE(0);
      if (length !== undefined && (length === 0 || length > V2_MAX_FRAME_BYTES)) this.#reader.next();
      return false;
    }
    const first = head[4] as number;
    if (first === V2_HANDSHAKE_TYPE) {
      this.#protocol = 'v2';
    } else if (JSON_START_BYTES.has(first)) {
      this.#protocol = 'v1';
      this.#reader.maxLength = V1_MAX_FRAME_BYTES;
    } else {
      this.fail(
        'unrecognised-protocol',
        `first frame starts with byte 0x${first.toString(16).padStart(2, '0')}: neither a v1 JSON envelope nor a v2 handshake (0x01)`,
      );
      return false;
    }
    this.#metrics.recordConnection(this.#protocol);
    this.logger.debug({ protocol: this.#protocol }, 'protocol detected');
    this.#session = this.#createSession(this.#protocol, this);
    return true;
  }

  /**
   * EOF from the client. The proxy never half-closes a connection: it hangs up (after a timeout or
   * an error). So EOF means the client is gone: close now, which drops queued requests; calls
   * already running finish and their replies are discarded.
   */
  #onEnd(): void {
    if (this.#state === 'open' && this.#reader.pendingBytes > 0) {
      this.fail('truncated-frame', `connection ended ${this.#reader.pendingBytes} bytes into a frame`);
    }
    this.#socket.destroy();
  }

  #onError(err: NodeJS.ErrnoException): void {
    const quiet = err.code !== undefined && QUIET_SOCKET_ERRORS.has(err.code);
    this.logger[quiet ? 'debug' : 'warn']({ code: err.code, error: err.message }, 'socket error');
  }

  #onClose(): void {
    this.logger.debug({ protocol: this.#protocol, inFlight: this.#inFlight }, 'connection closed');
    this.#state = 'closed';
    this.#abort.abort();
    this.#session?.onClose();
  }
}
