// The smg:gateway world as a component must export it (SMG reference §3.9, wit/smg-gateway.wit),
// in the form jco renders it; checked at load by component/world-check.ts. Unlike SMG, a component
// exporting only one of the two interfaces is accepted and attached to that point only.
import type { ExpectedWorld } from './component/world-check.js';

export const ON_REQUEST_INTERFACE = 'smg:gateway/middleware-on-request';
export const ON_RESPONSE_INTERFACE = 'smg:gateway/middleware-on-response';
/** Core export names of the lifted functions (component-model naming convention). */
export const ON_REQUEST_EXPORT = `${ON_REQUEST_INTERFACE}#on-request`;
export const ON_RESPONSE_EXPORT = `${ON_RESPONSE_INTERFACE}#on-response`;

const HEADER = 'export interface Header { name: string, value: string, }';
const ACTION_TYPES = {
  Header: HEADER,
  Action: 'export type Action = ActionContinue | ActionReject | ActionModify;',
  ActionContinue: "export interface ActionContinue { tag: 'continue', }",
  ActionReject: "export interface ActionReject { tag: 'reject', val: number, }",
  ActionModify: "export interface ActionModify { tag: 'modify', val: ModifyAction, }",
  ModifyAction:
    'export interface ModifyAction { status?: number, headersSet: Array<Header>, headersAdd: Array<Header>, headersRemove: Array<string>, bodyReplace?: Uint8Array, }',
};

export const SMG_WORLD: ExpectedWorld = {
  name: 'smg:gateway/smg',
  requireAll: false,
  interfaces: [
    {
      name: ON_REQUEST_INTERFACE,
      wit: 'on-request: func(req: request) -> action',
      jsName: 'onRequest',
      signature: '(Request): Action',
      types: {
        ...ACTION_TYPES,
        Request:
          'export interface Request { method: string, path: string, query: string, headers: Array<Header>, body: Uint8Array, requestId: string, nowEpochMs: bigint, }',
      },
    },
    {
      name: ON_RESPONSE_INTERFACE,
      wit: 'on-response: func(resp: response) -> action',
      jsName: 'onResponse',
      signature: '(Response): Action',
      types: {
        ...ACTION_TYPES,
        Response: 'export interface Response { status: number, headers: Array<Header>, body: Uint8Array, }',
      },
    },
  ],
};
