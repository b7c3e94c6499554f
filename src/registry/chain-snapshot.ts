// The chain as one immutable value, rebuilt on every registry change and swapped in atomically:
// each request takes the snapshot current when it starts and uses it for every phase, so a module
// replaced mid-request keeps serving that request with the version it started with.
import type { LoadedModule, SmgMiddlewareGuest } from './module-loader.js';
import type { ModuleRecord } from './module-record.js';

export interface ChainEntry {
  readonly record: ModuleRecord;
  readonly name: string;
  readonly guest: SmgMiddlewareGuest & Pick<LoadedModule, 'runsNow'>;
  readonly failOpen: boolean;
  /** max_body_size of this module. */
  readonly maxBodySize: number;
}

export interface ChainSnapshot {
  /** Attached OnRequest and exporting on-request, in execution order. */
  readonly onRequest: readonly ChainEntry[];
  /** Attached OnResponse, exporting on-response, response_mode "body". */
  readonly onResponseBody: readonly ChainEntry[];
  /** Attached OnResponse, exporting on-response, response_mode "headers". */
  readonly onResponseHeaders: readonly ChainEntry[];
  /** Every OnResponse entry (both modes) in execution order. */
  readonly onResponse: readonly ChainEntry[];
  /** Attached OnError and exporting on-response (an error is handed over as a response). */
  readonly onError: readonly ChainEntry[];
  /** Smallest max_body_size among OnRequest entries: the request body buffering cap. */
  readonly requestBodyCap: number;
  /** Smallest max_body_size among body-mode OnResponse entries: the response buffering cap. */
  readonly responseBodyCap: number;
  /** Every loaded record in the snapshot (what a lease holds). */
  readonly records: readonly ModuleRecord[];
}

/** Execution order: ascending priority, then registration order. */
export function compareExecutionOrder(a: ModuleRecord, b: ModuleRecord): number {
  return a.settings.priority - b.settings.priority || a.order - b.order;
}

function entryOf(record: ModuleRecord): ChainEntry {
  return {
    record,
    name: record.name,
    guest: record.module!,
    failOpen: record.settings.failOpen,
    maxBodySize: record.limits.maxBodySize,
  };
}

function minCap(entries: readonly ChainEntry[]): number {
  return entries.reduce((min, e) => Math.min(min, e.maxBodySize), Number.POSITIVE_INFINITY);
}

export function buildChainSnapshot(records: Iterable<ModuleRecord>): ChainSnapshot {
  const loaded = [...records].filter((r) => r.module !== undefined).sort(compareExecutionOrder);
  const onRequest = loaded.filter((r) => r.isAttachedTo('OnRequest') && r.module!.onRequest).map(entryOf);
  const responders = loaded.filter((r) => r.isAttachedTo('OnResponse') && r.module!.onResponse);
  const onResponse = responders.map(entryOf);
  const onResponseBody = onResponse.filter((e) => e.record.settings.responseMode === 'body');
  const onResponseHeaders = onResponse.filter((e) => e.record.settings.responseMode === 'headers');
  const onError = loaded.filter((r) => r.isAttachedTo('OnError') && r.module!.onResponse).map(entryOf);
  const used = new Set<ModuleRecord>([...onRequest, ...onResponse, ...onError].map((e) => e.record));
  return Object.freeze({
    onRequest,
    onResponse,
    onResponseBody,
    onResponseHeaders,
    onError,
    requestBodyCap: minCap(onRequest),
    responseBodyCap: minCap(onResponseBody),
    records: loaded.filter((r) => used.has(r)),
  });
}

export const EMPTY_CHAIN: ChainSnapshot = buildChainSnapshot([]);
