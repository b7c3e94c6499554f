// Wraps any HistoryStore with the storage hook, per SMG's call sequence (reference §4.3):
//   payload (§4.4) → before(op, context, payload)
//     do-continue(cols) → cols are the operation's extra columns (write operations store them)
//     reject(reason)    → StorageError `Storage error: <reason>`; backend and after() skipped
//   → backend operation (a failure skips after())
//   → after(op, context, payload, result_json, extra)
// Differences from SMG (documented in docs/gateway.md):
//   * failure policy: fail-closed by default — a failing hook call (trap, timeout, memory, pool)
//     fails the operation with a StorageError; `failOpen: true` is SMG's behaviour (warn, go on
//     without columns). In fail-closed mode an after() failure also fails the operation, although
//     the backend change has been made (it is not rolled back).
//   * after()'s returned columns are merged into the stored record of write operations (SMG
//     discards them); they can add or overwrite columns, never remove one.
import { describeError } from '../../errors.js';
import type { BeforeResult, ContextEntry, ExtraColumn, StorageOperation } from '../../abi/index.js';
import { chainJson, conversationJson, itemJson, payloads, responseJson } from './history-json.js';
import { StorageError, type HistoryDump, type HistoryStore } from './history-store.js';
import { columnList, columnsRecord, failureKind, operationName, type HookedHistoryStoreOptions, type HookPhase, type StorageHookCaller } from './storage-hook-contract.js';
import type {
  Conversation,
  ConversationItem,
  ExtraColumns,
  ItemLink,
  Json,
  ListParams,
  Metadata,
  NewConversation,
  NewConversationItem,
  RecordRef,
  ResponseChain,
  StoredResponse,
} from './history-types.js';

interface OperationSpec<T> {
  readonly op: StorageOperation;
  readonly payload: Json;
  readonly run: (extra: ExtraColumns) => Promise<T>;
  readonly result: (value: T) => Json;
  /** Write operations: the records after()'s columns go to. */
  readonly records?: (value: T) => RecordRef[];
}

export class HookedHistoryStore implements HistoryStore {
  readonly inner: HistoryStore;
  readonly hook: StorageHookCaller;
  readonly failOpen: boolean;
  readonly context: readonly ContextEntry[];
  readonly #options: HookedHistoryStoreOptions;

  constructor(inner: HistoryStore, hook: StorageHookCaller, options: HookedHistoryStoreOptions) {
    this.inner = inner;
    this.hook = hook;
    this.failOpen = options.failOpen ?? false;
    this.context = Object.freeze([...(options.context ?? [])]);
    this.#options = options;
  }

  /** The same store, with the context entries of one request. */
  withContext(context: readonly ContextEntry[]): HookedHistoryStore {
    return new HookedHistoryStore(this.inner, this.hook, { ...this.#options, context });
  }

  async #operate<T>(spec: OperationSpec<T>): Promise<T> {
    const { op } = spec;
    const payload = JSON.stringify(spec.payload) ?? 'null';
    const before = await this.#before(op, payload);
    if (before.tag === 'reject') {
      this.#options.observer?.operation(op, 'rejected');
      this.#options.log.info({ op, reason: before.reason }, `storage hook rejected ${operationName(op)}`);
      throw new StorageError('rejected', before.reason);
    }
    const columns = columnsRecord(before.columns);
    const extra = columnList(columns);
    let value: T;
    try {
      value = await spec.run(columns);
    } catch (err) {
      this.#options.observer?.operation(op, 'backend_error');
      throw err instanceof StorageError ? err : new StorageError('backend', describeError(err), { cause: err });
    }
    await this.#after(spec, payload, value, extra);
    this.#options.observer?.operation(op, 'ok');
    return value;
  }

  async #before(op: StorageOperation, payload: string): Promise<BeforeResult> {
    const started = performance.now();
    try {
      const result = await this.hook.before(op, this.context, payload);
      this.#options.observer?.hookCall('before', op, result.tag === 'reject' ? 'reject' : 'continue', (performance.now() - started) * 1000);
      this.#options.log.debug({ op, payload, context: this.context, result }, 'storage hook before()');
      return result;
    } catch (err) {
      this.#options.observer?.hookCall('before', op, 'error', (performance.now() - started) * 1000, failureKind(err));
      return this.#hookFailed('before', op, err, { tag: 'do-continue', columns: [] });
    }
  }

