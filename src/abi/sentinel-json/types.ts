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

/**
 * What a front door calls. Implementations throw a GuestFault (runtime/guest-fault.ts) when the
 * guest traps, times out, runs out of memory or stack, or returns invalid output; a handler the
 * module does not export yields `{decision: 'allow'}`.
 */
export interface SentinelGuest {
  onRequestHeaders(request: SentinelRequest): Promise<SentinelResult>;
  onResponseHeaders(response: SentinelResponse): Promise<SentinelResult>;
}
