// Types for core-host.mjs. Results use the shapes of wasmgate's library (SmgAction, BeforeResult).
export interface Header {
  name: string;
  value: string;
}
export interface CoreRequest {
  method?: string;
  path?: string;
  query?: string;
  headers?: Header[];
  body?: Uint8Array | string;
  requestId?: string;
  nowEpochMs?: number | bigint;
}
export interface CoreResponse {
  status?: number;
  headers?: Header[];
  body?: Uint8Array | string;
}
export type CoreAction =
  | { tag: 'continue' }
  | { tag: 'reject'; status: number }
  | {
      tag: 'modify';
      modify: { status?: number; headersSet: Header[]; headersAdd: Header[]; headersRemove: string[]; bodyReplace?: Uint8Array };
    };
export interface ContextEntry {
  key: string;
  value: string;
}
export interface ExtraColumn {
  name: string;
  value: string;
}
export type CoreBeforeResult = { tag: 'do-continue'; columns: ExtraColumn[] } | { tag: 'reject'; reason: string };

export declare const OPERATIONS: readonly string[];

export declare class CoreHost {
  /** How many times the guest's cabi_realloc was called. */
  reallocCalls: number;
  readonly memoryBytes: number;
  onRequest(req: CoreRequest): CoreAction;
  onResponse(res: CoreResponse): CoreAction;
  before(op: string | number, context: ContextEntry[], payload: string): CoreBeforeResult;
  after(op: string | number, context: ContextEntry[], payload: string, resultJson: string, extra: ExtraColumn[]): ExtraColumn[];
}

export interface CoreHostOptions {
  config?: Record<string, unknown>;
  nowMs?: () => number;
  emptyWithoutRealloc?: boolean;
}

export declare function instantiateCore(core: Uint8Array | WebAssembly.Module, options?: CoreHostOptions): Promise<CoreHost>;