  async #after<T>(spec: OperationSpec<T>, payload: string, value: T, extra: ExtraColumn[]): Promise<void> {
    const { op } = spec;
    const started = performance.now();
    let returned: ExtraColumn[];
    try {
      returned = await this.hook.after(op, this.context, payload, JSON.stringify(spec.result(value)) ?? 'null', extra);
      this.#options.observer?.hookCall('after', op, 'ok', (performance.now() - started) * 1000);
    } catch (err) {
      this.#options.observer?.hookCall('after', op, 'error', (performance.now() - started) * 1000, failureKind(err));
      this.#hookFailed('after', op, err, undefined);
      return;
    }
    if (!spec.records || returned.length === 0 || !this.inner.annotate) return;
    const columns = columnsRecord(returned);
    for (const ref of spec.records(value)) await this.inner.annotate(ref, columns);
  }

  /** Fail-open: log as SMG does and carry on with `fallback`. Fail-closed: a StorageError. */
  #hookFailed<R>(phase: HookPhase, op: StorageOperation, err: unknown, fallback: R): R {
    const message = describeError(err);
    if (this.failOpen) {
      const text =
        phase === 'before'
          ? `before hook error for ${operationName(op)}, continuing: hook error: ${message}`
          : `after hook error for ${operationName(op)}: hook error: ${message}`;
      this.#options.log.warn({ op, err: message, failOpen: true }, text);
      return fallback;
    }
    this.#options.log.error({ op, phase, err: message, failOpen: false }, `storage hook ${phase}() failed for ${operationName(op)}; failing the operation (fail-closed)`);
    this.#options.observer?.operation(op, 'hook_error');
    throw new StorageError('hook-failed', `storage hook ${phase}() failed for ${op}: ${message}`, { cause: err });
  }

  // ---- the 17 operations ----

  createConversation(input: NewConversation): Promise<Conversation> {
    return this.#operate({
      op: 'create-conversation',
      payload: payloads.createConversation(input),
      run: (extra) => this.inner.createConversation(input, extra),
      result: conversationJson,
      records: (c) => [{ kind: 'conversation', id: c.id }],
    });
  }

  getConversation(id: string): Promise<Conversation | null> {
    return this.#operate({ op: 'get-conversation', payload: id, run: () => this.inner.getConversation(id), result: (c) => (c ? conversationJson(c) : null) });
  }

  updateConversation(id: string, metadata: Metadata | null): Promise<Conversation | null> {
    return this.#operate({
      op: 'update-conversation',
      payload: payloads.updateConversation(id, metadata),
      run: (extra) => this.inner.updateConversation(id, metadata, extra),
      result: (c) => (c ? conversationJson(c) : null),
      records: (c) => (c ? [{ kind: 'conversation', id: c.id }] : []),
    });
  }

  deleteConversation(id: string): Promise<boolean> {
    return this.#operate({ op: 'delete-conversation', payload: id, run: () => this.inner.deleteConversation(id), result: (deleted) => deleted });
  }

  createItem(item: NewConversationItem): Promise<ConversationItem> {
    return this.#operate({
      op: 'create-item',
      payload: payloads.createItem(item),
      run: (extra) => this.inner.createItem(item, extra),
      result: itemJson,
      records: (created) => [{ kind: 'item', id: created.id }],
    });
  }

  linkItem(conversationId: string, itemId: string, addedAt: number): Promise<void> {
    return this.#operate({
      op: 'link-item',
      payload: payloads.linkItem(conversationId, itemId, addedAt),
      run: (extra) => this.inner.linkItem(conversationId, itemId, addedAt, extra),
      result: () => null,
      records: () => [{ kind: 'link', conversationId, itemId }],
    });
  }

  linkItems(conversationId: string, items: readonly ItemLink[]): Promise<void> {
    return this.#operate({
      op: 'link-items',
      payload: payloads.linkItems(conversationId, items.length),
      run: (extra) => this.inner.linkItems(conversationId, items, extra),
      result: () => null,
      records: () => items.map(({ itemId }) => ({ kind: 'link' as const, conversationId, itemId })),
    });
  }

  listItems(conversationId: string, params: ListParams): Promise<ConversationItem[]> {
    return this.#operate({
      op: 'list-items',
      payload: payloads.listItems(conversationId, params),
      run: () => this.inner.listItems(conversationId, params),
      result: (items) => items.map(itemJson),
    });
  }

  getItem(itemId: string): Promise<ConversationItem | null> {
    return this.#operate({ op: 'get-item', payload: itemId, run: () => this.inner.getItem(itemId), result: (item) => (item ? itemJson(item) : null) });
  }

  isItemLinked(conversationId: string, itemId: string): Promise<boolean> {
    return this.#operate({
      op: 'is-item-linked',
      payload: payloads.itemInConversation(conversationId, itemId),
      run: () => this.inner.isItemLinked(conversationId, itemId),
      result: (linked) => linked,
    });
  }

  deleteItem(conversationId: string, itemId: string): Promise<void> {
    return this.#operate({
      op: 'delete-item',
      payload: payloads.itemInConversation(conversationId, itemId),
      run: () => this.inner.deleteItem(conversationId, itemId),
      result: () => null,
    });
  }

  storeResponse(response: StoredResponse): Promise<string> {
    return this.#operate({
      op: 'store-response',
      payload: responseJson(response),
      run: (extra) => this.inner.storeResponse(response, extra),
      result: (id) => id,
      records: (id) => [{ kind: 'response', id }],
    });
  }

  getResponse(id: string): Promise<StoredResponse | null> {
    return this.#operate({ op: 'get-response', payload: id, run: () => this.inner.getResponse(id), result: (r) => (r ? responseJson(r) : null) });
  }

  deleteResponse(id: string): Promise<void> {
    return this.#operate({ op: 'delete-response', payload: id, run: () => this.inner.deleteResponse(id), result: () => null });
  }

  getResponseChain(id: string, maxDepth: number | null): Promise<ResponseChain> {
    return this.#operate({
      op: 'get-response-chain',
      payload: payloads.responseChain(id, maxDepth),
      run: () => this.inner.getResponseChain(id, maxDepth),
      result: chainJson,
    });
  }

  listIdentifierResponses(identifier: string, limit: number | null): Promise<StoredResponse[]> {
    return this.#operate({
      op: 'list-identifier-responses',
      payload: payloads.listIdentifier(identifier, limit),
      run: () => this.inner.listIdentifierResponses(identifier, limit),
      result: (list) => list.map(responseJson),
    });
  }

  deleteIdentifierResponses(identifier: string): Promise<number> {
    return this.#operate({
      op: 'delete-identifier-responses',
      payload: payloads.deleteIdentifier(identifier),
      run: () => this.inner.deleteIdentifierResponses(identifier),
      result: (count) => count,
    });
  }

  dump(): HistoryDump {
    return this.inner.dump?.() ?? { backend: 'unknown', conversations: [], items: [], links: [], responses: [] };
  }
}
