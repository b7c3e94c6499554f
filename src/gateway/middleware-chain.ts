// Runs a chain snapshot's modules over one request or response with SMG's semantics (reference
// §3.4, §3.5) plus wasmgate's: per-module fail-open/closed, header-only OnResponse modules, and
// OnError. Modules run one after another; each sees the previous modules' changes.
import type { Logger } from 'pino';
import { WasmgateError, describeError } from '../errors.js';
import type { AttachPoint, ChainEntry, SmgAction, SmgModifyAction } from '../registry/index.js';
import { GuestFault, toGuestFault } from '../runtime/index.js';
import type { CallOutcome } from './gateway-metrics.js';
import type { HeaderList } from './header-list.js';

export interface ChainObserver {
  onCall(entry: ChainEntry, point: AttachPoint, durationUs: number, outcome: CallOutcome, error?: WasmgateError): void;
}

export interface ChainContext {
  readonly log: Logger;
  readonly observer: ChainObserver;
  readonly requestId: string;
}

export interface WorkingRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: HeaderList;
  body: Buffer;
}

export interface WorkingResponse {
  status: number;
  readonly headers: HeaderList;
  /** Undefined when the body is not buffered (streaming, or only header-mode modules ran). */
  body: Buffer | undefined;
}

export type RequestChainResult =
  | { readonly kind: 'continue' }
  | { readonly kind: 'reject'; readonly status: number }
  | { readonly kind: 'fail'; readonly error: WasmgateError; readonly module: string };

export type ResponseChainResult = { readonly kind: 'done' } | { readonly kind: 'fail'; readonly error: WasmgateError; readonly module: string };

const EMPTY = Buffer.alloc(0);
/** A header-mode module cannot change how the streamed body is framed. */
const FRAMING_HEADERS: ReadonlySet<string> = new Set(['content-length', 'transfer-encoding']);

/** SMG: reject codes outside 100..999 become 400. */
export function rejectStatus(status: number): number {
  return Number.isInteger(status) && status >= 100 && status <= 999 ? status : 400;
}

function isStatus(status: number | undefined): status is number {
  return status !== undefined && Number.isInteger(status) && status >= 100 && status <= 999;
}

function checkAction(action: unknown): SmgAction {
  const a = action as SmgAction | undefined;
  if (a?.tag === 'continue') return a;
  if (a?.tag === 'reject' && typeof a.status === 'number') return a;
  if (a?.tag === 'modify' && a.modify && Array.isArray(a.modify.headersSet) && Array.isArray(a.modify.headersAdd) && Array.isArray(a.modify.headersRemove)) return a;
  throw new GuestFault('bad-output', `guest returned something that is not an action: ${describeError(JSON.stringify(action) ?? String(action))}`);
}

type CallResult = { readonly action: SmgAction } | { readonly error: WasmgateError };

/**
 * Calls one module and reports how long it took. A module that runs the guest inside the call
 * (runsNow) is timed over that synchronous part: timing until after the `await` would add whatever
 * other requests' work the microtask queue ran first (5 µs guests measured 25-30 µs under load).
 */
async function callGuest(entry: ChainEntry, point: AttachPoint, ctx: ChainContext, invoke: () => Promise<SmgAction>): Promise<CallResult> {
  entry.record.noteAccess();
  const synchronous = entry.guest.runsNow?.() ?? false;
  const started = performance.now();
  let ranUntil = 0;
  const elapsedUs = (): number => ((synchronous ? ranUntil : performance.now()) - started) * 1000;
  try {
    const pending = invoke();
    ranUntil = performance.now();
    const action = checkAction(await pending);
    ctx.observer.onCall(entry, point, elapsedUs(), action.tag);
    return { action };
  } catch (err) {
    if (ranUntil === 0) ranUntil = performance.now();
    const error = WasmgateError.is(err) ? err : toGuestFault(err, { what: point === 'OnRequest' ? 'on-request' : 'on-response' });
    ctx.observer.onCall(entry, point, elapsedUs(), 'error', error);
    return { error };
  }
}

function logFailure(ctx: ChainContext, entry: ChainEntry, point: AttachPoint, error: WasmgateError, failOpen: boolean): void {
  ctx.log.error(
    { module: entry.name, uuid: entry.record.uuid, attachPoint: point, requestId: ctx.requestId, code: error.code, failOpen },
    `Failed to execute WASM module ${entry.name}: ${error.message}`,
  );
}

function headerProblemLogger(ctx: ChainContext, entry: ChainEntry, point: AttachPoint) {
  return (what: string, name: string, value?: string): void => {
    ctx.log.warn({ module: entry.name, attachPoint: point, requestId: ctx.requestId, header: name, value }, `WASM module ${what}; edit skipped`);
  };
}

