// HookedHistoryStore's call sequence (reference §4.3) with a scripted hook: before → backend →
// after; reject skips backend and after; a backend failure skips after; the failure policy
// (fail-closed by default, SMG's fail-open on request); after() columns merged into written records.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BeforeResult, ContextEntry, ExtraColumn, StorageOperation } from '../../../../src/abi/index.js';
import { HookedHistoryStore } from '../../../../src/gateway/storage/hooked-history-store.js';
import { MemoryHistoryStore } from '../../../../src/gateway/storage/memory-history-store.js';
import { StorageError } from '../../../../src/gateway/storage/history-store.js';
import type { StorageHookCaller } from '../../../../src/gateway/storage/storage-hook-contract.js';
import { GuestFault } from '../../../../src/runtime/index.js';
import { LogCapture } from '../../../helpers/gateway-harness.js';

type Call = { phase: 'before' | 'after'; op: StorageOperation; context: readonly ContextEntry[]; payload: string; result?: string; extra?: readonly ExtraColumn[] };

class ScriptedHook implements StorageHookCaller {
  readonly calls: Call[] = [];
  constructor(
    readonly onBefore: (op: StorageOperation) => BeforeResult | Error = () => ({ tag: 'do-continue', columns: [] }),
    readonly onAfter: (op: StorageOperation, extra: readonly ExtraColumn[]) => ExtraColumn[] | Error = (_op, extra) => [...extra],
  ) {}
  async before(op: StorageOperation, context: readonly ContextEntry[], payload: string): Promise<BeforeResult> {
    this.calls.push({ phase: 'before', op, context, payload });
    const r = this.onBefore(op);
    if (r instanceof Error) throw r;
    return r;
  }
  async after(op: StorageOperation, context: readonly ContextEntry[], payload: string, result: string, extra: readonly ExtraColumn[]): Promise<ExtraColumn[]> {
    this.calls.push({ phase: 'after', op, context, payload, result, extra });
    const r = this.onAfter(op, extra);
    if (r instanceof Error) throw r;
    return r;
  }
}

function setup(hook: ScriptedHook, failOpen?: boolean) {
  const logs = new LogCapture();
  const backend = new MemoryHistoryStore({ now: () => Date.UTC(2026, 0, 1) });
  const store = new HookedHistoryStore(backend, hook, { log: logs.logger, failOpen }).withContext([{ key: 'tenant_id', value: 'acme' }]);
  return { logs, backend, store };
}

const col = (name: string, value: string): ExtraColumn => ({ name, value });
const trap = () => new GuestFault('trap', 'guest trapped in before: unreachable');

