// `--history-backend memory` (the default, as SMG): everything in process memory, lost on restart.
// Unlike SMG's memory backend, extra columns are kept with each record (and after() results merged
// into them) so they can be inspected in the admin debug listing. Item order within a conversation
// is (added_at, order of linking); SMG's is (added_at in whole seconds, item id).
import { newConversationId, newItemId } from './history-ids.js';
import { rfc3339 } from './history-json.js';
import type { HistoryDump, HistoryStore } from './history-store.js';
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

/** SMG's memory backend walks at most this many responses when no max_depth is given. */
export const DEFAULT_CHAIN_DEPTH = 100;

interface Stored<T> {
  value: T;
  columns: Record<string, string>;
}

interface Link {
  readonly addedAt: number;
  readonly seq: number;
  columns: Record<string, string>;
}

/** A record's own copy of its columns (no prototype: column names come from the hook). */
const columnsOf = (extra: ExtraColumns | undefined): Record<string, string> => Object.assign(Object.create(null) as Record<string, string>, extra);

export class MemoryHistoryStore implements HistoryStore {
  readonly #conversations = new Map<string, Stored<Conversation>>();
  readonly #items = new Map<string, Stored<ConversationItem>>();
  /** conversation id → item id → link. */
  readonly #links = new Map<string, Map<string, Link>>();
  readonly #responses = new Map<string, Stored<StoredResponse>>();
  /** safety identifier → response ids (insertion order). */
  readonly #byIdentifier = new Map<string, Set<string>>();
  #seq = 0;
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async createConversation(input: NewConversation, extra?: ExtraColumns): Promise<Conversation> {
    const conversation: Conversation = { id: input.id ?? newConversationId(), createdAt: this.#now(), ...(input.metadata === undefined ? {} : { metadata: input.metadata }) };
    this.#conversations.set(conversation.id, { value: conversation, columns: columnsOf(extra) });
    return conversation;
  }

  async getConversation(id: string): Promise<Conversation | null> {
    return this.#conversations.get(id)?.value ?? null;
  }

  async updateConversation(id: string, metadata: Metadata | null, extra?: ExtraColumns): Promise<Conversation | null> {
    const stored = this.#conversations.get(id);
    if (!stored) return null;
    const { metadata: _old, ...rest } = stored.value;
    stored.value = metadata === null ? rest : { ...rest, metadata };
    Object.assign(stored.columns, extra);
    return stored.value;
  }

  async deleteConversation(id: string): Promise<boolean> {
    this.#links.delete(id);
    return this.#conversations.delete(id);
  }

  async createItem(input: NewConversationItem, extra?: ExtraColumns): Promise<ConversationItem> {
    const item: ConversationItem = {
      id: input.id ?? newItemId(input.itemType),
      responseId: input.responseId,
      itemType: input.itemType,
      role: input.role,
      content: input.content,
      status: input.status,
      createdAt: this.#now(),
    };
    this.#items.set(item.id, { value: item, columns: columnsOf(extra) });
    return item;
  }

  async linkItem(conversationId: string, itemId: string, addedAt: number, extra?: ExtraColumns): Promise<void> {
    this.#link(conversationId, itemId, addedAt, extra);
  }

  async linkItems(conversationId: string, items: readonly ItemLink[], extra?: ExtraColumns): Promise<void> {
    for (const { itemId, addedAt } of items) this.#link(conversationId, itemId, addedAt, extra);
  }

  #link(conversationId: string, itemId: string, addedAt: number, extra: ExtraColumns | undefined): void {
    let links = this.#links.get(conversationId);
    if (!links) this.#links.set(conversationId, (links = new Map()));
    links.delete(itemId);
    links.set(itemId, { addedAt, seq: this.#seq++, columns: columnsOf(extra) });
  }

  async listItems(conversationId: string, params: ListParams): Promise<ConversationItem[]> {
    const links = this.#links.get(conversationId);
    if (!links) return [];
    const ordered = [...links].sort(([, a], [, b]) => a.addedAt - b.addedAt || a.seq - b.seq);
    if (params.order === 'Desc') ordered.reverse();
    // As SMG: a cursor that is not linked to this conversation is ignored.
    const at = params.after === null ? -1 : ordered.findIndex(([id]) => id === params.after);
    const out: ConversationItem[] = [];
    for (let i = at + 1; i < ordered.length && out.length < params.limit; i++) {
      const item = this.#items.get(ordered[i]![0]);
      if (item) out.push(item.value);
    }
    return out;
  }

  async getItem(itemId: string): Promise<ConversationItem | null> {
    return this.#items.get(itemId)?.value ?? null;
  }

  async isItemLinked(conversationId: string, itemId: string): Promise<boolean> {
    return this.#links.get(conversationId)?.has(itemId) ?? false;
  }

  async deleteItem(conversationId: string, itemId: string): Promise<void> {
    this.#links.get(conversationId)?.delete(itemId);
  }

  async storeResponse(response: StoredResponse, extra?: ExtraColumns): Promise<string> {
    this.#unindex(response.id);
    this.#responses.set(response.id, { value: response, columns: columnsOf(extra) });
    if (response.safetyIdentifier !== null) {
      let ids = this.#byIdentifier.get(response.safetyIdentifier);
      if (!ids) this.#byIdentifier.set(response.safetyIdentifier, (ids = new Set()));
      ids.add(response.id);
    }
    return response.id;
  }

  #unindex(id: string): void {
    const old = this.#responses.get(id)?.value;
    if (old?.safetyIdentifier != null) this.#byIdentifier.get(old.safetyIdentifier)?.delete(id);
  }

  async getResponse(id: string): Promise<StoredResponse | null> {
    return this.#responses.get(id)?.value ?? null;
  }

  async deleteResponse(id: string): Promise<void> {
    this.#unindex(id);
    this.#responses.delete(id);
  }

  async getResponseChain(id: string, maxDepth: number | null): Promise<ResponseChain> {
    const limit = maxDepth ?? DEFAULT_CHAIN_DEPTH;
    const responses: StoredResponse[] = [];
    const seen = new Set<string>();
    let current: string | null = id;
    while (current !== null && responses.length < limit && !seen.has(current)) {
      seen.add(current);
      const stored = this.#responses.get(current);
      if (!stored) break;
      responses.push(stored.value);
      current = stored.value.previousResponseId;
    }
    return { responses: responses.reverse(), metadata: {} };
  }

  async listIdentifierResponses(identifier: string, limit: number | null): Promise<StoredResponse[]> {
    const ids = this.#byIdentifier.get(identifier);
    if (!ids) return [];
    const found = [...ids].flatMap((id) => this.#responses.get(id)?.value ?? []);
    found.sort((a, b) => b.createdAt - a.createdAt);
    return limit === null ? found : found.slice(0, limit);
  }

  async deleteIdentifierResponses(identifier: string): Promise<number> {
    const ids = this.#byIdentifier.get(identifier);
    this.#byIdentifier.delete(identifier);
    let count = 0;
    for (const id of ids ?? []) if (this.#responses.delete(id)) count++;
    return count;
  }

  async annotate(ref: RecordRef, columns: ExtraColumns): Promise<void> {
    const target =
      ref.kind === 'conversation'
        ? this.#conversations.get(ref.id)
        : ref.kind === 'item'
          ? this.#items.get(ref.id)
          : ref.kind === 'response'
            ? this.#responses.get(ref.id)
            : this.#links.get(ref.conversationId)?.get(ref.itemId);
    if (target) Object.assign(target.columns, columns);
  }

  dump(): HistoryDump {
    const stamp = (ms: number): string => rfc3339(ms);
    return {
      backend: 'memory',
      conversations: [...this.#conversations.values()].map(({ value, columns }) => ({
        id: value.id,
        created_at: stamp(value.createdAt),
        metadata: value.metadata ?? null,
        extra_columns: { ...columns },
      })),
      items: [...this.#items.values()].map(({ value, columns }) => ({
        id: value.id,
        response_id: value.responseId,
        item_type: value.itemType,
        role: value.role,
        content: value.content,
        status: value.status,
        created_at: stamp(value.createdAt),
        extra_columns: { ...columns },
      })),
      links: [...this.#links].flatMap(([conversationId, links]) =>
        [...links].map(([itemId, link]) => ({ conversation_id: conversationId, item_id: itemId, added_at: stamp(link.addedAt), extra_columns: { ...link.columns } })),
      ),
      responses: [...this.#responses.values()].map(({ value, columns }) => ({
        id: value.id,
        previous_response_id: value.previousResponseId,
        conversation_id: value.conversationId,
        safety_identifier: value.safetyIdentifier,
        model: value.model,
        created_at: stamp(value.createdAt),
        extra_columns: { ...columns },
      })),
    };
  }
}
