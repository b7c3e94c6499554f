// The AgentResponse the Sentinel proxy deserializes, built in exactly the shape (and key order) the
// Rust SDK serializes: every field present, lists and maps never null, status numeric, version set.
// See docs/sentinel-agent.md and the accepted/rejected table in the protocol notes.

/** 1 = length-prefixed JSON envelope protocol; 2 = typed-frame multiplexed protocol. */
export type ProtocolVersion = 1 | 2;

export type HeaderOp =
  | { set: { name: string; value: string } }
  | { add: { name: string; value: string } }
  | { remove: { name: string } };

export interface BlockDecision {
  block: { status: number; body: string | null; headers: Record<string, string> | null };
}

/** Only the forms this agent emits: the proxy also knows redirect and challenge. */
export type AgentDecision = 'allow' | BlockDecision;

export interface AuditMetadata {
  tags: string[];
  rule_ids: string[];
  confidence: number | null;
  reason_codes: string[];
  custom: Record<string, unknown>;
}

export interface AgentResponse {
  version: number;
  decision: AgentDecision;
  request_headers: HeaderOp[];
  response_headers: HeaderOp[];
  routing_metadata: Record<string, string>;
  audit: AuditMetadata;
  needs_more: boolean;
  request_body_mutation: null;
  response_body_mutation: null;
  websocket_decision: null;
}

export interface AuditInput {
  tags?: string[];
  reason_codes?: string[];
}

function audit(input: AuditInput = {}): AuditMetadata {
  return {
    tags: input.tags ?? [],
    rule_ids: [],
    confidence: null,
    reason_codes: input.reason_codes ?? [],
    custom: {},
  };
}

function response(version: ProtocolVersion, decision: AgentDecision, auditInput?: AuditInput): AgentResponse {
  return {
    version,
    decision,
    request_headers: [],
    response_headers: [],
    routing_metadata: {},
    audit: audit(auditInput),
    needs_more: false,
    request_body_mutation: null,
    response_body_mutation: null,
    websocket_decision: null,
  };
}

/** `AgentResponse::default_allow()`, optionally with audit tags and reason codes. */
export function allowResponse(version: ProtocolVersion, auditInput?: AuditInput): AgentResponse {
  return response(version, 'allow', auditInput);
}

/** `AgentResponse::block(status, body)`; the proxy ignores `headers` (kept for redirects' Location). */
export function blockResponse(
  version: ProtocolVersion,
  status: number,
  body: string | null,
  options: { headers?: Record<string, string> | null; audit?: AuditInput } = {},
): AgentResponse {
  return response(version, { block: { status, body, headers: options.headers ?? null } }, options.audit);
}

/** "allow" or "block": the label metrics and logs use. */
export function decisionLabel(decision: AgentDecision): 'allow' | 'block' {
  return decision === 'allow' ? 'allow' : 'block';
}

export interface SerializedResponse {
  readonly json: string;
  /** UTF-8 length of `json`. */
  readonly bytes: number;
}

/** Responses their builder promised never to change again (see constantResponse). */
const constants = new WeakSet<AgentResponse>();
/** The JSON of constant responses, written once. */
const serialized = new WeakMap<AgentResponse, SerializedResponse>();

/**
 * Marks `response` as never changing again, so serializeResponse writes its JSON once and reuses
 * it. The caller gives up the right to mutate it (a v2 reply, which gets its correlation id
 * added, must not be constant).
 */
export function constantResponse(response: AgentResponse): AgentResponse {
  constants.add(response);
  return response;
}

/**
 * Serializes a response, substituting `fallback()` when the JSON would exceed `maxBytes` (the
 * proxy drops the whole connection on an oversized frame, so an oversized guest output must never
 * reach the wire). Returns the text and its UTF-8 length, so framing copies it only once.
 */
export function serializeResponse(value: AgentResponse, maxBytes: number, fallback: () => AgentResponse): SerializedResponse {
  const known = serialized.get(value);
  if (known !== undefined && known.bytes <= maxBytes) return known;
  const json = JSON.stringify(value);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes <= maxBytes) {
    const out = { json, bytes };
    if (constants.has(value)) serialized.set(value, out);
    return out;
  }
  const replacement = fallback();
  replacement.audit.custom = value.audit.custom;
  const text = JSON.stringify(replacement);
  return { json: text, bytes: Buffer.byteLength(text, 'utf8') };
}
