// `--history-backend none` (as SMG's no-op backend): every operation succeeds and nothing is kept.
// Creates answer the record they would have stored; reads find nothing.
import { newConversationId, newItemId } from './history-ids.js';
import type { HistoryDump, HistoryStore } from './history-store.js';
import type { Conversation, ConversationItem, NewConversation, NewConversationItem, ResponseChain, StoredResponse } from './history-types.js';

export class NoneHistoryStore implements HistoryStore {
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async createConversation(input: NewConversation): Promise<Conversation> {
    return { id: input.id ?? newConversationId(), createdAt: this.#now(), ...(input.metadata === undefined ? {} : { metadata: input.metadata }) };
  }
  async getConversation(): Promise<Conversation | null> {
    return null;
  }
  async updateConversation(): Promise<Conversation | null> {
    return null;
  }
  async deleteConversation(): Promise<boolean> {
    return false;
  }
  async createItem(input: NewConversationItem): Promise<ConversationItem> {
    const { id, ...rest } = input;
    return { ...rest, id: id ?? newItemId(input.itemType), createdAt: this.#now() };
  }
  async linkItem(): Promise<void> {}
  async linkItems(): Promise<void> {}
  async listItems(): Promise<ConversationItem[]> {
    return [];
  }
  async getItem(): Promise<ConversationItem | null> {
    return null;
  }
  async isItemLinked(): Promise<boolean> {
    return false;
  }
  async deleteItem(): Promise<void> {}
  async storeResponse(response: StoredResponse): Promise<string> {
    return response.id;
  }
  async getResponse(): Promise<StoredResponse | null> {
    return null;
  }
  async deleteResponse(): Promise<void> {}
  async getResponseChain(): Promise<ResponseChain> {
    return { responses: [], metadata: {} };
  }
  async listIdentifierResponses(): Promise<StoredResponse[]> {
    return [];
  }
  async deleteIdentifierResponses(): Promise<number> {
    return 0;
  }
  dump(): HistoryDump {
    return { backend: 'none', conversations: [], items: [], links: [], responses: [] };
  }
}
