import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSmgComponent, type ComponentInstanceHandle, type LoadedComponent } from '../../../../src/abi/smg-component/smg-component.js';
import { plainCoreModuleHooks } from '../../../../src/abi/smg-component/core-module-hooks.js';
import type { CallPath } from '../../../../src/abi/smg-component/component/export-binding.js';
import type { SmgAction, SmgRequest } from '../../../../src/abi/smg-component/types.js';
import { GuestFault } from '../../../../src/runtime/guest-fault.js';
import { WasmgateError } from '../../../../src/errors.js';
import { SHARED_CACHE_DIR, guestBytes } from './component-guests.js';

const MiB = 1024 * 1024;
const PATHS: CallPath[] = ['direct', 'glue'];

function request(overrides: Partial<SmgRequest> = {}): SmgRequest {
  return {
    method: 'GET',
    path: '/v1/models',
    query: '',
    headers: [{ name: 'host', value: 'localhost' }],
    body: new Uint8Array(0),
    requestId: 'req-1',
    nowEpochMs: 1_700_000_000_000,
    ...overrides,
  };
}

async function load(name: string, callPath: CallPath = 'direct', maxBodySize = MiB): Promise<LoadedComponent> {
  return loadSmgComponent(await guestBytes(name), { maxBodySize, name, callPath, cacheDir: SHARED_CACHE_DIR });
}

async function instance(name: string, callPath: CallPath = 'direct'): Promise<ComponentInstanceHandle> {
  return (await load(name, callPath)).instantiate(plainCoreModuleHooks);
}

const hasCode = (code: string) => (err: unknown) => err instanceof WasmgateError && err.code === code;
const isFault = (kind: string) => (err: unknown) => err instanceof GuestFault && err.kind === kind;
const enc = (s: string) => new TextEncoder().encode(s);

test('a core module is refused with WG_ERR_MODULE_KIND_MISMATCH', async () => {
  const core = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  await assert.rejects(loadSmgComponent(core, { maxBodySize: MiB }), hasCode('WG_ERR_MODULE_KIND_MISMATCH'));
});

test('bytes that are not WebAssembly, or a broken component, are refused with WG_ERR_MODULE_INVALID', async () => {
  await assert.rejects(loadSmgComponent(enc('hello, world'), { maxBodySize: MiB }), hasCode('WG_ERR_MODULE_INVALID'));
  await assert.rejects(loadSmgComponent(new Uint8Array(0), { maxBodySize: MiB }), hasCode('WG_ERR_MODULE_INVALID'));
  const truncated = (await guestBytes('continue')).slice(0, 200);
  await assert.rejects(loadSmgComponent(truncated, { maxBodySize: MiB }), hasCode('WG_ERR_MODULE_INVALID'));
});

test('a component of another world is refused, naming what it exports and what was expected', async () => {
  const err = await load('wrong-world').then(
    () => assert.fail('loaded'),
    (e: unknown) => e,
  );
  assert.ok(hasCode('WG_ERR_MODULE_WRONG_WORLD')(err));
  const message = (err as Error).message;
  assert.ok(message.includes('wasmgate:other/greeter') && message.includes('smg:gateway/middleware-on-request'), message);
});

test('an export with the right interface name but another signature is refused', async () => {
  await assert.rejects(load('wrong-signature'), hasCode('WG_ERR_MODULE_WRONG_WORLD'));
});

test('a storage hook is not accepted as middleware', async () => {
  await assert.rejects(load('storage-tenant'), hasCode('WG_ERR_MODULE_WRONG_WORLD'));
});

test('a component importing a non-WASI interface is refused at load', async () => {
  await assert.rejects(load('imports-unknown'), hasCode('WG_ERR_MODULE_WRONG_WORLD'));
});

test('an invalid max_body_size is refused before loading', async () => {
  await assert.rejects(loadSmgComponent(await guestBytes('continue'), { maxBodySize: 0 }), hasCode('WG_ERR_CONFIG_INVALID'));
});

test('a component exporting only middleware-on-request is accepted and attaches to that point only', async () => {
  const loaded = await load('on-request-only');
  assert.equal(loaded.exportsOnRequest, true);
  assert.equal(loaded.exportsOnResponse, false);
  const inst = await loaded.instantiate(plainCoreModuleHooks);
  assert.equal(inst.onResponse, undefined);
  assert.deepEqual(inst.onRequest!(request()), { tag: 'reject', status: 403 });
});

test('a full smg component reports both exports, its sha256 and the direct call path', async () => {
  const bytes = await guestBytes('continue');
  const loaded = await loadSmgComponent(bytes, { maxBodySize: MiB, cacheDir: SHARED_CACHE_DIR });
  assert.equal(loaded.exportsOnRequest, true);
  assert.equal(loaded.exportsOnResponse, true);
  assert.equal(loaded.size, bytes.byteLength);
  assert.match(loaded.sha256, /^[0-9a-f]{64}$/);
  assert.equal(loaded.callPath, 'direct');
  assert.deepEqual(loaded.imports, []);
});

