// Each sandbox rule of the WASI a component guest gets, asserted from inside real guests:
// wasi-probe-core (WAT: environment, arguments, cwd, preopens, sockets, stdout, exit) and
// wasi-probe (componentize-js: clocks, random, console output, fetch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSmgComponent, type ComponentInstanceHandle } from '../../../../../src/abi/smg-component/smg-component.js';
import { plainCoreModuleHooks } from '../../../../../src/abi/smg-component/core-module-hooks.js';
import type { SmgAction, SmgRequest } from '../../../../../src/abi/smg-component/types.js';
import { MAX_GUEST_OUTPUT_BYTES_PER_CALL } from '../../../../../src/abi/smg-component/output-limits.js';
import { GuestFault } from '../../../../../src/runtime/guest-fault.js';
import { SHARED_CACHE_DIR, collectingLog, guestBytes } from '../component-guests.js';

const request: SmgRequest = { method: 'GET', path: '/', query: '', headers: [], body: new Uint8Array(0), requestId: 'req-probe', nowEpochMs: 0 };
const response = (status: number) => ({ status, headers: [], body: new Uint8Array(0) });

function headersSet(action: SmgAction): Record<string, string> {
  assert.equal(action.tag, 'modify');
  return Object.fromEntries((action as Extract<SmgAction, { tag: 'modify' }>).modify.headersSet.map((h) => [h.name, h.value]));
}

async function probe(name: string, log = collectingLog()): Promise<{ inst: ComponentInstanceHandle; log: ReturnType<typeof collectingLog> }> {
  const loaded = await loadSmgComponent(await guestBytes(name), { maxBodySize: 1024, name, log: log.log, cacheDir: SHARED_CACHE_DIR });
  return { inst: await loaded.instantiate(plainCoreModuleHooks), log };
}

test('the guest sees no environment variables, no arguments and no cwd', async () => {
  const { inst } = await probe('wasi-probe-core');
  const h = headersSet(inst.onRequest!(request));
  assert.equal(h['x-env-count'], '0');
  assert.equal(h['x-args-count'], '0');
  assert.equal(h['x-cwd'], 'none');
});

test('the guest has no preopened directories', async () => {
  const { inst } = await probe('wasi-probe-core');
  assert.equal(headersSet(inst.onRequest!(request))['x-preopens'], '0');
});

test('sockets and name lookup fail with access-denied and are logged', async () => {
  const { inst, log } = await probe('wasi-probe-core');
  const h = headersSet(inst.onRequest!(request));
  // error-code discriminant 1 = access-denied
  assert.equal(h['x-tcp'], 'err:1');
  assert.equal(h['x-dns'], 'err:1');
  const denied = log.events('guest.denied').map((e) => e.fields.interface);
  assert.deepEqual(denied, ['wasi:sockets/tcp-create-socket', 'wasi:sockets/ip-name-lookup']);
});

test('stdout goes to the log, one event per line, tagged with the module name', async () => {
  const { inst, log } = await probe('wasi-probe-core');
  assert.equal(headersSet(inst.onRequest!(request))['x-stdout'], 'ok');
  assert.deepEqual(log.events('guest.stdout').map((e) => e.fields), [{ module: 'wasi-probe-core', line: 'hello from the wasi probe' }]);
});

test('a guest printing 10 MiB is truncated to the per-call budget with one note', async () => {
  const { inst, log } = await probe('wasi-probe-core');
  assert.deepEqual(inst.onResponse!(response(298)), { tag: 'continue' });
  const lines = log.events('guest.stdout');
  const logged = lines.reduce((n, e) => n + String(e.fields.line).length + 1, 0);
  assert.ok(logged <= MAX_GUEST_OUTPUT_BYTES_PER_CALL, `${logged} bytes logged`);
  const [note] = log.events('guest.output-truncated');
  assert.equal(note?.fields.stream, 'stdout');
  assert.equal(note?.fields.droppedBytes, 10 * 1024 * 1024 - MAX_GUEST_OUTPUT_BYTES_PER_CALL);
  // The budget is per call: the next call logs again.
  inst.onRequest!(request);
  assert.equal(log.events('guest.stdout').at(-1)?.fields.line, 'hello from the wasi probe');
});

test('wasi:cli/exit traps instead of ending anything', async () => {
  const { inst } = await probe('wasi-probe-core');
  assert.throws(() => inst.onResponse!(response(299)), (err: unknown) => err instanceof GuestFault && err.kind === 'trap');
  assert.equal(inst.fault?.kind, 'trap');
});

test('a componentize-js guest reads the real clocks and gets fresh randomness', async () => {
  const { inst } = await probe('wasi-probe');
  const before = Date.now();
  const first = headersSet(inst.onRequest!(request));
  const second = headersSet(inst.onRequest!(request));
  const wall = Number(first['x-wall-ms']);
  assert.ok(Math.abs(wall - before) < 60_000, `guest wall clock ${wall} vs host ${before}`);
  assert.ok(Number(second['x-mono']) >= Number(first['x-mono']));
  assert.match(first['x-random-hex']!, /^[0-9a-f]{32}$/);
  assert.notEqual(first['x-random-hex'], second['x-random-hex']);
  const r = Number(first['x-math-random']);
  assert.ok(r >= 0 && r < 1);
});

test('console.log and console.error of a JavaScript guest go to the log', async () => {
  const { inst, log } = await probe('wasi-probe');
  inst.onRequest!(request);
  assert.deepEqual(log.events('guest.stdout').map((e) => e.fields), [{ module: 'wasi-probe', line: 'probe stdout line req-probe' }]);
  assert.deepEqual(log.events('guest.stderr').map((e) => e.fields), [{ module: 'wasi-probe', line: 'probe stderr line' }]);
});

test('outgoing HTTP (fetch) is denied and logged, and the guest sees the failure', async () => {
  const { inst, log } = await probe('wasi-probe');
  const first = headersSet(inst.onRequest!(request));
  assert.equal(first['x-fetch-sync'], 'pending');
  const [denied] = log.events('guest.denied');
  assert.equal(denied?.fields.interface, 'wasi:http/outgoing-handler');
  assert.equal(denied?.fields.detail, 'GET http://127.0.0.1:9/denied');
  // The fetch promise settles in the engine's job queue, which runs by the next call.
  const second = headersSet(inst.onRequest!(request));
  assert.match(second['x-fetch-previous']!, /^rejected/);
});

test('the componentize-js guest imports only WASI interfaces, all of them sandboxed', async () => {
  const loaded = await loadSmgComponent(await guestBytes('wasi-probe'), { maxBodySize: 1024, cacheDir: SHARED_CACHE_DIR });
  assert.ok(loaded.imports.length > 0);
  assert.ok(loaded.imports.every((i) => i.startsWith('wasi:')), loaded.imports.join(', '));
  assert.ok(loaded.imports.includes('wasi:http/outgoing-handler'));
});
