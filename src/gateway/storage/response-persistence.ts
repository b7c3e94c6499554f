// What POST /v1/responses stores once the upstream answered 200 JSON with an `id` (SMG persists
// in its handler the same way): the response through store-response, then — when the request
// named a conversation that exists — its input and output items (create-item each, one
// link-items). Failures (a hook reject included) are logged and never change the client's answer.
import type { Logger } from 'pino';
import { describeError } from '../../errors.js';
import type { HistoryStore } from './history-store.js';
import { StorageError } from './history-store.js';
import type { ItemLink, Json, NewConversationItem, StoredResponse } from './history-types.js';

type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** The request's input as an item list: a string becomes one user message. */
function inputItems(input: Json | undefined): Json {
  if (typeof input === 'string') return [{ type: 'message', role: 'user', content: input }];
  return Array.isArray(input) ? input : [];
}

function conversationIdOf(value: Json | undefined): string | null {
  if (typeof value === 'string') return value;
  return isObject(value) ? str(value.id) : null;
}

/** The record to store, or why there is none. */
export function storedResponseFrom(requestJson: unknown, responseJson: unknown, now: number): StoredResponse | string {
  if (!isObject(responseJson) || typeof responseJson.id !== 'string' || responseJson.id === '') return 'the response has no id';
  const request = isObject(requestJson) ? requestJson : {};
  if (request.store === false) return 'the request asked not to store it (store: false)';
  const created = responseJson.created_at;
  return {
    id: responseJson.id,
    previousResponseId: str(request.previous_response_id),
    input: inputItems(request.input),
    createdAt: typeof created === 'number' && Number.isFinite(created) && created > 0 ? Math.round(created * 1000) : now,
    safetyIdentifier: str(request.safety_identifier) ?? str(request.user),
    model: str(responseJson.model) ?? str(request.model),
    conversationId: conversationIdOf(request.conversation),
    rawResponse: responseJson,
  };
}

function itemFrom(value: Json, responseId: string): NewConversationItem | undefined {
  if (!isObject(value)) return undefined;
  const itemType = str(value.type) ?? 'message';
  const id = str(value.id);
  const content: Json = itemType === 'message' || itemType === 'reasoning' ? (value.content ?? []) : value;
  return { ...(id ? { id } : {}), responseId, itemType, role: str(value.role), content, status: str(value.status) ?? 'completed' };
}

export type PersistOutcome = 'stored' | 'rejected' | 'hook-failed' | 'backend' | 'other';

export async function persistResponse(store: HistoryStore, response: StoredResponse, log: Logger, requestId: string): Promise<PersistOutcome> {
  try {
    await store.storeResponse(response);
  } catch (err) {
    // SMG's log line; the client keeps its 200 and the response is not retrievable.
    log.warn({ requestId, responseId: response.id, err: describeError(err) }, `Failed to persist conversation items: Failed to store response: ${describeError(err)}`);
    return err instanceof StorageError ? err.failure : 'other';
  }
  if (response.conversationId === null) return 'stored';
  const conversationId = response.conversationId;
  try {
    if (!(await store.getConversation(conversationId))) {
      log.warn({ requestId, conversationId }, 'Failed to persist conversation items: conversation not found');
      return 'stored';
    }
    const output = isObject(response.rawResponse) && Array.isArray(response.rawResponse.output) ? response.rawResponse.output : [];
    const inputs = Array.isArray(response.input) ? response.input : [];
    const links: ItemLink[] = [];
    const addedAt = Date.now();
    for (const value of [...inputs, ...output]) {
      const item = itemFrom(value, response.id);
      if (!item) continue;
      const created = await store.createItem(item);
      if (!links.some((l) => l.itemId === created.id)) links.push({ itemId: created.id, addedAt });
    }
    await store.linkItems(conversationId, links);
  } catch (err) {
    log.warn({ requestId, conversationId, err: describeError(err) }, `Failed to persist conversation items: ${describeError(err)}`);
  }
  return 'stored';
}
