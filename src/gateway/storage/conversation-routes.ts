// /v1/conversations routes, as SMG's conversation handlers: every storage call goes through the
// (hooked) store; errors are `{"error": "<message>"}` — 404 for a missing conversation or item,
// 400 for bad input, 500 `Failed to <action>: Storage error: <reason>` when storage (or the
// storage hook) fails.
import { describeError } from '../../errors.js';
import { conversationObject, itemList, itemObject, newItemFrom } from './api-objects.js';
import type { HistoryStore } from './history-store.js';
import type { Conversation, ItemLink, Json } from './history-types.js';
import { jsonReply, parseJsonBody, plainError, type LocalReply, type LocalRequest } from './local-reply.js';
import { DEFAULT_LIST_LIMIT, check, createConversationBody, createItemsBody, listItemsQuery, patchMetadata, updateConversationBody, type ItemInput } from './request-schemas.js';

const notFound = (message: string): LocalReply => plainError(404, message);
const failed = (action: string, err: unknown): LocalReply => plainError(500, `Failed to ${action}: ${describeError(err)}`);

/** Thrown inside a handler to answer at once. */
class Answer {
  constructor(readonly reply: LocalReply) {}
}

async function attempt<T>(action: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw new Answer(failed(action, err));
  }
}

async function existing(store: HistoryStore, id: string): Promise<Conversation> {
  const conversation = await attempt('get conversation', () => store.getConversation(id));
  if (!conversation) throw new Answer(notFound('Conversation not found'));
  return conversation;
}

function body<T>(request: LocalRequest, validate: (value: unknown) => { ok: true; data: T } | { ok: false; message: string }): T {
  const parsed = parseJsonBody(request.body);
  if (!parsed.ok) throw new Answer(plainError(400, parsed.message));
  const checked = validate(parsed.value);
  if (!checked.ok) throw new Answer(plainError(400, checked.message));
  return checked.data;
}

/** Runs a handler body; an Answer thrown inside becomes the reply. */
async function handle(work: () => Promise<LocalReply>): Promise<LocalReply> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof Answer) return err.reply;
    throw err;
  }
}

/**
 * SMG's process_item for each input: item_reference → the existing item; an item with an id →
 * refused if already linked, reused if it exists, else created with that id; otherwise created.
 * Then one link-items for the distinct ids.
 */
async function addItems(store: HistoryStore, conversationId: string, inputs: readonly ItemInput[]): Promise<{ data: Json[]; warnings: string[] }> {
  const data: Json[] = [];
  const warnings: string[] = [];
  const links: ItemLink[] = [];
  const seen = new Set<string>();
  const addedAt = Date.now();
  for (const input of inputs) {
    const type = input.type ?? 'message';
    let item;
    if (type === 'item_reference') {
      const id = input.id!;
      item = await attempt('get referenced item', () => store.getItem(id));
      if (!item) throw new Answer(notFound(`Referenced item '${id}' not found`));
    } else if (input.id !== undefined) {
      const id = input.id;
      if (await attempt('check item link', () => store.isItemLinked(conversationId, id))) {
        throw new Answer(
          jsonReply(400, { error: { message: 'Item already in conversation', type: 'invalid_request_error', param: 'items', code: 'item_already_in_conversation' } }),
        );
      }
      item = await attempt('check item existence', () => store.getItem(id));
      if (!item) {
        const parsed = newItemFrom(input);
        if (parsed.warning) warnings.push(parsed.warning);
        item = await attempt('create item', () => store.createItem({ ...parsed.item, id }));
      }
    } else {
      const parsed = newItemFrom(input);
      if (parsed.warning) warnings.push(parsed.warning);
      item = await attempt('create item', () => store.createItem(parsed.item));
    }
    if (!seen.has(item.id)) {
      seen.add(item.id);
      links.push({ itemId: item.id, addedAt });
    }
    data.push(itemObject(item));
  }
  await attempt('link items to conversation', () => store.linkItems(conversationId, links));
  return { data, warnings };
}

export function createConversation(store: HistoryStore, request: LocalRequest): Promise<LocalReply> {
  return handle(async () => {
    const input = body(request, (v) => check(createConversationBody, v));
    const conversation = await attempt('create conversation', () => store.createConversation(input.metadata === undefined ? {} : { metadata: input.metadata }));
    if (input.items !== undefined && input.items.length > 0) await addItems(store, conversation.id, input.items);
    return jsonReply(200, conversationObject(conversation));
  });
}

export function getConversation(store: HistoryStore, id: string): Promise<LocalReply> {
  return handle(async () => jsonReply(200, conversationObject(await existing(store, id))));
}

export function updateConversation(store: HistoryStore, id: string, request: LocalRequest): Promise<LocalReply> {
  return handle(async () => {
    const input = body(request, (v) => check(updateConversationBody, v));
    const current = await existing(store, id);
    const metadata = patchMetadata(current.metadata, input.metadata);
    if (!metadata.ok) return plainError(400, metadata.message);
    const updated = await attempt('update conversation', () => store.updateConversation(id, metadata.data));
    return updated ? jsonReply(200, conversationObject(updated)) : notFound('Conversation not found');
  });
}

export function deleteConversation(store: HistoryStore, id: string): Promise<LocalReply> {
  return handle(async () => {
    const deleted = await attempt('delete conversation', () => store.deleteConversation(id));
    return deleted ? jsonReply(200, { id, object: 'conversation.deleted', deleted: true }) : notFound('Conversation not found');
  });
}

export function listItems(store: HistoryStore, id: string, request: LocalRequest): Promise<LocalReply> {
  return handle(async () => {
    const query = Object.fromEntries(new URLSearchParams(request.query));
    const params = check(listItemsQuery, { limit: query.limit, order: query.order, after: query.after });
    if (!params.ok) return plainError(400, params.message);
    await existing(store, id);
    const limit = params.data.limit ?? DEFAULT_LIST_LIMIT;
    const order = params.data.order === 'asc' ? 'Asc' : 'Desc';
    const items = await attempt('list items', () => store.listItems(id, { limit, order, after: params.data.after ?? null }));
    // has_more as SMG computes it: a full page.
    return jsonReply(200, itemList(items.map((item) => itemObject(item, true)), items.length === limit));
  });
}

export function createItems(store: HistoryStore, id: string, request: LocalRequest): Promise<LocalReply> {
  return handle(async () => {
    await existing(store, id);
    const input = body(request, (v) => check(createItemsBody, v));
    const { data, warnings } = await addItems(store, id, input.items);
    const list = itemList(data, false, 'ids-first') as { [key: string]: Json };
    if (warnings.length > 0) list.warnings = warnings;
    return jsonReply(200, list);
  });
}

export function getItem(store: HistoryStore, id: string, itemId: string): Promise<LocalReply> {
  return handle(async () => {
    await existing(store, id);
    if (!(await attempt('check item link', () => store.isItemLinked(id, itemId)))) return notFound('Item not found in this conversation');
    const item = await attempt('get item', () => store.getItem(itemId));
    return item ? jsonReply(200, itemObject(item)) : notFound('Item not found');
  });
}

export function deleteItem(store: HistoryStore, id: string, itemId: string): Promise<LocalReply> {
  return handle(async () => {
    const conversation = await existing(store, id);
    await attempt('delete item', () => store.deleteItem(id, itemId));
    return jsonReply(200, conversationObject(conversation));
  });
}
