// GET/DELETE /v1/responses/{id} and GET /v1/responses/{id}/input_items, as SMG's response
// handlers: the stored raw response, the deletion object, the stored input items. Errors use
// SMG's router error shape with X-SMG-Error-Code (`not_found`, `storage_error`).
import { describeError } from '../../errors.js';
import { newItemId } from './history-ids.js';
import type { HistoryStore } from './history-store.js';
import type { Json, StoredResponse } from './history-types.js';
import { jsonReply, openAiError, type LocalReply } from './local-reply.js';
import { itemList } from './api-objects.js';

const missing = (id: string): LocalReply => openAiError(404, 'not_found', `No response found with id '${id}'`);

async function lookUp(store: HistoryStore, id: string, failure: string): Promise<StoredResponse | LocalReply> {
  try {
    return (await store.getResponse(id)) ?? missing(id);
  } catch (err) {
    return openAiError(500, 'storage_error', `${failure}: ${describeError(err)}`);
  }
}

const isReply = (value: StoredResponse | LocalReply): value is LocalReply => 'status' in value && 'body' in value;

export async function getResponse(store: HistoryStore, id: string): Promise<LocalReply> {
  const found = await lookUp(store, id, 'Failed to get response');
  return isReply(found) ? found : jsonReply(200, found.rawResponse);
}

export async function deleteResponse(store: HistoryStore, id: string): Promise<LocalReply> {
  const found = await lookUp(store, id, 'Failed to get response');
  if (isReply(found)) return found;
  try {
    await store.deleteResponse(id);
  } catch (err) {
    return openAiError(500, 'storage_error', `Failed to delete response: ${describeError(err)}`);
  }
  return jsonReply(200, { id, object: 'response.deleted', deleted: true });
}

/** Input items lacking an id get a fresh `msg_…` one on every read (as SMG). */
export async function listInputItems(store: HistoryStore, id: string): Promise<LocalReply> {
  const found = await lookUp(store, id, 'Failed to retrieve input items');
  if (isReply(found)) return found;
  const items: Json[] = Array.isArray(found.input) ? found.input : [];
  const data = items.map((item) =>
    item !== null && typeof item === 'object' && !Array.isArray(item) && item.id === undefined ? { ...item, id: newItemId('message') } : item,
  );
  return jsonReply(200, itemList(data, false, 'ids-first'));
}
