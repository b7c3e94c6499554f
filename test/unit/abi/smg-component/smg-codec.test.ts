// The host's canonical ABI lowering, checked through the echo guest: it returns every field it
// received (headers-set with method/path/query/request-id/body length/header count/now,
// headers-add = the headers as lowered, body-replace = the body as lowered).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSmgComponent, type ComponentInstanceHandle } from '../../../../src/abi/smg-component/smg-component.js';
import { plainCoreModuleHooks } from '../../../../src/abi/smg-component/core-module-hooks.js';
import type { SmgAction, SmgHeader, SmgRequest } from '../../../../src/abi/smg-component/types.js';
import { GuestFault } from '../../../../src/runtime/guest-fault.js';
import { SHARED_CACHE_DIR, guestBytes } from './component-guests.js';

const MiB = 1024 * 1024;
const enc = (s: string) => new TextEncoder().encode(s);

async function echo(maxBodySize = 2 * MiB): Promise<ComponentInstanceHandle> {
  const loaded = await loadSmgComponent(await guestBytes('echo'), { maxBodySize, name: 'echo', cacheDir: SHARED_CACHE_DIR });
  return loaded.instantiate(plainCoreModuleHooks);
}

function modify(action: SmgAction) {
  assert.equal(action.tag, 'modify');
  return (action as Extract<SmgAction, { tag: 'modify' }>).modify;
}

const setOf = (headers: SmgHeader[]) => Object.fromEntries(headers.map((h) => [h.name, h.value]));

function req(overrides: Partial<SmgRequest>): SmgRequest {
  return { method: 'GET', path: '/', query: '', headers: [], body: new Uint8Array(0), requestId: 'r', nowEpochMs: 0, ...overrides };
}

test('multi-byte UTF-8 in every string field survives lowering', async () => {
  const inst = await echo();
  const headers = [
    { name: 'x-ünï', value: 'välüe €' },
    { name: 'x-emoji', value: '😀 ok' },
  ];
  const m = modify(inst.onRequest!(req({ method: 'PÖST', path: '/ü/€/😀', query: 'q=日本', requestId: 'id-ß', headers, body: enc('bödy') })));
  const set = setOf(m.headersSet);
  assert.equal(set['x-method'], 'PÖST');
  assert.equal(set['x-path'], '/ü/€/😀');
  assert.equal(set['x-query'], 'q=日本');
  assert.equal(set['x-request-id'], 'id-ß');
  assert.equal(set['x-body-len'], String(enc('bödy').byteLength));
  assert.deepEqual(m.headersAdd, headers);
  assert.deepEqual(m.bodyReplace, enc('bödy'));
});

test('long non-ASCII strings take the native encoder path and survive too', async () => {
  const inst = await echo();
  const long = 'é'.repeat(500) + '😀'.repeat(100);
  const m = modify(inst.onRequest!(req({ path: long, headers: [{ name: 'x-long', value: long }] })));
  assert.equal(setOf(m.headersSet)['x-path'], long);
  assert.deepEqual(m.headersAdd, [{ name: 'x-long', value: long }]);
});

test('empty strings, an empty header list and an empty body are lowered as empty', async () => {
  const inst = await echo();
  const m = modify(inst.onRequest!(req({ method: '', path: '', query: '', requestId: '', headers: [], body: new Uint8Array(0) })));
  const set = setOf(m.headersSet);
  assert.deepEqual([set['x-method'], set['x-path'], set['x-query'], set['x-request-id']], ['', '', '', '']);
  assert.equal(set['x-header-count'], '0');
  assert.equal(set['x-body-len'], '0');
  assert.deepEqual(m.headersAdd, []);
  assert.deepEqual(m.bodyReplace, new Uint8Array(0));
});

test('a 1 MiB body is lowered intact', async () => {
  const inst = await echo();
  const body = new Uint8Array(MiB);
  for (let i = 0; i < body.length; i++) body[i] = (i * 31 + 7) & 0xff;
  const m = modify(inst.onRequest!(req({ body })));
  assert.equal(setOf(m.headersSet)['x-body-len'], String(MiB));
  assert.deepEqual(m.bodyReplace, body);
});

test('a body-replace larger than max_body_size is refused as bad output', async () => {
  const inst = await echo(MiB);
  assert.throws(
    () => inst.onRequest!(req({ body: new Uint8Array(MiB + 1) })),
    (err: unknown) => err instanceof GuestFault && err.kind === 'bad-output',
  );
});

test('duplicate headers keep their order and count', async () => {
  const inst = await echo();
  const headers = [
    { name: 'x-a', value: '1' },
    { name: 'x-b', value: '2' },
    { name: 'x-a', value: '3' },
  ];
  const m = modify(inst.onRequest!(req({ headers })));
  assert.equal(setOf(m.headersSet)['x-header-count'], '3');
  assert.deepEqual(m.headersAdd, headers);
});

test('now-epoch-ms is lowered as a u64, exact up to 2^53 - 1', async () => {
  const inst = await echo();
  for (const now of [0, 1_700_000_000_123, Number.MAX_SAFE_INTEGER]) {
    assert.equal(setOf(modify(inst.onRequest!(req({ nowEpochMs: now }))).headersSet)['x-now'], String(now));
  }
});

test('many calls on one instance reuse guest memory without drift', async () => {
  const inst = await echo();
  for (let i = 0; i < 2000; i++) {
    const m = modify(inst.onRequest!(req({ path: `/p/${i}`, body: enc(`b${i}`) })));
    assert.equal(setOf(m.headersSet)['x-path'], `/p/${i}`);
  }
});

test('the response record is lowered: status, headers and body', async () => {
  const inst = await echo();
  const headers = [{ name: 'content-type', value: 'application/json; charset=utf-8' }];
  const m = modify(inst.onResponse!({ status: 599, headers, body: enc('{"ok":true}') }));
  assert.equal(m.status, 599);
  assert.deepEqual(setOf(m.headersSet), { 'x-status': '599', 'x-body-len': '11' });
  assert.deepEqual(m.headersAdd, headers);
  assert.deepEqual(m.bodyReplace, enc('{"ok":true}'));
});
