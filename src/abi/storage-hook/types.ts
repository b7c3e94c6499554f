// Plain TypeScript forms of the smg:storage WIT types (../shared/reference/wit/smg-storage.wit).

export const STORAGE_OPERATIONS = [
  'create-conversation',
  'get-conversation',
  'update-conversation',
  'delete-conversation',
  'create-item',
  'link-item',
  'link-items',
  'list-items',
  'get-item',
  'is-item-linked',
  'delete-item',
  'store-response',
  'get-response',
  'delete-response',
  'get-response-chain',
  'list-identifier-responses',
  'delete-identifier-responses',
] as const;

/** WIT enum `operation`; the discriminant is the index in STORAGE_OPERATIONS. */
export type StorageOperation = (typeof STORAGE_OPERATIONS)[number];

export interface ContextEntry {
  key: string;
  value: string;
}

export interface ExtraColumn {
  name: string;
  value: string;
}

export type BeforeResult = { tag: 'do-continue'; columns: ExtraColumn[] } | { tag: 'reject'; reason: string };
