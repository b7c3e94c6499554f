// Guests that trap or return garbage: every case is a typed error, the instance is replaced,
// and the next call on the module is served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SentinelJsonModule, GuestFault } from '../../src/index.js';
import { guestPath, SMALL_REQUEST } from '../helpers/guests.js';

const cases: Array<[string, string]> = [
  ['trap', 'trap'],
  ['div-by-zero', 'trap'],
  ['result-out-of-bounds', 'bad-output'],
  ['result-len-overflow', 'bad-output'],
  ['non-json-result', 'bad-output'],
  ['invalid-utf8-result', 'bad-output'],
  ['huge-result', 'bad-output'],
  ['alloc-returns-garbage', 'bad-output'],
];

for (const [name, kind] of cases) {
  test(`${name}: a ${kind} fault, counted by kind, and the pool replaces the instance`, async () => {
    const module = await SentinelJsonModule.load(guestPath('hostile', name), { poolSize: 1 });
    try {
      for (let i = 0; i < 3; i++) {
        await assert.rejects(module.call('request_headers', SMALL_REQUEST), (err: unknown) => err instanceof GuestFault && err.kind === kind);
      }
      const m = module.metrics;
      assert.equal(m.failuresByKind[kind as keyof typeof m.failuresByKind], 3);
      assert.equal(m.successes, 0);
    } finally {
      await module.close();
    }
  });
}
