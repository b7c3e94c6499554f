// Answers one agent event, whatever protocol carried it: validates the payload, runs the guest
// through the call gate on a leased guest, maps the result (or the failure) to an AgentResponse,
// and records metrics. Never throws; resolves to undefined when the request was cancelled.
import type { Logger } from 'pino';
import { WasmgateError, describeError } from '../errors.js';
import { acceptsHeaderLists, isSharedResult, type SentinelGuest, type SentinelResult } from '../abi/index.js';
import { allowResponse, constantResponse, decisionLabel, type AgentResponse, type ProtocolVersion } from './agent-response.js';
import type { AgentMetrics } from './agent-metrics.js';
import { buildResponse } from './build-response.js';
import { CallCancelledError, type CallGate } from './call-gate.js';
import {
  correlationIdOf,
  isRecord,
  joinedRequest,
  joinedResponse,
  parseConfigure,
  toSentinelRequest,
  toSentinelResponse,
  type AgentEventType,
  type AgentSettings,
} from './event-payloads.js';
import { configRejectedResponse, guestErrorResponse, invalidEventResponse } from './fail-policy.js';
import type { GuestSlot } from './guest-slot.js';

export interface EventContext {
  version: ProtocolVersion;
  /** Aborted when the request is cancelled or its connection closes. */
  signal: AbortSignal;
  /** For logs. */
  connection: number;
}

export interface EventHandlerOptions {
  gate: CallGate;
  guests: GuestSlot;
  metrics: AgentMetrics;
  logger: Logger;
  settings: AgentSettings;
  onConfigure?: (settings: AgentSettings) => Promise<void>;
}

interface Outcome {
  response: AgentResponse;
  /** Answered by a fail policy (guest error, malformed event, rejected config). */
  error: boolean;
}

type GuestCall = (guest: SentinelGuest) => Promise<SentinelResult>;

export class EventHandler {
  readonly #gate: CallGate;
  readonly #guests: GuestSlot;
  readonly #metrics: AgentMetrics;
  readonly #logger: Logger;
  readonly #onConfigure: ((settings: AgentSettings) => Promise<void>) | undefined;
  /** v1 replies to shared guest results, built (and, by serializeResponse, serialized) once. */
  readonly #sharedReplies = new WeakMap<SentinelResult, AgentResponse>();
  #settings: AgentSettings;

  constructor(options: EventHandlerOptions) {
    this.#gate = options.gate;
    this.#guests = options.guests;
    this.#metrics = options.metrics;
    this.#logger = options.logger;
    this.#onConfigure = options.onConfigure;
    this.#settings = { ...options.settings };
  }

  get settings(): Readonly<AgentSettings> {
    return this.#settings;
  }

