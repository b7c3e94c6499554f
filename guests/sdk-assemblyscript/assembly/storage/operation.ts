// `enum operation` of smg:storage: 17 cases, lowered as their index (a u8 discriminant, passed
// to the exports as an i32).
export enum Operation {
  CreateConversation = 0,
  GetConversation = 1,
  UpdateConversation = 2,
  DeleteConversation = 3,
  CreateItem = 4,
  LinkItem = 5,
  LinkItems = 6,
  ListItems = 7,
  GetItem = 8,
  IsItemLinked = 9,
  DeleteItem = 10,
  StoreResponse = 11,
  GetResponse = 12,
  DeleteResponse = 13,
  GetResponseChain = 14,
  ListIdentifierResponses = 15,
  DeleteIdentifierResponses = 16,
}

/** Number of cases; an index at or above it is a host bug and traps. */
export const OPERATION_COUNT: u32 = 17;

const NAMES: string[] = [
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
];

/** The WIT name of `op`, e.g. `store-response`. */
export function operationName(op: Operation): string {
  return NAMES[<i32>op];
}

/** Lifts the enum discriminant; traps on a value outside the 17 cases. */
export function liftOperation(value: u32): Operation {
  if (value >= OPERATION_COUNT) unreachable();
  return <Operation>value;
}
