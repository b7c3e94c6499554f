import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GuestSlot, type ClosableGuest } from '../../../src/sentinel/guest-slot.js';

function guest(log: string[], name: string, fail = false): ClosableGuest {
  return {
    onRequestHeaders: async () => ({ decision: 'allow' }),
    onResponseHeaders: async () => ({ decision: 'allow' }),
    async close() {
      log.push(`close ${name}`);
      if (fail) throw new Error(`close ${name} failed`);
    },
  };
}

describe('GuestSlot', () => {
  it('closes a replaced guest at once when it has no calls running', async () => {
    const log: string[] = [];
    const slot = new GuestSlot(() => {});
    slot.install(guest(log, 'a'));
    slot.install(guest(log, 'b'));
    await slot.closeAll();
    assert.deepEqual(log, ['close a', 'close b']);
  });

  it('keeps a replaced guest until its last lease is released', async () => {
    const log: string[] = [];
    const slot = new GuestSlot(() => {});
    slot.install(guest(log, 'old'));
    const lease = slot.lease();
    assert.equal(slot.install(guest(log, 'new')), 2);
    const current = slot.lease();
    assert.equal(current.generation, 2);
    current.release();
    assert.deepEqual(log, []);
    assert.equal(slot.retiring, 1);
    lease.release();
    lease.release(); // idempotent
    await slot.closeAll();
    assert.deepEqual(log, ['close old', 'close new']);
  });

  it('closeAll(true) closes guests even while leased', async () => {
    const log: string[] = [];
    const slot = new GuestSlot(() => {});
    slot.install(guest(log, 'busy'));
    slot.lease();
    await slot.closeAll(true);
    assert.deepEqual(log, ['close busy']);
  });

  it('reports close errors and carries on', async () => {
    const log: string[] = [];
    const errors: unknown[] = [];
    const slot = new GuestSlot((err) => errors.push(err));
    slot.install(guest(log, 'a', true));
    await slot.closeAll();
    assert.equal(errors.length, 1);
  });

  it('a guest without close() is simply dropped', async () => {
    const slot = new GuestSlot(() => {});
    slot.install({ onRequestHeaders: async () => ({ decision: 'allow' }), onResponseHeaders: async () => ({ decision: 'allow' }) });
    await slot.closeAll();
    assert.throws(() => slot.lease());
  });
});
