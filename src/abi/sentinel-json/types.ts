// Types of the Sentinel JSON ABI (../shared/seeds/sentinel-agent-wasm-README.txt): what the host
// writes into guest memory, what the guest returns, and the normalised result the host hands on.

/** Written to the guest for `on_request_headers`. Header values repeated on the wire are joined with ", ". */
export interface SentinelRequest {
  method: string;
  uri: string;
  client_ip: string;
  correlation_id: string;
  headers: Record<string, string>;
}

/** Written to the guest for `on_response_headers`. */
export interface SentinelResponse {
  status: number;
  correlation_id: string;
  headers: Record<string, string>;
}

export type SentinelDecision = 'allow' | 'block' | 'deny' | 'redirect';

/**
 * A guest's result after validation, with defaults applied: block/deny status 403, redirect 302.
 * Header maps keep the guest's key order (deterministic, unlike upstream's HashMap order).
 * Results are deep-frozen and may be shared between calls: copy before changing one.
 */
export interface SentinelResult {
  decision: SentinelDecision;
  status?: number;
  body?: string;
  add_request_headers?: Record<string, string>;
  remove_request_headers?: string[];
  add_response_headers?: Record<string, string>;
  remove_response_headers?: string[];
  tags?: string[];
}

export type SentinelEvent = 'request_headers' | 'response_headers';

/** A header value as the Sentinel proxy sends it, a list (joined with ", " for the guest), or already joined. */
export type SentinelHeaderValue = string | readonly string[];

/** Header values by name, lists not yet joined. */
export type SentinelHeaderLists = Readonly<Record<string, SentinelHeaderValue>>;

/** A SentinelRequest whose header values may still be lists. */
export interface SentinelRequestInput extends Omit<SentinelRequest, 'headers'> {
  headers: SentinelHeaderLists;
}

/** A SentinelResponse whose header values may still be lists. */
export interface SentinelResponseInput extends Omit<SentinelResponse, 'headers'> {
  headers: SentinelHeaderLists;
}

/**
 * What a front door calls. Implementations throw a GuestFault (runtime/guest-fault.ts) when the
 * guest traps, times out, runs out of memory or stack, or returns invalid output; a handler the
 * module does not export yields `{decision: 'allow'}`.
 */
export interface SentinelGuest {
  onRequestHeaders(request: SentinelRequest): Promise<SentinelResult>;
  onResponseHeaders(response: SentinelResponse): Promise<SentinelResult>;
  /** True for a guest that also takes header values as lists (a HeaderListGuest). */
  readonly acceptsHeaderLists?: boolean;
}

/**
 * A guest that takes header values as the proxy sends them, lists included, and joins them itself:
 * the wasm modules do, as they write their JSON input, so the agent need not build the joined map
 * first (about a microsecond per request event).
 */
export interface HeaderListGuest extends SentinelGuest {
  readonly acceptsHeaderLists: true;
  onRequestHeaders(request: SentinelRequestInput): Promise<SentinelResult>;
  onResponseHeaders(response: SentinelResponseInput): Promise<SentinelResult>;
}
