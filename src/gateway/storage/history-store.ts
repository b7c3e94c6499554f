// The history storage contract: SMG's three storage traits (conversations, conversation items,
// responses) as one interface with their 17 operations (reference §4.2), plus the two things
// wasmgate adds — attaching extra columns to a stored record afterwards (after() results) and a
// debug listing. Backends: memory-history-store.ts, none-history-store.ts.
import type {
  Conversation,
  ConversationItem,
  ExtraColumns,
  ItemLink,
  ListParams,
  Metadata,
  NewConversation,
  NewConversationItem,
  RecordRef,
  ResponseChain,
  StoredResponse,
} from './history-types.js';

export const HISTORY_BACKENDS = ['memory', 'none'] as const;
export type HistoryBackendName = (typeof HISTORY_BACKENDS)[number];

/** SMG's backends wasmgate does not implement (refused with a clear message). */
export const UNSUPPORTED_HISTORY_BACKENDS: readonly string[] = ['postgres', 'oracle', 'redis'];

/**
 * The 17 operations. `extra` (write operations only, as SMG makes them available to backends) are
 * the extra columns the storage hook's before() returned.
 */
export interface HistoryStore {
  createConversation(input: NewConversation, extra?: ExtraColumns): Promise<Conversation>;
  getConversation(id: string): Promise<Conversation | null>;
  /** Replaces the metadata (null: none). Null when the conversation does not exist. */
  updateConversation(id: string, metadata: Metadata | null, extra?: ExtraColumns): Promise<Conversation | null>;
  /** True when something was deleted. */
  deleteConversation(id: string): Promise<boolean>;

  createItem(item: NewConversationItem, extra?: ExtraColumns): Promise<ConversationItem>;
  linkItem(conversationId: string, itemId: string, addedAt: number, extra?: ExtraColumns): Promise<void>;
  linkItems(conversationId: string, items: readonly ItemLink[], extra?: ExtraColumns): Promise<void>;
  listItems(conversationId: string, params: ListParams): Promise<ConversationItem[]>;
  getItem(itemId: string): Promise<ConversationItem | null>;
  isItemLinked(conversationId: string, itemId: string): Promise<boolean>;
  /** Unlinks the item from the conversation (the item itself stays). */
  deleteItem(conversationId: string, itemId: string): Promise<void>;

  /** Stores (or replaces) a response under its id; returns the id. */
  storeResponse(response: StoredResponse, extra?: ExtraColumns): Promise<string>;
  getResponse(id: string): Promise<StoredResponse | null>;
  deleteResponse(id: string): Promise<void>;
  /** Walks previous_response_id back from `id`; oldest first. */
  getResponseChain(id: string, maxDepth: number | null): Promise<ResponseChain>;
  /** Newest first. */
  listIdentifierResponses(identifier: string, limit: number | null): Promise<StoredResponse[]>;
  /** How many were deleted. */
  deleteIdentifierResponses(identifier: string): Promise<number>;

  /** Merges columns into a stored record (no-op when it does not exist). Optional. */
  annotate?(ref: RecordRef, columns: ExtraColumns): Promise<void>;
  /** Everything stored, with extra columns, for the admin debug listing. Optional. */
  dump?(): HistoryDump;
}

export interface HistoryDump {
  readonly backend: string;
  readonly conversations: readonly unknown[];
  readonly items: readonly unknown[];
  readonly links: readonly unknown[];
  readonly responses: readonly unknown[];
}

/** Why a storage operation failed. */
export type StorageFailure = 'rejected' | 'hook-failed' | 'backend';

/**
 * SMG's `StorageError(String)`: its text is `Storage error: <reason>`, which the HTTP handlers put
 * after their own prefix (`Failed to create conversation: Storage error: <reason>`).
 */
export class StorageError extends Error {
  readonly failure: StorageFailure;
  readonly reason: string;

  constructor(failure: StorageFailure, reason: string, options: { cause?: unknown } = {}) {
    super(`Storage error: ${reason}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StorageError';
    this.failure = failure;
    this.reason = reason;
  }
}
