// How long a module call is recorded as taking: a module that runs its guest inside the call is
// timed over that part only, not over other requests' work that the microtask queue runs before the
// chain resumes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { HeaderList } from '../../../src/gateway/header-list.js';
import { runOnRequest, type ChainObserver } from '../../../src/gateway/middleware-chain.js';
import type { ChainEntry, ModuleRecord, SmgAction } from '../../../src/registry/index.js';

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** Runs one OnRequest module whose guest takes 5 ms, while 60 ms of other work waits in the microtask queue. */
async function recordedUs(runsNow: (() => boolean) | undefined): Promise<number> {
  const entry = {
    record: { noteAccess() {} } as unknown as ModuleRecord,
    name: 'slow-5ms',
    guest: {
      onRequest: (): Promise<SmgAction> => {
        spin(5);
        return Promise.resolve({ tag: 'continue' });
      },
      runsNow,
    },
    failOpen: true,
    maxBodySize: 1 << 20,
  } as ChainEntry;
  let durationUs = Number.NaN;
  const observer: ChainObserver = { onCall: (_entry, _point, us) => (durationUs = us) };
  const work = { method: 'GET', path: '/', query: '', headers: new HeaderList(), body: Buffer.alloc(0) };
  queueMicrotask(() => spin(60)); // another request's work, already queued
  const result = await runOnRequest([entry], work, { log: pino({ level: 'silent' }), observer, requestId: 'r' });
  assert.equal(result.kind, 'continue');
  return durationUs;
}

test('a module that runs its guest inside the call is timed over that part only', async () => {
  const us = await recordedUs(() => true);
  assert.ok(us >= 5000 && us < 30_000, `${us} µs`);
});

test('a module that does not (worker isolation, a queued call) is timed until its answer arrives', async () => {
  assert.ok((await recordedUs(undefined)) >= 60_000);
  assert.ok((await recordedUs(() => false)) >= 60_000);
});
