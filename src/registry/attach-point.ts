// Where a module runs in the gateway (SMG's `{"Middleware": "<point>"}`) and how an OnResponse module
// sees streaming responses.

export const ATTACH_POINTS = ['OnRequest', 'OnResponse', 'OnError'] as const;
export type AttachPoint = (typeof ATTACH_POINTS)[number];

/**
 * `body` (default): the module sees buffered response bodies and is skipped for streaming ones, as SMG.
 * `headers`: the module sees status + headers with an empty body, for streaming and buffered
 * responses alike, so it can run on SSE without buffering; its body-replace is ignored.
 */
export const RESPONSE_MODES = ['body', 'headers'] as const;
export type ResponseMode = (typeof RESPONSE_MODES)[number];

export function isAttachPoint(value: unknown): value is AttachPoint {
  return typeof value === 'string' && (ATTACH_POINTS as readonly string[]).includes(value);
}
