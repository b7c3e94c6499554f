// Event names and the payload fields this agent reads. Validation is deliberately lenient: only
// the fields the guest input needs are required, unknown fields are ignored (as serde does), and
// headers may be arrays (what the proxy sends) or plain strings.
import { WasmgateError } from '../errors.js';
import { joinHeaderLists, type SentinelHeaderLists, type SentinelRequest, type SentinelRequestInput, type SentinelResponse, type SentinelResponseInput } from '../abi/index.js';

export const AGENT_EVENT_TYPES = [
  'configure',
  'request_headers',
  'request_body_chunk',
  'response_headers',
  'response_body_chunk',
  'request_complete',
  'websocket_frame',
  'guardrail_inspect',
] as const;

export type AgentEventType = (typeof AGENT_EVENT_TYPES)[number];

/**
 * v1 `event_type` strings. serde's `rename_all = "snake_case"` turns the variant `WebSocketFrame`
 * into "web_socket_frame", which is what the proxy actually sends; "websocket_frame" (the spelling
 * in the docs) is accepted too.
 */
const EVENT_TYPE_BY_WIRE_NAME: ReadonlyMap<string, AgentEventType> = new Map<string, AgentEventType>([
  ...AGENT_EVENT_TYPES.map((t): [string, AgentEventType] => [t, t]),
  ['web_socket_frame', 'websocket_frame'],
]);

export function eventTypeFromWireName(name: unknown): AgentEventType | undefined {
  return typeof name === 'string' ? EVENT_TYPE_BY_WIRE_NAME.get(name) : undefined;
}

export function invalidEvent(detail: string): WasmgateError {
  return new WasmgateError('WG_ERR_SENTINEL_EVENT', detail);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireRecord(value: unknown, what: string): Record<string, unknown> {
  if (!isRecord(value)) throw invalidEvent(`${what} must be an object`);
  return value;
}

function requireString(obj: Record<string, unknown>, field: string, where: string): string {
  const value = obj[field];
  if (typeof value !== 'string') throw invalidEvent(`${where}${field} must be a string`);
  return value;
}

/**
 * The event's `HashMap<String, Vec<String>>` headers, checked: an object whose values are lists of
 * strings (or plain strings). The lists are joined with ", " by whoever writes the guest's input:
 * a wasm module does it while writing its JSON; a JS guest gets `joinHeaderLists` of them.
 */
export function checkHeaderLists(value: unknown): SentinelHeaderLists {
  const headers = requireRecord(value, 'headers');
  for (const name in headers) {
    if (!Object.hasOwn(headers, name)) continue;
    const values = headers[name];
    if (typeof values === 'string') continue;
    if (!Array.isArray(values)) throw headerListError(name);
    for (let i = 0; i < values.length; i++) if (typeof values[i] !== 'string') throw headerListError(name);
  }
  return headers as SentinelHeaderLists;
}

function headerListError(name: string): WasmgateError {
  return invalidEvent(`header ${JSON.stringify(name)} must be a list of strings`);
}

/** `request_headers` payload → the guest's `on_request_headers` input (header lists not yet joined). */
export function toSentinelRequest(payload: unknown): SentinelRequestInput {
  const event = requireRecord(payload, 'request_headers payload');
  const metadata = requireRecord(event['metadata'], 'metadata');
  return {
    method: requireString(event, 'method', ''),
    uri: requireString(event, 'uri', ''),
    client_ip: requireString(metadata, 'client_ip', 'metadata.'),
    correlation_id: requireString(metadata, 'correlation_id', 'metadata.'),
    headers: checkHeaderLists(event['headers']),
  };
}

/** `response_headers` payload → the guest's `on_response_headers` input (header lists not yet joined). */
export function toSentinelResponse(payload: unknown): SentinelResponseInput {
  const event = requireRecord(payload, 'response_headers payload');
  const status = event['status'];
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 0 || status > 65535) {
    throw invalidEvent('status must be an integer in 0..65535');
  }
  return {
    status,
    correlation_id: requireString(event, 'correlation_id', ''),
    headers: checkHeaderLists(event['headers']),
  };
}

/** The request as a guest without header-list support takes it: every list joined with ", ". */
export function joinedRequest(input: SentinelRequestInput): SentinelRequest {
  return { method: input.method, uri: input.uri, client_ip: input.client_ip, correlation_id: input.correlation_id, headers: joinHeaderLists(input.headers) };
}

/** The response with every header list joined with ", ". */
export function joinedResponse(input: SentinelResponseInput): SentinelResponse {
  return { status: input.status, correlation_id: input.correlation_id, headers: joinHeaderLists(input.headers) };
}

/** The settings `configure` may change, under the proxy's (kebab-case) KDL names. */
export interface AgentSettings {
  poolSize: number;
  failOpen: boolean;
}

/** Largest pool a `configure` may ask for (same cap as the runtime's MAX_POOL_SIZE). */
export const MAX_CONFIGURED_POOL_SIZE = 256;

/** `{agent_id, config: {"pool-size", "fail-open"}}`: both keys required, as upstream. */
export function parseConfigure(payload: unknown): AgentSettings {
  const event = requireRecord(payload, 'configure payload');
  const config = requireRecord(event['config'], 'config');
  const poolSize = config['pool-size'];
  const failOpen = config['fail-open'];
  if (typeof poolSize !== 'number' || !Number.isInteger(poolSize) || poolSize < 1 || poolSize > MAX_CONFIGURED_POOL_SIZE) {
    throw invalidEvent(`config "pool-size" must be an integer in 1..${MAX_CONFIGURED_POOL_SIZE}`);
  }
  if (typeof failOpen !== 'boolean') throw invalidEvent('config "fail-open" must be true or false');
  return { poolSize, failOpen };
}

/** The correlation ID a v2 reply must carry: top-level first, then `metadata.correlation_id`. */
export function correlationIdOf(payload: unknown): string | undefined {
  if (!isRecord(payload)) return undefined;
  const top = payload['correlation_id'];
  if (typeof top === 'string') return top;
  const metadata = payload['metadata'];
  if (isRecord(metadata) && typeof metadata['correlation_id'] === 'string') return metadata['correlation_id'];
  return undefined;
}