  async handle(event: AgentEventType, payload: unknown, ctx: EventContext): Promise<AgentResponse | undefined> {
    const started = performance.now();
    let outcome: Outcome | undefined;
    try {
      outcome = await this.#dispatch(event, payload, ctx);
    } catch (err) {
      // A bug in this file: answer this request by the fail policy, keep the agent up.
      this.#logger.error({ err, event, connection: ctx.connection }, 'internal error while handling an event');
      const bug = new WasmgateError('WG_ERR_INTERNAL_BUG', `internal error: ${describeError(err)}`, { cause: err });
      outcome = { response: guestErrorResponse(bug, this.#settings.failOpen, ctx.version), error: true };
    }
    if (outcome === undefined) {
      this.#metrics.recordCancelled(event);
      if (this.#logger.isLevelEnabled('debug')) {
        this.#logger.debug({ event, correlation_id: correlationIdOf(payload), connection: ctx.connection }, 'request dropped without reply (cancelled or client gone)');
      }
      return undefined;
    }
    const durationUs = (performance.now() - started) * 1000;
    const decision = decisionLabel(outcome.response.decision);
    this.#metrics.recordEvent(event, decision, durationUs, outcome.error);
    if (this.#logger.isLevelEnabled('debug')) {
      this.#logger.debug(
        { event, correlation_id: correlationIdOf(payload), decision, durationUs: Math.round(durationUs), connection: ctx.connection },
        'event answered',
      );
    }
    return outcome.response;
  }

  /** The reply used when a guest's answer would not fit in one frame. */
  oversizedReply(version: ProtocolVersion): AgentResponse {
    const err = new WasmgateError('WG_ERR_GUEST_BAD_OUTPUT', 'guest result too large for one agent protocol frame');
    this.#logger.warn({ code: err.code }, err.message);
    return guestErrorResponse(err, this.#settings.failOpen, version);
  }

  async #dispatch(event: AgentEventType, payload: unknown, ctx: EventContext): Promise<Outcome | undefined> {
    switch (event) {
      case 'configure':
        return this.#configure(payload, ctx.version);
      case 'request_headers': {
        let input;
        try {
          input = toSentinelRequest(payload);
        } catch (err) {
          return this.#invalid(err, event, ctx);
        }
        return this.#callGuest(
          event,
          (guest) => (acceptsHeaderLists(guest) ? guest.onRequestHeaders(input) : guest.onRequestHeaders(joinedRequest(input))),
          ctx,
          input.correlation_id,
        );
      }
      case 'response_headers': {
        let input;
        try {
          input = toSentinelResponse(payload);
        } catch (err) {
          return this.#invalid(err, event, ctx);
        }
        return this.#callGuest(
          event,
          (guest) => (acceptsHeaderLists(guest) ? guest.onResponseHeaders(input) : guest.onResponseHeaders(joinedResponse(input))),
          ctx,
          input.correlation_id,
        );
      }
      default:
        // Body chunks, request_complete, websocket frames, guardrail inspections: the module ABI has
        // no hook for them, so they are allowed (websocket_decision null means allow).
        if (!isRecord(payload)) return this.#invalid(new Error(`${event} payload must be an object`), event, ctx);
        return { response: allowResponse(ctx.version), error: false };
    }
  }

  async #callGuest(event: AgentEventType, call: GuestCall, ctx: EventContext, correlationId: string): Promise<Outcome | undefined> {
    try {
      await this.#gate.acquire(ctx.signal);
    } catch (err) {
      if (err instanceof CallCancelledError) return undefined;
      return this.#guestFailed(err, event, ctx, correlationId);
    }
    let release = (): void => {};
    try {
      if (ctx.signal.aborted) return undefined;
      const lease = this.#guests.lease();
      release = lease.release;
      const result = await call(lease.guest);
      if (ctx.signal.aborted) return undefined;
      return { response: this.#reply(result, ctx.version), error: false };
    } catch (err) {
      if (ctx.signal.aborted) return undefined;
      return this.#guestFailed(err, event, ctx, correlationId);
    } finally {
      release();
      this.#gate.release();
    }
  }

  /**
   * The reply to a guest result. Guests mostly answer with a few constant results, which the wasm
   * ABI hands back as shared frozen objects: their v1 reply is the same every time, so it is kept
   * (v2 replies carry the request's correlation id and are built per event).
   */
  #reply(result: SentinelResult, version: ProtocolVersion): AgentResponse {
    if (version !== 1 || !isSharedResult(result)) return buildResponse(result, version);
    let reply = this.#sharedReplies.get(result);
    if (reply === undefined) {
      reply = constantResponse(buildResponse(result, version));
      this.#sharedReplies.set(result, reply);
    }
    return reply;
  }

  #guestFailed(err: unknown, event: AgentEventType, ctx: EventContext, correlationId: string): Outcome {
    const failOpen = this.#settings.failOpen;
    this.#logger.warn(
      { code: WasmgateError.is(err) ? err.code : undefined, error: describeError(err), event, correlation_id: correlationId, failOpen, connection: ctx.connection },
      'guest call failed; answering by the fail policy',
    );
    return { response: guestErrorResponse(err, failOpen, ctx.version), error: true };
  }

  #invalid(err: unknown, event: AgentEventType, ctx: EventContext): Outcome {
    const detail = describeError(err);
    this.#metrics.recordProtocolError('invalid-payload');
    this.#logger.warn({ reason: 'invalid-payload', code: 'WG_ERR_SENTINEL_EVENT', event, detail, connection: ctx.connection }, 'malformed event payload; answering by the fail policy');
    return { response: invalidEventResponse(detail, this.#settings.failOpen, ctx.version), error: true };
  }

  async #configure(payload: unknown, version: ProtocolVersion): Promise<Outcome> {
    let next: AgentSettings;
    try {
      next = parseConfigure(payload);
    } catch (err) {
      this.#logger.warn({ reason: 'invalid-configure', detail: describeError(err) }, 'configure rejected');
      return { response: configRejectedResponse(describeError(err), version), error: true };
    }
    try {
      await this.#onConfigure?.(next);
    } catch (err) {
      this.#logger.error({ err, settings: next }, 'configure rejected: applying it failed');
      return { response: configRejectedResponse(describeError(err), version), error: true };
    }
    this.#settings = next;
    this.#gate.setLimit(next.poolSize);
    this.#logger.info({ poolSize: next.poolSize, failOpen: next.failOpen }, 'configuration applied');
    return { response: allowResponse(version), error: false };
  }
}
