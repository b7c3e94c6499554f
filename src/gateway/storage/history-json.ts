// The JSON SMG hands a storage hook (reference §4.4): payloads and result_json, compact, with
// serde's field order (serde_json is built with preserve_order), `"x"?` keys omitted when absent
// and other optional values as null. Timestamps: chrono's RFC 3339 form (UTC, `Z`, fractional
// digits only when non-zero — with millisecond clocks: none or 3).
import type { Conversation, ConversationItem, Json, ListParams, Metadata, NewConversation, NewConversationItem, ResponseChain, StoredResponse } from './history-types.js';

/** `2026-01-02T03:04:05Z` or `2026-01-02T03:04:05.123Z`. */
export function rfc3339(epochMs: number): string {
  const text = new Date(epochMs).toISOString();
  return text.endsWith('.000Z') ? `${text.slice(0, -5)}Z` : text;
}

/** Unix seconds (chrono's `timestamp()`), as the OpenAI-style API objects carry them. */
export function unixSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}

export function conversationJson(c: Conversation): Json {
  return c.metadata === undefined ? { id: c.id, created_at: rfc3339(c.createdAt) } : { id: c.id, created_at: rfc3339(c.createdAt), metadata: c.metadata };
}

export function itemJson(item: ConversationItem): Json {
  return {
    id: item.id,
    response_id: item.responseId,
    item_type: item.itemType,
    role: item.role,
    content: item.content,
    status: item.status,
    created_at: rfc3339(item.createdAt),
  };
}

export function responseJson(r: StoredResponse): Json {
  return {
    id: r.id,
    previous_response_id: r.previousResponseId,
    input: r.input,
    created_at: rfc3339(r.createdAt),
    safety_identifier: r.safetyIdentifier,
    model: r.model,
    conversation_id: r.conversationId,
    raw_response: r.rawResponse,
  };
}

export function chainJson(chain: ResponseChain): Json {
  return { responses: chain.responses.map(responseJson), metadata: chain.metadata };
}

/** Payloads, one per operation (the hooked store serialises them with JSON.stringify: compact). */
export const payloads = {
  createConversation(input: NewConversation): Json {
    const out: { [key: string]: Json } = {};
    if (input.id !== undefined) out.id = input.id;
    if (input.metadata !== undefined) out.metadata = input.metadata;
    return out;
  },
  updateConversation(id: string, metadata: Metadata | null): Json {
    return { id, metadata };
  },
  createItem(item: NewConversationItem): Json {
    const out: { [key: string]: Json } = {};
    if (item.id !== undefined) out.id = item.id;
    out.response_id = item.responseId;
    out.item_type = item.itemType;
    out.role = item.role;
    out.content = item.content;
    out.status = item.status;
    return out;
  },
  linkItem(conversationId: string, itemId: string, addedAt: number): Json {
    return { conversation_id: conversationId, item_id: itemId, added_at: rfc3339(addedAt) };
  },
  linkItems(conversationId: string, count: number): Json {
    return { conversation_id: conversationId, items_count: count };
  },
  listItems(conversationId: string, params: ListParams): Json {
    return { conversation_id: conversationId, params: { limit: params.limit, order: params.order, after: params.after } };
  },
  itemInConversation(conversationId: string, itemId: string): Json {
    return { conversation_id: conversationId, item_id: itemId };
  },
  responseChain(responseId: string, maxDepth: number | null): Json {
    return { response_id: responseId, max_depth: maxDepth };
  },
  listIdentifier(identifier: string, limit: number | null): Json {
    return { identifier, limit };
  },
  deleteIdentifier(identifier: string): Json {
    return { identifier };
  },
};
