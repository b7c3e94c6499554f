import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InstanceLimiter, InstancePool } from '../../../src/runtime/instance-pool.js';
import { WasmgateError } from '../../../src/errors.js';

function counterFactory() {
  let made = 0;
  const destroyed: number[] = [];
  return {
    create: async () => ({ id: ++made, calls: 0 }),
    destroy: (i: { id: number; calls: number }) => void destroyed.push(i.id),
    made: () => made,
    destroyed,
  };
}

test('instances are created eagerly and reused, so state persists between calls', async () => {
  const f = counterFactory();
  const pool = await InstancePool.create({ name: 'm', size: 3, ...f, limiter: new InstanceLimiter(100) });
  assert.equal(f.made(), 3);
  const counts = [];
  for (let i = 0; i < 5; i++) counts.push(await pool.use((inst) => ++inst.calls));
  assert.deepEqual(counts, [1, 2, 3, 4, 5]);
  assert.equal(f.made(), 3);
  await pool.close();
  assert.equal(f.destroyed.length, 3);
});

test('an instance whose call threw is discarded and replaced', async () => {
  const f = counterFactory();
  const replaced: unknown[] = [];
  const pool = await InstancePool.create({ name: 'm', size: 1, ...f, limiter: new InstanceLimiter(100), onReplace: (c) => replaced.push(c) });
  await assert.rejects(pool.use(() => { throw new Error('trap'); }), /trap/);
  assert.deepEqual(f.destroyed, [1]);
  assert.equal(replaced.length, 1);
  const id = await pool.use((inst) => inst.id);
  assert.equal(id, 2);
  await pool.close();
});

test('callers beyond the pool size wait, in order, for a free instance', async () => {
  // The only instance faults; its replacement is held back by a gate, so the next callers queue.
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let created = 0;
  const pool = await InstancePool.create({
    name: 'slow',
    size: 1,
    limiter: new InstanceLimiter(100),
    create: async () => {
      if (++created > 1) await gate;
      return { created };
    },
  });
  await assert.rejects(pool.use(() => { throw new Error('boom'); }));
  const order: number[] = [];
  const a = pool.use(() => order.push(1));
  const b = pool.use(() => order.push(2));
  assert.equal(pool.waiting, 2);
  release();
  await Promise.all([a, b]);
  assert.deepEqual(order, [1, 2]);
  await pool.close();
});

test('a bounded wait ends with WG_ERR_POOL_EXHAUSTED naming the module', async () => {
  const pool = await InstancePool.create({
    name: 'stuck-module',
    size: 1,
    limiter: new InstanceLimiter(100),
    acquireTimeoutMs: 30,
    create: (() => {
      let n = 0;
      return async () => {
        if (++n > 1) throw new Error('instantiation keeps failing');
        return {};
      };
    })(),
  });
  await assert.rejects(pool.use(() => { throw new Error('trap'); }));
  await assert.rejects(pool.use(() => 1), (err: unknown) => {
    return err instanceof WasmgateError && err.code === 'WG_ERR_POOL_EXHAUSTED' && err.message.includes('stuck-module');
  });
  await pool.close();
});

test('the process-wide instance limit refuses more instances with a clear error', async () => {
  const limiter = new InstanceLimiter(4);
  const pool = await InstancePool.create({ name: 'a', size: 3, limiter, create: async () => ({}) });
  await assert.rejects(
    InstancePool.create({ name: 'b', size: 2, limiter, create: async () => ({}) }),
    (err: unknown) => WasmgateError.is(err, 'WG_ERR_INSTANCE_LIMIT'),
  );
  assert.equal(limiter.live, 3, 'the failed pool gave back what it took');
  await pool.close();
  assert.equal(limiter.live, 0);
});

test('close rejects waiters and refuses new calls', async () => {
  const pool = await InstancePool.create({ name: 'm', size: 1, limiter: new InstanceLimiter(10), create: async () => ({}) });
  await pool.close();
  await assert.rejects(pool.use(() => 1), (err: unknown) => WasmgateError.is(err, 'WG_ERR_POOL_CLOSED'));
});

test('pool sizes outside 1..256 are rejected', async () => {
  await assert.rejects(InstancePool.create({ name: 'm', size: 0, create: async () => ({}) }), (e: unknown) => WasmgateError.is(e, 'WG_ERR_CONFIG_INVALID'));
});

test('a worn instance is retired after a successful call and replaced, without failing the call', async () => {
  let made = 0;
  let retired = 0;
  const pool = await InstancePool.create({
    name: 'm',
    size: 1,
    limiter: new InstanceLimiter(10),
    create: async () => ({ id: ++made, calls: 0 }),
    isWorn: (inst) => inst.calls >= 2,
    onRetire: () => retired++,
  });
  const ids = [];
  for (let i = 0; i < 5; i++) {
    ids.push(await pool.use((inst) => (inst.calls++, inst.id)));
    await new Promise((r) => setImmediate(r));
  }
  assert.deepEqual(ids, [1, 1, 2, 2, 3]);
  assert.equal(retired, 2);
  await pool.close();
});
