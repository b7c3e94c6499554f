// OpenAI-style objects the history routes answer with, and client items turned into stored items
// (SMG's conversation handlers: conversation_to_json, parse_item_from_value).
import { rfc3339, unixSeconds } from './history-json.js';
import type { Conversation, ConversationItem, Json, NewConversationItem } from './history-types.js';
import { IMPLEMENTED_ITEM_TYPES, type ItemInput } from './request-schemas.js';

/** `{"id", "object": "conversation", "created_at": <unix s>, "metadata"?}` (metadata only when non-empty, as SMG). */
export function conversationObject(c: Conversation): Json {
  const out: { [key: string]: Json } = { id: c.id, object: 'conversation', created_at: unixSeconds(c.createdAt) };
  if (c.metadata && Object.keys(c.metadata).length > 0) out.metadata = c.metadata;
  return out;
}

/** Message and reasoning items keep role and content; other types were stored whole as content. */
export function itemObject(item: ConversationItem, withCreatedAt = false): Json {
  let out: { [key: string]: Json };
  if (item.itemType === 'message' || item.itemType === 'reasoning') {
    out = { type: item.itemType, id: item.id };
    if (item.status !== null) out.status = item.status;
    if (item.role !== null) out.role = item.role;
    out.content = item.content;
  } else {
    const whole = item.content !== null && typeof item.content === 'object' && !Array.isArray(item.content) ? item.content : { content: item.content };
    out = { ...whole, type: item.itemType, id: item.id };
    if (item.status !== null) out.status = item.status;
  }
  if (withCreatedAt) out.created_at = rfc3339(item.createdAt);
  return out;
}

/** The list shape SMG answers for items: `{"object": "list", "data", "has_more", "first_id", "last_id"}`. */
export function itemList(data: Json[], hasMore: boolean, firstKey: 'has_more-first' | 'ids-first' = 'has_more-first'): Json {
  const first = idOf(data[0]);
  const last = idOf(data[data.length - 1]);
  return firstKey === 'has_more-first'
    ? { object: 'list', data, has_more: hasMore, first_id: first, last_id: last }
    : { object: 'list', data, first_id: first, last_id: last, has_more: hasMore };
}

function idOf(value: Json | undefined): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.id === 'string' ? value.id : null;
}

export interface ParsedItem {
  readonly item: NewConversationItem;
  readonly warning: string | undefined;
}

/** A client item → the item to create (id left to the caller). Status defaults to `completed`. */
export function newItemFrom(input: ItemInput): ParsedItem {
  const itemType = input.type ?? 'message';
  const warning = IMPLEMENTED_ITEM_TYPES.includes(itemType)
    ? undefined
    : `Item type '${itemType}' is accepted but not yet implemented. The item will be stored but may not function as expected.`;
  const content: Json = itemType === 'message' || itemType === 'reasoning' ? ((input.content as Json | undefined) ?? []) : (input as Json);
  return {
    item: { responseId: null, itemType, role: input.role ?? null, content, status: input.status ?? 'completed' },
    warning,
  };
}
