// What the agent answers when it cannot get a decision from the guest. Module errors follow
// upstream sentinel-agent-wasm's `handle_error` exactly; a malformed event (one we can still
// address a reply to) follows the same fail-open/closed switch with its own tag and body.
import { describeError } from '../errors.js';
import { allowResponse, blockResponse, type AgentResponse, type ProtocolVersion } from './agent-response.js';

export const WASM_ERROR_TAG = 'wasm-error';
export const FAIL_OPEN_TAG = 'fail-open';
export const WASM_ERROR_STATUS = 500;
export const WASM_ERROR_BODY = 'Wasm Error';

export const INVALID_EVENT_TAG = 'invalid-event';
export const INVALID_EVENT_BODY = 'Invalid Agent Event';

export const CONFIG_REJECTED_BODY = 'Configuration rejected';

function policyResponse(
  version: ProtocolVersion,
  failOpen: boolean,
  tag: string,
  body: string,
  reason: string,
): AgentResponse {
  if (failOpen) return allowResponse(version, { tags: [tag, FAIL_OPEN_TAG], reason_codes: [reason] });
  return blockResponse(version, WASM_ERROR_STATUS, body, { audit: { tags: [tag], reason_codes: [reason] } });
}

/**
 * The guest threw (GuestFault, pool exhausted, any error): fail-open allows with tags
 * ["wasm-error","fail-open"], fail-closed blocks 500 "Wasm Error" with tag "wasm-error"; both
 * carry the error message in `reason_codes`.
 */
export function guestErrorResponse(err: unknown, failOpen: boolean, version: ProtocolVersion): AgentResponse {
  return policyResponse(version, failOpen, WASM_ERROR_TAG, WASM_ERROR_BODY, describeError(err));
}

/** The event itself was malformed (missing or mistyped fields) but can still be answered. */
export function invalidEventResponse(detail: string, failOpen: boolean, version: ProtocolVersion): AgentResponse {
  return policyResponse(version, failOpen, INVALID_EVENT_TAG, INVALID_EVENT_BODY, `WG_ERR_SENTINEL_EVENT: ${detail}`);
}

/** A `configure` the agent cannot apply: the proxy logs "Agent rejected configuration". */
export function configRejectedResponse(detail: string, version: ProtocolVersion): AgentResponse {
  return blockResponse(version, WASM_ERROR_STATUS, CONFIG_REJECTED_BODY, {
    audit: { reason_codes: [`WG_ERR_CONFIG_INVALID: ${detail}`] },
  });
}
