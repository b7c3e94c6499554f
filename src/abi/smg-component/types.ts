// Plain TypeScript forms of the smg:gateway WIT types (../shared/reference/wit/smg-gateway.wit).

export interface SmgHeader {
  name: string;
  value: string;
}

export interface SmgRequest {
  method: string;
  path: string;
  query: string;
  headers: SmgHeader[];
  body: Uint8Array;
  requestId: string;
  /** u64 in WIT; a JS number holds epoch milliseconds exactly. */
  nowEpochMs: number;
}

export interface SmgResponse {
  status: number;
  headers: SmgHeader[];
  body: Uint8Array;
}

export interface SmgModifyAction {
  status?: number;
  headersSet: SmgHeader[];
  headersAdd: SmgHeader[];
  headersRemove: string[];
  bodyReplace?: Uint8Array;
}

export type SmgAction =
  | { tag: 'continue' }
  | { tag: 'reject'; status: number }
  | { tag: 'modify'; modify: SmgModifyAction };

/**
 * A loaded smg:gateway component as the gateway sees it. A component may export only one of the two
 * interfaces; the missing one is undefined. Calls throw a GuestFault on trap, timeout, memory or stack.
 */
export interface SmgMiddlewareGuest {
  readonly onRequest?: (request: SmgRequest) => Promise<SmgAction>;
  readonly onResponse?: (response: SmgResponse) => Promise<SmgAction>;
}
