// v1: u32 BE length + JSON envelope `{version, event_type, payload}`, one reply per request, in
// order. Requests of one connection are processed strictly one after another (a pipelining client
// gets its replies in order); many connections run concurrently.
//
// Bad input: an envelope that cannot be understood (not UTF-8 JSON, not an object, version other
// than 1, unknown event type) closes the connection after the replies to earlier requests are
// written, as the reference agent server does: the proxy then applies its own failure-mode
// (fail-closed 503, fail-open skip) and drops the connection, as it does after any agent error.
// A known event whose payload lacks fields is answered by the fail policy (event-handler.ts).
import { describeError } from '../errors.js';
import type { AgentConnection, ProtocolSession } from './agent-connection.js';
import { serializeResponse } from './agent-response.js';
import type { EventHandler } from './event-handler.js';
import { eventTypeFromWireName, isRecord, type AgentEventType } from './event-payloads.js';
import { V1_MAX_FRAME_BYTES } from './frame-reader.js';

/** Requests a v1 client may queue ahead on one connection before the agent stops reading. */
export const V1_MAX_PIPELINED = 32;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export type V1Envelope =
  | { ok: true; event: AgentEventType; payload: unknown }
  | { ok: false; reason: string; detail: string };

export function parseV1Envelope(frame: Buffer): V1Envelope {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(frame));
  } catch (err) {
    return { ok: false, reason: 'invalid-json', detail: `frame is not UTF-8 JSON: ${describeError(err)}` };
  }
  if (!isRecord(value)) return { ok: false, reason: 'envelope-not-object', detail: 'envelope must be a JSON object' };
  if (value['version'] !== 1) {
    return {
      ok: false,
      reason: 'unsupported-version',
      detail: `envelope version ${JSON.stringify(value['version'])}; v1 envelopes carry version 1 (v2 clients start with a 0x01 handshake frame)`,
    };
  }
  const event = eventTypeFromWireName(value['event_type']);
  if (event === undefined) {
    return { ok: false, reason: 'unknown-event-type', detail: `unknown event_type ${JSON.stringify(value['event_type'])}` };
  }
  return { ok: true, event, payload: value['payload'] };
}

/** u32 BE length + JSON; `bytes` is the UTF-8 length of `json`. */
export function encodeV1Frame(json: string, bytes = Buffer.byteLength(json, 'utf8')): Buffer {
  const frame = Buffer.allocUnsafe(4 + bytes);
  frame.writeUInt32BE(bytes, 0);
  frame.write(json, 4, 'utf8');
  return frame;
}

export class V1Session implements ProtocolSession {
  readonly #connection: AgentConnection;
  readonly #handler: EventHandler;
  #chain: Promise<void> = Promise.resolve();
  #queued = 0;

  constructor(connection: AgentConnection, handler: EventHandler) {
    this.#connection = connection;
    this.#handler = handler;
  }

  onFrame(frame: Buffer): void {
    this.#connection.begin();
    if (++this.#queued >= V1_MAX_PIPELINED) this.#connection.pauseReading('pipeline');
    this.#chain = this.#chain.then(() => this.#process(frame));
  }

  onDrain(): void {}

  onClose(): void {}

  async #process(frame: Buffer): Promise<void> {
    const connection = this.#connection;
    try {
      if (!connection.answering) return;
      const envelope = parseV1Envelope(frame);
      if (!envelope.ok) {
        connection.fail(envelope.reason, envelope.detail);
        return;
      }
      const response = await this.#handler.handle(envelope.event, envelope.payload, {
        version: 1,
        signal: connection.signal,
        connection: connection.id,
      });
      if (response === undefined) return;
      const { json, bytes } = serializeResponse(response, V1_MAX_FRAME_BYTES, () => this.#handler.oversizedReply(1));
      connection.send(encodeV1Frame(json, bytes));
    } catch (err) {
      connection.logger.error({ err }, 'internal error in the v1 session');
      connection.fail('internal-error', describeError(err));
    } finally {
      if (--this.#queued < V1_MAX_PIPELINED) connection.resumeReading('pipeline');
      connection.end();
    }
  }
}