for (const callPath of PATHS) {
  test(`every action kind round-trips on both sides (${callPath} calls)`, async () => {
    const cont = await instance('continue', callPath);
    assert.deepEqual(cont.onRequest!(request()), { tag: 'continue' });
    assert.deepEqual(cont.onResponse!({ status: 200, headers: [], body: new Uint8Array(0) }), { tag: 'continue' });

    const reject = await instance('reject-401', callPath);
    assert.deepEqual(reject.onRequest!(request()), { tag: 'reject', status: 401 });
    assert.deepEqual(reject.onResponse!({ status: 200, headers: [], body: new Uint8Array(0) }), { tag: 'reject', status: 401 });

    const modReq = await instance('modify-request', callPath);
    const a = modReq.onRequest!(request()) as Extract<SmgAction, { tag: 'modify' }>;
    assert.equal(a.tag, 'modify');
    assert.deepEqual(a.modify.headersSet, [{ name: 'x-set', value: 'one' }]);
    assert.deepEqual(a.modify.headersAdd, [
      { name: 'x-add', value: 'two' },
      { name: 'x-add', value: 'three' },
    ]);
    assert.deepEqual(a.modify.headersRemove, ['x-remove-me']);
    assert.equal(a.modify.status, undefined);
    assert.deepEqual(a.modify.bodyReplace, enc('replaced body'));

    const modRes = await instance('modify-response', callPath);
    assert.deepEqual(modRes.onRequest!(request()), { tag: 'continue' });
    const r = modRes.onResponse!({ status: 200, headers: [{ name: 'a', value: 'b' }], body: enc('ok') }) as Extract<SmgAction, { tag: 'modify' }>;
    assert.equal(r.modify.status, 503);
    assert.deepEqual(r.modify.headersSet, [{ name: 'x-modified', value: 'yes' }]);
    assert.deepEqual(r.modify.headersAdd, []);
    assert.deepEqual(r.modify.headersRemove, []);
    assert.deepEqual(r.modify.bodyReplace, enc('service unavailable'));
  });

  test(`state persists across calls on one instance and not across instances (${callPath} calls)`, async () => {
    const loaded = await load('counter', callPath);
    const first = await loaded.instantiate(plainCoreModuleHooks);
    const count = (inst: ComponentInstanceHandle) => (inst.onRequest!(request()) as Extract<SmgAction, { tag: 'modify' }>).modify.headersAdd[0]!.value;
    assert.deepEqual([count(first), count(first), count(first)], ['1', '2', '3']);
    const second = await loaded.instantiate(plainCoreModuleHooks);
    assert.equal(count(second), '1');
    assert.equal(count(first), '4');
  });

  test(`a trap becomes GuestFault('trap') and leaves the instance unusable (${callPath} calls)`, async () => {
    const inst = await instance('trap', callPath);
    assert.throws(() => inst.onRequest!(request()), (err: unknown) => isFault('trap')(err) && (err as GuestFault).code === 'WG_ERR_GUEST_TRAP');
    assert.ok(inst.fault instanceof GuestFault);
    assert.throws(() => inst.onResponse!({ status: 200, headers: [], body: new Uint8Array(0) }), isFault('trap'));
  });

  test(`runaway recursion becomes GuestFault('stack') (${callPath} calls)`, async () => {
    const inst = await instance('trap', callPath);
    assert.throws(() => inst.onResponse!({ status: 200, headers: [], body: new Uint8Array(0) }), isFault('stack'));
    assert.equal(inst.fault?.kind, 'stack');
  });
}

test('a fresh instance of a component whose instance faulted works', async () => {
  const loaded = await load('trap');
  const broken = await loaded.instantiate(plainCoreModuleHooks);
  assert.throws(() => broken.onRequest!(request()), isFault('trap'));
  const fresh = await loaded.instantiate(plainCoreModuleHooks);
  assert.equal(fresh.fault, undefined);
});

const BAD_OUTPUTS = ['/bad-discriminant', '/bad-option', '/bad-pointer', '/bad-utf8', '/big-body', '/oob-body', '/misaligned', '/huge-list', '/alias'];

for (const path of BAD_OUTPUTS) {
  test(`malformed guest output is GuestFault('bad-output'): ${path}`, async () => {
    const inst = await instance('bad-output');
    assert.deepEqual(inst.onRequest!(request({ path: '/fine' })), { tag: 'continue' });
    assert.throws(
      () => inst.onRequest!(request({ path })),
      (err: unknown) => isFault('bad-output')(err) && (err as GuestFault).code === 'WG_ERR_GUEST_BAD_OUTPUT',
    );
    assert.throws(() => inst.onRequest!(request({ path: '/fine' })), isFault('bad-output'));
  });
}

test('direct calls and calls through the jco glue give the same actions', async () => {
  const direct = await instance('echo', 'direct');
  const glue = await instance('echo', 'glue');
  const req = request({
    method: 'PATCH',
    path: '/a%20b/ü',
    query: 'x=1&y=é',
    headers: [
      { name: 'x-dup', value: '1' },
      { name: 'x-dup', value: '2' },
      { name: 'x-empty', value: '' },
    ],
    body: enc('{"k":"v"}'),
    requestId: 'chatcmpl-abc',
    nowEpochMs: 1_234_567,
  });
  assert.deepEqual(direct.onRequest!(req), glue.onRequest!(req));
  const res = { status: 418, headers: [{ name: 'content-type', value: 'text/plain' }], body: enc('teapot') };
  assert.deepEqual(direct.onResponse!(res), glue.onResponse!(res));
});

test('a now-epoch-ms that is not a non-negative integer is refused before the guest runs', async () => {
  const inst = await instance('counter');
  assert.throws(() => inst.onRequest!(request({ nowEpochMs: -1 })), TypeError);
  assert.equal(inst.fault, undefined);
});
