// v2 over the same socket: u32 BE (1 + payload length), type byte, JSON payload. A handshake
// first, then multiplexed events answered in any order, each reply carrying
// `audit.custom.correlation_id` (the proxy routes replies by that field alone).
//
// Bad input: a framing error closes the connection (the stream cannot be resynchronised). Anything
// else leaves the other requests on the connection alone: an unknown or unexpected message type is
// skipped; an event whose JSON cannot be read or has no correlation ID is dropped (nothing to
// address a reply to; the proxy's timeout applies); an event with missing fields is answered by
// the fail policy. A cancelled request is never answered: dropped if still queued, its result
// discarded if already running.
import { describeError } from '../errors.js';
import type { AgentConnection, ProtocolSession } from './agent-connection.js';
import { serializeResponse } from './agent-response.js';
import type { EventHandler } from './event-handler.js';
import { correlationIdOf, isRecord, type AgentEventType } from './event-payloads.js';
import { V2_MAX_FRAME_BYTES } from './frame-reader.js';
import {
  EVENT_BY_MESSAGE_TYPE,
  HealthState,
  KNOWN_MESSAGE_TYPES,
  MessageType,
  encodeV2Frame,
  encodeV2Json,
  encodeV2Text,
  handshakeResponse,
  healthStatus,
} from './v2-messages.js';

/** Requests one v2 connection may have in flight before the agent stops reading from it. */
export const V2_MAX_IN_FLIGHT = 4096;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function hex(type: number): string {
  return `0x${type.toString(16).padStart(2, '0')}`;
}

export class V2Session implements ProtocolSession {
  readonly #connection: AgentConnection;
  readonly #handler: EventHandler;
  readonly #requests = new Map<string, AbortController>();
  #handshaken = false;
  #draining = false;

  constructor(connection: AgentConnection, handler: EventHandler) {
    this.#connection = connection;
    this.#handler = handler;
  }

  onFrame(frame: Buffer): void {
    const type = frame[0] as number;
    const payload = frame.subarray(1);
    if (!this.#handshaken) {
      this.#handshake(type, payload);
      return;
    }
    const event = EVENT_BY_MESSAGE_TYPE.get(type);
    if (event !== undefined) {
      this.#event(event, payload);
      return;
    }
    switch (type) {
      case MessageType.Ping:
        this.#connection.send(encodeV2Frame(MessageType.Pong, payload));
        return;
      case MessageType.Cancel:
        this.#cancel(payload);
        return;
      case MessageType.HealthStatus:
        this.#sendHealth(this.#draining ? HealthState.Draining : HealthState.Healthy);
        return;
      case MessageType.FlowControl:
        this.#connection.logger.debug({ payload: payload.toString('utf8').slice(0, 200) }, 'flow control message accepted');
        return;
      default:
        this.#connection.reportBadInput(
          KNOWN_MESSAGE_TYPES.has(type) ? 'unexpected-message-type' : 'unknown-message-type',
          `message type ${hex(type)} is not one a proxy sends to an agent; skipped`,
        );
    }
  }

  onDrain(): void {
    this.#draining = true;
    if (this.#handshaken) this.#sendHealth(HealthState.Draining);
  }

  onClose(): void {
    for (const request of this.#requests.values()) request.abort();
    this.#requests.clear();
  }

  #sendHealth(state: number): void {
    this.#connection.send(encodeV2Json(MessageType.HealthStatus, healthStatus(state)));
  }

  #handshake(type: number, payload: Buffer): void {
    if (type !== MessageType.HandshakeRequest) {
      this.#connection.fail('handshake-expected', `first v2 frame has type ${hex(type)}; expected a handshake (0x01)`);
      return;
    }
    const poolSize = this.#handler.settings.poolSize;
    let request: unknown;
    try {
      request = JSON.parse(utf8.decode(payload));
    } catch (err) {
      this.#rejectHandshake(poolSize, `handshake request is not UTF-8 JSON: ${describeError(err)}`);
      return;
    }
    const versions = isRecord(request) ? request['supported_versions'] : undefined;
    if (!Array.isArray(versions) || !versions.includes(2)) {
      this.#rejectHandshake(poolSize, 'handshake supported_versions must include 2');
      return;
    }
    this.#handshaken = true;
    this.#connection.send(encodeV2Json(MessageType.HandshakeResponse, handshakeResponse(poolSize)));
    this.#sendHealth(HealthState.Healthy);
    this.#connection.logger.debug({ proxy_id: isRecord(request) ? request['proxy_id'] : undefined }, 'v2 handshake completed');
  }

  #rejectHandshake(poolSize: number, detail: string): void {
    this.#connection.send(encodeV2Json(MessageType.HandshakeResponse, handshakeResponse(poolSize, detail)));
    this.#connection.fail('handshake-invalid', detail);
  }

  #readJson(payload: Buffer, what: string): unknown {
    try {
      return JSON.parse(utf8.decode(payload));
    } catch (err) {
      this.#connection.reportBadInput('invalid-json', `${what} is not UTF-8 JSON (${describeError(err)}); dropped`);
      return undefined;
    }
  }

  #event(event: AgentEventType, payload: Buffer): void {
    const value = this.#readJson(payload, `${event} payload`);
    if (value === undefined) return;
    // Configure payloads default their correlation ID to "" (as the reference server does).
    const correlationId = correlationIdOf(value) ?? (event === 'configure' ? '' : undefined);
    if (correlationId === undefined) {
      this.#connection.reportBadInput('missing-correlation-id', `${event} without a correlation_id cannot be answered; dropped`);
      return;
    }
    if (this.#requests.has(correlationId)) {
      this.#connection.reportBadInput('duplicate-correlation-id', `correlation_id ${JSON.stringify(correlationId)} is already in flight`);
    }
    const request = new AbortController();
    this.#requests.set(correlationId, request);
    this.#connection.begin();
    if (this.#connection.inFlight >= V2_MAX_IN_FLIGHT) this.#connection.pauseReading('in-flight');
    void this.#run(event, value, correlationId, request);
  }

  async #run(event: AgentEventType, payload: unknown, correlationId: string, request: AbortController): Promise<void> {
    const connection = this.#connection;
    try {
      const response = await this.#handler.handle(event, payload, {
        version: 2,
        signal: request.signal,
        connection: connection.id,
      });
      if (response === undefined || request.signal.aborted) return;
      response.audit.custom['correlation_id'] = correlationId;
      const { json, bytes } = serializeResponse(response, V2_MAX_FRAME_BYTES - 1, () => this.#handler.oversizedReply(2));
      connection.send(encodeV2Text(MessageType.AgentResponse, json, bytes));
    } catch (err) {
      connection.logger.error({ err }, 'internal error in the v2 session');
    } finally {
      if (this.#requests.get(correlationId) === request) this.#requests.delete(correlationId);
      if (connection.inFlight - 1 < V2_MAX_IN_FLIGHT) connection.resumeReading('in-flight');
      connection.end();
    }
  }

  #cancel(payload: Buffer): void {
    const value = this.#readJson(payload, 'cancel');
    if (value === undefined) return;
    const correlationId = isRecord(value) ? value['correlation_id'] : undefined;
    const request = typeof correlationId === 'string' ? this.#requests.get(correlationId) : undefined;
    if (request === undefined) {
      this.#connection.logger.debug({ correlation_id: correlationId }, 'cancel for a request not in flight; ignored');
      return;
    }
    this.#requests.delete(correlationId as string);
    request.abort();
    this.#connection.logger.debug({ correlation_id: correlationId }, 'request cancelled');
  }
}
