// The records SMG's history storage keeps (data_connector core types), in TypeScript form.
// Timestamps are epoch milliseconds here; history-json.ts renders them as SMG does.

/** JSON as parsed (serde_json::Value). */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A conversation's metadata (a JSON object). */
export type Metadata = { [key: string]: Json };

/** Extra columns of one record: name → string value (a hook's list, last value wins). */
export type ExtraColumns = Readonly<Record<string, string>>;

export interface NewConversation {
  /** Omitted: the store generates `conv_<50 hex>`. */
  readonly id?: string;
  readonly metadata?: Metadata;
}

export interface Conversation {
  readonly id: string;
  readonly createdAt: number;
  /** Undefined: no metadata (serialised without the key). */
  readonly metadata?: Metadata;
}

export interface NewConversationItem {
  /** Omitted: the store generates one from the item type (`msg_…`, `rs_…`, `itm_…`, ...). */
  readonly id?: string;
  readonly responseId: string | null;
  readonly itemType: string;
  readonly role: string | null;
  readonly content: Json;
  readonly status: string | null;
}

export interface ConversationItem {
  readonly id: string;
  readonly responseId: string | null;
  readonly itemType: string;
  readonly role: string | null;
  readonly content: Json;
  readonly status: string | null;
  readonly createdAt: number;
}

export type SortOrder = 'Asc' | 'Desc';

export interface ListParams {
  readonly limit: number;
  readonly order: SortOrder;
  /** Item id cursor. */
  readonly after: string | null;
}

export interface ItemLink {
  readonly itemId: string;
  /** When the item was added to the conversation (epoch ms). */
  readonly addedAt: number;
}

export interface StoredResponse {
  readonly id: string;
  readonly previousResponseId: string | null;
  /** Input items (a JSON array). */
  readonly input: Json;
  readonly createdAt: number;
  readonly safetyIdentifier: string | null;
  readonly model: string | null;
  readonly conversationId: string | null;
  /** The response object as the upstream answered it. */
  readonly rawResponse: Json;
}

export interface ResponseChain {
  /** Oldest first. */
  readonly responses: readonly StoredResponse[];
  readonly metadata: Metadata;
}

/** A stored record extra columns can be attached to after the fact (after() results). */
export type RecordRef =
  | { readonly kind: 'conversation'; readonly id: string }
  | { readonly kind: 'item'; readonly id: string }
  | { readonly kind: 'link'; readonly conversationId: string; readonly itemId: string }
  | { readonly kind: 'response'; readonly id: string };
