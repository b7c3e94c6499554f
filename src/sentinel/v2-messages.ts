// v2 (typed-frame) message types and the JSON bodies this agent sends: handshake response with
// full capabilities, health status. Type codes follow the proxy's `MessageType` (the crate's
// transports doc lists wrong codes for ping, pong and cancel).
import { createRequire } from 'node:module';
import type { AgentEventType } from './event-payloads.js';

export const MessageType = {
  HandshakeRequest: 0x01,
  HandshakeResponse: 0x02,
  RequestHeaders: 0x10,
  RequestBodyChunk: 0x11,
  ResponseHeaders: 0x12,
  ResponseBodyChunk: 0x13,
  RequestComplete: 0x14,
  WebSocketFrame: 0x15,
  GuardrailInspect: 0x16,
  Configure: 0x17,
  AgentResponse: 0x20,
  HealthStatus: 0x30,
  MetricsReport: 0x31,
  ConfigUpdateRequest: 0x32,
  FlowControl: 0x33,
  Cancel: 0x40,
  Ping: 0x41,
  Pong: 0x42,
} as const;

export const EVENT_BY_MESSAGE_TYPE: ReadonlyMap<number, AgentEventType> = new Map<number, AgentEventType>([
  [MessageType.RequestHeaders, 'request_headers'],
  [MessageType.RequestBodyChunk, 'request_body_chunk'],
  [MessageType.ResponseHeaders, 'response_headers'],
  [MessageType.ResponseBodyChunk, 'response_body_chunk'],
  [MessageType.RequestComplete, 'request_complete'],
  [MessageType.WebSocketFrame, 'websocket_frame'],
  [MessageType.GuardrailInspect, 'guardrail_inspect'],
  [MessageType.Configure, 'configure'],
]);

/** Types the proxy sends only in the other direction, or that this agent has no use for. */
export const KNOWN_MESSAGE_TYPES: ReadonlySet<number> = new Set(Object.values(MessageType));

/**
 * Health states carried by 0x30 `{"state": n}`. The proxy starts from 1 (healthy) and only stores
 * the number; 3 follows the order healthy, degraded, draining, unhealthy of the v2 health model.
 */
export const HealthState = { Healthy: 1, Draining: 3 } as const;

/** `supported_events` numbers the proxy's UDS client decodes: 1 request headers, 3 response headers. */
const SUPPORTED_EVENTS = [1, 3];

export const AGENT_ID = 'wasmgate-sentinel-wasm';
export const AGENT_NAME = 'wasmgate (sentinel-agent-wasm compatible)';
export const PREFERRED_CHUNK_SIZE = 65536;
/** Advertised `max_body_size`, as upstream (10 MiB). */
export const MAX_BODY_SIZE = 10 * 1024 * 1024;

function packageVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)('../../package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const AGENT_VERSION = packageVersion();

/**
 * The 0x02 body. Every `features` and `limits` field is required by the proxy's deserializer.
 * Concurrency is the pool size: the agent runs at most that many guest calls at once.
 */
export function handshakeResponse(poolSize: number, error?: string): Record<string, unknown> {
  return {
    protocol_version: 2,
    capabilities: {
      agent_id: AGENT_ID,
      name: AGENT_NAME,
      version: AGENT_VERSION,
      supported_events: SUPPORTED_EVENTS,
      features: {
        streaming_body: false,
        websocket: false,
        guardrails: false,
        config_push: true,
        metrics_export: false,
        concurrent_requests: poolSize,
        cancellation: true,
        flow_control: false,
        health_reporting: true,
      },
      limits: {
        max_body_size: MAX_BODY_SIZE,
        max_concurrency: poolSize,
        preferred_chunk_size: PREFERRED_CHUNK_SIZE,
      },
    },
    success: error === undefined,
    error: error ?? null,
    encoding: 'json',
  };
}

export function healthStatus(state: number): Record<string, unknown> {
  return { agent_id: AGENT_ID, state, timestamp_ms: Date.now() };
}

/** u32 BE (1 + payload length), type byte, payload. */
export function encodeV2Frame(type: number, payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(5 + payload.length);
  frame.writeUInt32BE(payload.length + 1, 0);
  frame[4] = type;
  payload.copy(frame, 5);
  return frame;
}

/** Same frame from text; `bytes` is the UTF-8 length of `text`. */
export function encodeV2Text(type: number, text: string, bytes = Buffer.byteLength(text, 'utf8')): Buffer {
  const frame = Buffer.allocUnsafe(5 + bytes);
  frame.writeUInt32BE(bytes + 1, 0);
  frame[4] = type;
  frame.write(text, 5, 'utf8');
  return frame;
}

export function encodeV2Json(type: number, body: unknown): Buffer {
  return encodeV2Text(type, JSON.stringify(body));
}