/** OnRequest: reject answers at once; modify edits headers then body (status ignored, as SMG). */
export async function runOnRequest(entries: readonly ChainEntry[], work: WorkingRequest, ctx: ChainContext): Promise<RequestChainResult> {
  for (const entry of entries) {
    const result = await callGuest(entry, 'OnRequest', ctx, () =>
      entry.guest.onRequest!({
        method: work.method,
        path: work.path,
        query: work.query,
        headers: work.headers.toGuest(),
        body: work.body,
        requestId: ctx.requestId,
        nowEpochMs: Date.now(),
      }),
    );
    if ('error' in result) {
      logFailure(ctx, entry, 'OnRequest', result.error, entry.failOpen);
      if (entry.failOpen) continue;
      return { kind: 'fail', error: result.error, module: entry.name };
    }
    const { action } = result;
    if (action.tag === 'reject') return { kind: 'reject', status: rejectStatus(action.status) };
    if (action.tag === 'modify') {
      applyModify(action.modify, work.headers, ctx, entry, 'OnRequest');
      if (action.modify.bodyReplace !== undefined) work.body = Buffer.from(action.modify.bodyReplace);
      if (action.modify.status !== undefined) {
        ctx.log.debug({ module: entry.name, requestId: ctx.requestId }, 'status in an OnRequest modify is ignored (as SMG)');
      }
    }
  }
  return { kind: 'continue' };
}

function applyModify(modify: SmgModifyAction, headers: HeaderList, ctx: ChainContext, entry: ChainEntry, point: AttachPoint, frozen?: ReadonlySet<string>): void {
  headers.applyEdits(modify, headerProblemLogger(ctx, entry, point), frozen);
}

/**
 * OnResponse over `entries` (both modes, in execution order). `streaming`: the body is not
 * buffered and body-mode modules are skipped (as SMG, with its warning). Header-mode modules see
 * an empty body and cannot replace it nor change Content-Length / Transfer-Encoding.
 */
export async function runOnResponse(
  entries: readonly ChainEntry[],
  work: WorkingResponse,
  streaming: boolean,
  ctx: ChainContext,
): Promise<ResponseChainResult> {
  let warned = false;
  for (const entry of entries) {
    const headerMode = entry.record.settings.responseMode === 'headers';
    if (!headerMode && streaming) {
      if (!warned) ctx.log.warn({ requestId: ctx.requestId }, 'Skipping WASM OnResponse for streaming response; OnResponse modules do not apply to streaming');
      warned = true;
      continue;
    }
    const outcome = await respond(entry, 'OnResponse', work, headerMode, ctx);
    if (outcome === 'stop') return { kind: 'done' };
    if (outcome !== 'next') return outcome;
  }
  return { kind: 'done' };
}

/** OnError: like a body-mode OnResponse over the error response; a failing module is always skipped. */
export async function runOnError(entries: readonly ChainEntry[], work: WorkingResponse, ctx: ChainContext): Promise<void> {
  for (const entry of entries) {
    const outcome = await respond(entry, 'OnError', work, false, ctx, true);
    if (outcome === 'stop') return;
  }
}

async function respond(
  entry: ChainEntry,
  point: AttachPoint,
  work: WorkingResponse,
  headerMode: boolean,
  ctx: ChainContext,
  alwaysFailOpen = false,
): Promise<'next' | 'stop' | Extract<ResponseChainResult, { kind: 'fail' }>> {
  const result = await callGuest(entry, point, ctx, () =>
    entry.guest.onResponse!({ status: work.status, headers: work.headers.toGuest(), body: headerMode ? EMPTY : (work.body ?? EMPTY) }),
  );
  if ('error' in result) {
    const failOpen = alwaysFailOpen || entry.failOpen;
    logFailure(ctx, entry, point, result.error, failOpen);
    return failOpen ? 'next' : { kind: 'fail', error: result.error, module: entry.name };
  }
  const { action } = result;
  if (action.tag === 'reject') {
    work.status = rejectStatus(action.status); // headers and body are kept (as SMG)
    return 'stop';
  }
  if (action.tag === 'modify') {
    const { modify } = action;
    if (isStatus(modify.status)) work.status = modify.status;
    applyModify(modify, work.headers, ctx, entry, point, headerMode ? FRAMING_HEADERS : undefined);
    if (modify.bodyReplace !== undefined) {
      if (headerMode) {
        ctx.log.warn({ module: entry.name, requestId: ctx.requestId }, 'body-replace from a module with response_mode "headers" is ignored');
      } else {
        work.body = Buffer.from(modify.bodyReplace);
      }
    }
  }
  return 'next';
}