describe('HookedHistoryStore', () => {
  it('calls before, the backend, then after with the payload, the result JSON and the before columns', async () => {
    const hook = new ScriptedHook(() => ({ tag: 'do-continue', columns: [col('TENANT_ID', 'acme'), col('X', '1'), col('X', '2')] }));
    const { store, backend } = setup(hook);
    const c = await store.createConversation({ metadata: { k: 'v' } });
    assert.deepEqual(
      hook.calls.map((c) => c.phase),
      ['before', 'after'],
    );
    assert.deepEqual(hook.calls[0]!.context, [{ key: 'tenant_id', value: 'acme' }]);
    assert.equal(hook.calls[0]!.payload, '{"metadata":{"k":"v"}}');
    assert.equal(hook.calls[1]!.payload, '{"metadata":{"k":"v"}}');
    assert.equal(hook.calls[1]!.result, `{"id":"${c.id}","created_at":"2026-01-01T00:00:00Z","metadata":{"k":"v"}}`);
    assert.deepEqual(hook.calls[1]!.extra, [col('TENANT_ID', 'acme'), col('X', '2')], 'duplicate names: the last value wins');
    assert.deepEqual((backend.dump().conversations[0] as { extra_columns: unknown }).extra_columns, { TENANT_ID: 'acme', X: '2' });
  });

  it('reject: Storage error: <reason>, no backend call, no after()', async () => {
    const hook = new ScriptedHook(() => ({ tag: 'reject', reason: 'tenant_id is required' }));
    const { store, backend } = setup(hook);
    await assert.rejects(store.createConversation({}), (err: unknown) => err instanceof StorageError && err.message === 'Storage error: tenant_id is required' && err.failure === 'rejected');
    assert.deepEqual(hook.calls.map((c) => c.phase), ['before']);
    assert.equal(backend.dump().conversations.length, 0);
  });

  it('a backend failure is returned and after() is skipped', async () => {
    const hook = new ScriptedHook();
    const { store, backend } = setup(hook);
    backend.getConversation = async () => {
      throw new Error('disk on fire');
    };
    await assert.rejects(store.getConversation('conv_1'), (err: unknown) => err instanceof StorageError && err.failure === 'backend' && err.message === 'Storage error: disk on fire');
    assert.deepEqual(hook.calls.map((c) => c.phase), ['before']);
  });

  it('fail-closed (default): a failing before() fails the operation and the backend is not called', async () => {
    const hook = new ScriptedHook(trap);
    const { store, backend, logs } = setup(hook);
    await assert.rejects(
      store.createConversation({}),
      (err: unknown) => err instanceof StorageError && err.failure === 'hook-failed' && /^Storage error: storage hook before\(\) failed for create-conversation: guest trapped/.test(err.message),
    );
    assert.equal(backend.dump().conversations.length, 0);
    assert.ok(logs.find(/storage hook before\(\) failed for CreateConversation; failing the operation/));
  });

  it("fail-open: a failing before() is logged with SMG's text and the operation goes on without columns", async () => {
    const hook = new ScriptedHook(trap);
    const { store, backend, logs } = setup(hook, true);
    const c = await store.createConversation({});
    assert.ok(await backend.getConversation(c.id));
    assert.deepEqual((backend.dump().conversations[0] as { extra_columns: unknown }).extra_columns, {});
    const line = logs.find(/^before hook error for CreateConversation, continuing: hook error: guest trapped/);
    assert.ok(line);
    assert.equal(line.level, 40);
    assert.deepEqual(hook.calls.at(-1)!.extra, []);
  });

  it('after() failure: fail-closed fails the (already applied) operation; fail-open logs and returns the result', async () => {
    const closed = setup(new ScriptedHook(undefined, trap));
    await assert.rejects(closed.store.createConversation({}), (err: unknown) => err instanceof StorageError && /after\(\) failed for create-conversation/.test(err.message));
    assert.equal(closed.backend.dump().conversations.length, 1, 'the backend change is not rolled back');
    const open = setup(new ScriptedHook(undefined, trap), true);
    assert.ok(await open.store.createConversation({}));
    assert.ok(open.logs.find(/^after hook error for CreateConversation: hook error: guest trapped/));
  });

  it("merges after()'s columns into written records (add and overwrite, never remove); reads keep nothing", async () => {
    const hook = new ScriptedHook(
      (op) => ({ tag: 'do-continue', columns: op === 'create-item' ? [col('TENANT_ID', 'acme'), col('KEEP', 'k')] : [] }),
      (op) => (op === 'create-item' ? [col('TENANT_ID', 'changed'), col('AUDITED_AT', '42')] : [col('READ', 'x')]),
    );
    const { store, backend } = setup(hook);
    const item = await store.createItem({ responseId: null, itemType: 'message', role: 'user', content: 'hi', status: null });
    await store.getItem(item.id);
    await store.linkItems('conv_1', [{ itemId: item.id, addedAt: 1 }]);
    const dump = backend.dump();
    assert.deepEqual((dump.items[0] as { extra_columns: unknown }).extra_columns, { TENANT_ID: 'changed', KEEP: 'k', AUDITED_AT: '42' });
    assert.deepEqual((dump.links[0] as { extra_columns: unknown }).extra_columns, { READ: 'x' }, 'link-items: after() columns go to every link');
  });

  it('an empty context when none is bound', async () => {
    const hook = new ScriptedHook();
    const store = new HookedHistoryStore(new MemoryHistoryStore(), hook, { log: new LogCapture().logger });
    await store.getResponse('resp_1');
    assert.deepEqual(hook.calls[0]!.context, []);
    assert.equal(hook.calls[0]!.payload, '"resp_1"');
    assert.equal(hook.calls[1]!.result, 'null');
  });
});
