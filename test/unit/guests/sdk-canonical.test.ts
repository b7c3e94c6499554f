// The AssemblyScript SDK's component part (smg:gateway and smg:storage), checked at the canonical
// ABI: the core modules of the SDK's test guests (guests/sdk-assemblyscript/test-guests) are driven
// by hand through the SDK's own minimal host (tools/core-host.mjs: lower with cabi_realloc, call,
// lift strictly, post-return), then the built components are checked with jco and run through
// wasmgate's component loader, which must agree with the hand-driven calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { componentWit, parse } from '@bytecodealliance/jco';
import { instantiateCore, OPERATIONS, type CoreAction, type CoreHostOptions } from '../../../guests/sdk-assemblyscript/tools/core-host.mjs';
import { renameExports } from '../../../guests/sdk-assemblyscript/tools/core-exports.mjs';
import { checkImports } from '../../../guests/sdk-assemblyscript/tools/component-world.mjs';
import { loadSmgComponent, plainCoreModuleHooks, type SmgRequest } from '../../../src/abi/smg-component/index.js';
import { loadStorageHookComponent, STORAGE_OPERATIONS } from '../../../src/abi/storage-hook/index.js';
import { guestPath } from '../../helpers/guests.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const SDK = join(ROOT, 'guests', 'sdk-assemblyscript');
const AREA = 'sdk-assemblyscript';
const MiB = 1024 * 1024;
const utf8 = new TextEncoder();
const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : new TextDecoder('utf-8', { fatal: true }).decode(bytes));

const coreBytes = (name: string) => readFileSync(guestPath(AREA, `${name}.core`));
const componentBytes = (name: string) => new Uint8Array(readFileSync(guestPath(AREA, name)));
const core = (name: string, options: CoreHostOptions = {}) => instantiateCore(coreBytes(name), options);

function modifyOf(action: CoreAction) {
  if (action.tag !== 'modify') assert.fail(`expected modify, got ${JSON.stringify(action)}`);
  return action.modify;
}

/** headers-set of a modify action as an object (the echo guest sets each name once). */
function setHeaders(action: CoreAction): Record<string, string> {
  return Object.fromEntries(modifyOf(action).headersSet.map((h) => [h.name, h.value]));
}

// ---- the built artefacts ----

test('each test guest is a valid component whose WIT exports the world, and a few KB to tens of KB', async () => {
  const expected = {
    'smg-echo': ['export smg:gateway/middleware-on-request;', 'export smg:gateway/middleware-on-response;'],
    'smg-imports': ['export smg:gateway/middleware-on-request;', 'import wasmgate:guest/config@0.1.0;', 'import wasi:clocks/wall-clock@0.2.0;'],
    'storage-echo': ['export smg:storage/storage-hook-before;', 'export smg:storage/storage-hook-after;'],
  };
  for (const [name, lines] of Object.entries(expected)) {
    const bytes = componentBytes(name);
    assert.ok(bytes.byteLength > 2_000 && bytes.byteLength < 64 * 1024, `${name}: ${bytes.byteLength} bytes`);
    assert.ok(WebAssembly.validate(coreBytes(name)), `${name}: core module validates`);
    const wit = await componentWit(bytes);
    for (const line of lines) assert.ok(wit.includes(line), `${name}: ${line} in\n${wit}`);
  }
  // A module that calls neither config nor clock imports nothing beyond SMG's own types.
  assert.ok(!(await componentWit(componentBytes('smg-echo'))).includes('wasmgate:guest'));
});

test('core modules export the component-model names and import nothing but the optional interfaces', () => {
  const exportsOf = (name: string) => WebAssembly.Module.exports(new WebAssembly.Module(coreBytes(name))).map((e) => e.name).sort();
  assert.deepEqual(exportsOf('smg-echo'), [
    'cabi_post_smg:gateway/middleware-on-request#on-request',
    'cabi_post_smg:gateway/middleware-on-response#on-response',
    'cabi_realloc',
    'memory',
    'smg:gateway/middleware-on-request#on-request',
    'smg:gateway/middleware-on-response#on-response',
  ]);
  assert.deepEqual(exportsOf('storage-echo'), [
    'cabi_post_smg:storage/storage-hook-after#after',
    'cabi_post_smg:storage/storage-hook-before#before',
    'cabi_realloc',
    'memory',
    'smg:storage/storage-hook-after#after',
    'smg:storage/storage-hook-before#before',
  ]);
  const importsOf = (name: string) => WebAssembly.Module.imports(new WebAssembly.Module(coreBytes(name))).map((i) => `${i.module}#${i.name}`).sort();
  assert.deepEqual(importsOf('smg-echo'), []);
  assert.deepEqual(importsOf('storage-echo'), []);
  assert.deepEqual(importsOf('smg-imports'), ['wasi:clocks/wall-clock@0.2.0#now', 'wasmgate:guest/config@0.1.0#get', 'wasmgate:guest/config@0.1.0#get-json']);
});

test("the SDK's WIT files are byte-identical to the repository's wit/", () => {
  for (const file of ['smg-gateway.wit', 'smg-storage.wit', 'wasmgate-guest.wit']) {
    assert.equal(readFileSync(join(SDK, 'wit', file), 'utf8'), readFileSync(join(ROOT, 'wit', file), 'utf8'), file);
  }
});

test('renameExports renames the SDK exports, drops the others, and names a missing export', async () => {
  const wat = (extra: string) => `(module (memory (export "memory") 1)
    (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 16))
    (func $f (param i32 i32 i32 i32 i32) (result i32) (i32.const 0))
    (func $p (param i32))
    (export "wasmgate_storage_before" (func $f)) (export "wasmgate_storage_before_post" (func $p))
    ${extra}
    (func (export "onRequest") (param i32) (result i32) (i32.const 0)))`;
  const after = `(func $a (param i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32) (i32.const 0))
    (export "wasmgate_storage_after" (func $a)) (export "wasmgate_storage_after_post" (func $p))`;
  const { bytes, dropped } = renameExports(await parse(wat(after)), 'storage');
  assert.deepEqual(dropped, ['onRequest']);
  const names = WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name);
  assert.deepEqual(names, [
    'memory',
    'cabi_realloc',
    'smg:storage/storage-hook-before#before',
    'cabi_post_smg:storage/storage-hook-before#before',
    'smg:storage/storage-hook-after#after',
    'cabi_post_smg:storage/storage-hook-after#after',
  ]);
  assert.throws(() => renameExports(bytes, 'smg'), /does not export wasmgate_smg_on_request.*smg\/exports/s);
  const withAbort = await parse('(module (import "env" "abort" (func (param i32 i32 i32 i32))))');
  assert.throws(() => checkImports(withAbort), /env\.abort.*--use abort=/);
});

test('building the same source again gives the same component bytes', async () => {
  // In a plain node child: loading the compiler through tsx would cost seconds.
  const dir = mkdtempSync(join(tmpdir(), 'wg-sdk-build-'));
  const script = `
    import { buildComponent } from ${JSON.stringify(pathToFileURL(join(SDK, 'tools', 'build-component.mjs')).href)};
    await buildComponent({ entry: ${JSON.stringify(join(SDK, 'test-guests', 'storage-echo.ts'))}, outFile: ${JSON.stringify(join(dir, 'again.wasm'))}, root: ${JSON.stringify(ROOT)}, world: 'storage' });`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(new Uint8Array(readFileSync(join(dir, 'again.wasm'))), componentBytes('storage-echo'));
  rmSync(dir, { recursive: true, force: true });
});

// ---- smg:gateway: lifting the request and response ----

test('on-request lifts every field, with multi-byte UTF-8 and a u64 beyond 2^53', async () => {
  const g = await core('smg-echo');
  const headers = [
    { name: 'x-lookup', value: 'caf\u00e9 \u65e5\u672c \u{1F600}' },
    { name: 'host', value: 'example.com' },
    { name: 'x-lookup', value: 'second' },
  ];
  const action = g.onRequest({
    method: 'PATCH',
    path: '/na\u00efve/\u{1F680}',
    query: 'q=\u00fc&x=1',
    headers,
    body: 'b\u00f6dy',
    requestId: 'req-\u00e9\u00e9',
    nowEpochMs: 18_446_744_073_709_551_615n,
  });
  assert.deepEqual(setHeaders(action), {
    'x-method': 'PATCH',
    'x-path': '/na\u00efve/\u{1F680}',
    'x-query': 'q=\u00fc&x=1',
    'x-request-id': 'req-\u00e9\u00e9',
    'x-now': '18446744073709551615',
    'x-body-length': String(utf8.encode('b\u00f6dy').length),
    'x-header-count': '3',
    'x-lookup': headers[0]!.value,
    'x-lookup-all': `${headers[0]!.value}|second`,
  });
  assert.deepEqual(modifyOf(action).headersAdd, headers, 'headers arrive in order, duplicates kept');
  assert.equal(text(modifyOf(action).bodyReplace), 'b\u00f6dy');
});

test('header lookups ignore ASCII case only; a missing header is null', async () => {
  const g = await core('smg-echo');
  const found = setHeaders(g.onRequest({ path: '/x', headers: [{ name: 'X-LOOKUP', value: 'v' }] }));
  assert.equal(found['x-lookup'], 'v');
  const missing = setHeaders(g.onRequest({ path: '/x', headers: [{ name: 'x-look\u00fcp', value: 'v' }] }));
  assert.equal(missing['x-lookup'], undefined);
  assert.equal(missing['x-lookup-all'], '');
});

test('header lookups read the lifted headers in place until `headers` is read, pushed to or assigned', async () => {
  const g = await core('smg-echo');
  const headers = [
    { name: 'x-lookup\u00e9', value: 'not it: one more character' },
    { name: 'x-lookupx', value: 'not it: longer' },
    { name: 'x-looku', value: 'not it: shorter' },
    { name: 'X-LoOkUp', value: 'first \u00fc' },
    { name: 'x-other', value: 'o' },
    { name: 'x-lookup', value: '' },
    { name: 'x-lookup', value: 'third' },
  ];
  const lazy = setHeaders(g.onRequest({ path: '/x', headers }));
  assert.equal(lazy['x-lookup'], 'first \u00fc');
  assert.equal(lazy['x-lookup-all'], 'first \u00fc||third');
  assert.equal(lazy['x-header-count'], '7');
  const pushed = setHeaders(g.onRequest({ path: '/pushed-header', headers }));
  assert.deepEqual(pushed, { 'x-lookup-all': 'first \u00fc||third|pushed', 'x-has-lookup': 'yes' });
  assert.deepEqual(setHeaders(g.onRequest({ path: '/pushed-header', headers: [] })), { 'x-lookup-all': 'pushed', 'x-has-lookup': 'yes' });
  assert.deepEqual(setHeaders(g.onRequest({ path: '/assigned-headers', headers })), { 'x-lookup-all': 'assigned', 'x-has-lookup': 'yes' });
  const response = setHeaders(g.onResponse({ status: 200, headers: [{ name: 'x-a', value: '1' }, { name: 'X-Lookup', value: 'from the response' }] }));
  assert.equal(response['x-lookup'], 'from the response');
});

test('a lifted-header lookup matches exactly as a decoded comparison would: ASCII case only, non-ASCII names compared whole', async () => {
  const g = await core('smg-echo');
  const headers = [
    { name: 'k', value: 'ascii k' },
    { name: 'x-\u00e9t\u00e9', value: 'accented' },
    { name: 'x-long\u00e9', value: 'longer by a non-ASCII character' },
  ];
  const cases: Array<[query: string, found: string]> = [
    ['K', 'ascii k'],
    ['\u212a', '(none)'], // KELVIN SIGN: not ASCII, so no case folding onto k
    ['X-\u00e9T\u00e9', 'accented'], // ASCII letters folded, the rest compared as is
    ['x-\u00c9t\u00c9', '(none)'], // \u00c9 is not the ASCII upper case of \u00e9
    ['x-long', '(none)'],
    ['X-LONG\u00e9', 'longer by a non-ASCII character'],
    ['x-\u00e9t\u00e9-', '(none)'],
  ];
  for (const [query, found] of cases) {
    const set = setHeaders(g.onRequest({ path: '/lookup-query', query, headers }));
    assert.equal(set['x-found'], found, `lookup of ${JSON.stringify(query)} on the lifted headers`);
    assert.equal(set['x-found-after'], found, `lookup of ${JSON.stringify(query)} after headers was decoded`);
    assert.equal(set['x-header-count'], '3');
  }
});

test('a request kept past its call stays readable after later calls reuse the argument arena', async () => {
  const g = await core('smg-echo');
  assert.equal(g.onRequest({ path: '/recall' }).tag, 'reject', 'nothing remembered yet');
  const kept = { path: '/remember', headers: [{ name: 'x-other', value: 'o' }, { name: 'X-Lookup', value: 'kept value \u00fc' }], body: 'kept body' };
  assert.equal(g.onRequest(kept).tag, 'continue');
  for (let i = 0; i < 50; i++) {
    g.onRequest({ path: '/x', headers: Array.from({ length: 20 }, (_, j) => ({ name: 'x-lookup', value: `overwrite ${i}.${j}` })), body: 'z'.repeat(3000) });
  }
  assert.deepEqual(setHeaders(g.onRequest({ path: '/recall' })), {
    'x-recalled-lookup': 'kept value \u00fc',
    'x-recalled-count': '2',
    'x-recalled-body': 'kept body',
  });
});

test('empty strings and lists arrive empty whether or not the host allocates them', async () => {
  for (const emptyWithoutRealloc of [true, false]) {
    const g = await core('smg-echo', { emptyWithoutRealloc });
    const action = g.onRequest({ method: '', path: '', query: '', headers: [], body: new Uint8Array(0), requestId: '' });
    const m = modifyOf(action);
    assert.deepEqual(setHeaders(action), {
      'x-method': '', 'x-path': '', 'x-query': '', 'x-request-id': '', 'x-now': '0',
      'x-body-length': '0', 'x-header-count': '0', 'x-lookup-all': '',
    });
    assert.deepEqual(m.headersAdd, []);
    assert.deepEqual(m.headersRemove, []);
    assert.equal(m.status, undefined);
    assert.deepEqual(m.bodyReplace, new Uint8Array(0), 'an empty body-replace is present, not absent');
    const res = g.onResponse({ status: 200, headers: [], body: new Uint8Array(0) });
    assert.deepEqual(modifyOf(res).headersAdd, []);
    // Memory stays put over many such calls (blocks of size 0 are freed too).
    for (let i = 0; i < 200; i++) g.onRequest({});
    const before = g.memoryBytes;
    for (let i = 0; i < 2_000; i++) g.onRequest({});
    assert.equal(g.memoryBytes, before);
  }
});

test('a 1 MiB body round-trips byte for byte, and memory stays bounded across calls', async () => {
  const g = await core('smg-echo');
  const body = new Uint8Array(MiB).map((_, i) => (i * 7 + 3) & 0xff);
  const sizes: number[] = [];
  for (let i = 0; i < 40; i++) {
    const m = modifyOf(g.onRequest({ path: '/x', body }));
    if (i === 0) {
      assert.equal(m.bodyReplace?.byteLength, MiB);
      assert.deepEqual(m.bodyReplace, body);
    }
    sizes.push(g.memoryBytes);
  }
  assert.ok(sizes.at(-1)! <= 16 * MiB, `memory ${sizes.at(-1)} bytes after 40 calls`);
  assert.equal(sizes.at(-1), sizes[19], 'no growth in the second half');
  const res = modifyOf(g.onResponse({ status: 200, body }));
  assert.deepEqual(res.bodyReplace, body);
});

test('arguments bigger than the argument arena (16 KiB) lift intact, between small calls, and memory settles', async () => {
  const g = await core('smg-echo');
  const big = {
    path: '/big',
    headers: Array.from({ length: 40 }, (_, i) => ({ name: `x-h${i}`, value: `${i}:` + 'v\u00e9'.repeat(200) })),
    body: 'b'.repeat(20_000),
  };
  const small = { path: '/small', headers: [{ name: 'x-lookup', value: 'one' }] };
  let settled = 0;
  for (let i = 0; i < 300; i++) {
    const bigAction = modifyOf(g.onRequest(big));
    assert.deepEqual(bigAction.headersAdd, big.headers);
    assert.equal(text(bigAction.bodyReplace), big.body);
    const smallAction = g.onRequest(small);
    assert.equal(setHeaders(smallAction)['x-lookup'], 'one');
    assert.deepEqual(modifyOf(smallAction).headersAdd, small.headers);
    if (i === 100) settled = g.memoryBytes;
  }
  assert.equal(g.memoryBytes, settled, 'no growth after the first hundred rounds');
});

test('cabi_realloc: aligned blocks, and a grown block keeps its bytes, inside and beyond the arena', async () => {
  const { instance } = await WebAssembly.instantiate(coreBytes('smg-echo'), {});
  const realloc = instance.exports.cabi_realloc as (oldPtr: number, oldSize: number, align: number, newSize: number) => number;
  const memory = instance.exports.memory as WebAssembly.Memory;
  const bytes = (ptr: number, n: number) => new Uint8Array(memory.buffer, ptr, n);
  const odd = realloc(0, 0, 1, 3) >>> 0;
  assert.ok(odd > 0);
  for (const align of [1, 2, 4, 8, 16]) assert.equal((realloc(0, 0, align, 5) >>> 0) % align, 0, `align ${align}`);
  const sizes: Array<[from: number, to: number]> = [[10, 100], [100, 30_000], [30_000, 40_000], [40_000, 8]];
  for (const [from, to] of sizes) {
    const p = realloc(0, 0, 4, from) >>> 0;
    bytes(p, from).set(Uint8Array.from({ length: from }, (_, i) => (i * 13 + from) & 0xff));
    const q = realloc(p, from, 4, to) >>> 0;
    assert.equal(q % 4, 0);
    const kept = Math.min(from, to);
    assert.deepEqual(bytes(q, kept), Uint8Array.from({ length: kept }, (_, i) => (i * 13 + from) & 0xff), `${from} -> ${to} bytes`);
    bytes(q, to).fill(0xaa); // the whole new block is writable
  }
});

test('bodyText decodes UTF-8 and replaceBody(string) sends it as UTF-8', async () => {
  const g = await core('smg-echo');
  const m = modifyOf(g.onRequest({ path: '/text', body: 'gr\u00fc\u00df \u{1F30D}' }));
  assert.equal(text(m.bodyReplace), 'gr\u00fc\u00df \u{1F30D} \u2713');
});

// ---- smg:gateway: lowering every action shape ----

test('continue, reject and an empty modify lower as their variant cases', async () => {
  const g = await core('smg-echo');
  assert.deepEqual(g.onRequest({ path: '/continue' }), { tag: 'continue' });
  assert.deepEqual(g.onRequest({ path: '/reject', query: '418' }), { tag: 'reject', status: 418 });
  assert.deepEqual(g.onRequest({ path: '/reject', query: '65535' }), { tag: 'reject', status: 65535 });
  const empty = { tag: 'modify', modify: { headersSet: [], headersAdd: [], headersRemove: [] } };
  assert.deepEqual(g.onRequest({ path: '/empty-modify' }), empty);
  assert.deepEqual(g.onRequest({ path: '/plain-modify' }), empty, 'an Action of kind Modify that is not a ModifyAction');
});

test('modify carries status present or absent, headers-remove, and body-replace present or absent', async () => {
  const g = await core('smg-echo');
  const full = modifyOf(g.onRequest({ path: '/x', headers: [{ name: 'x-status', value: '299' }, { name: 'x-remove', value: 'server,x-\u00e9' }], body: 'b' }));
  assert.equal(full.status, 299);
  assert.deepEqual(full.headersRemove, ['server', 'x-\u00e9']);
  assert.equal(text(full.bodyReplace), 'b');
  const kept = modifyOf(g.onRequest({ path: '/keep-body', body: 'b' }));
  assert.equal(kept.status, undefined);
  assert.equal(kept.bodyReplace, undefined, 'body-replace is none');
});

test('on-response lifts status, headers and body, and lowers all three action cases', async () => {
  const g = await core('smg-echo');
  assert.deepEqual(g.onResponse({ status: 204 }), { tag: 'continue' });
  assert.deepEqual(g.onResponse({ status: 503 }), { tag: 'reject', status: 503 });
  const headers = [{ name: 'content-type', value: 'text/plain; charset=utf-8' }, { name: 'set-cookie', value: 'a=\u00e9' }, { name: 'set-cookie', value: 'b=2' }];
  const m = modifyOf(g.onResponse({ status: 404, headers, body: '\u00bfd\u00f3nde?' }));
  assert.equal(m.status, 405);
  assert.deepEqual(setHeaders({ tag: 'modify', modify: m }), { 'x-status': '404', 'x-body-length': String(utf8.encode('\u00bfd\u00f3nde?').length) });
  assert.deepEqual(m.headersAdd, headers);
  assert.equal(text(m.bodyReplace), '\u00bfd\u00f3nde?');
});

test('post-return frees each result: thousands of calls leave memory where it was', async () => {
  const g = await core('smg-echo');
  const req = { path: '/x', headers: Array.from({ length: 30 }, (_, i) => ({ name: `h-${i}`, value: 'v\u00e9'.repeat(20) })), body: 'x'.repeat(4096) };
  for (let i = 0; i < 500; i++) g.onRequest(req);
  const settled = g.memoryBytes;
  for (let i = 0; i < 2_000; i++) {
    g.onRequest(req);
    g.onResponse({ status: 200, headers: req.headers, body: req.body });
  }
  assert.equal(g.memoryBytes, settled);
});

// ---- smg:storage ----

test('every storage operation arrives as its WIT enum case', async () => {
  const s = await core('storage-echo');
  assert.deepEqual([...OPERATIONS], [...STORAGE_OPERATIONS], 'core-host and wasmgate agree on the order');
  OPERATIONS.forEach((op, index) => {
    const result = s.before(op, [], '{}');
    assert.equal(result.tag, 'do-continue');
    const cols = Object.fromEntries((result as { columns: Array<{ name: string; value: string }> }).columns.map((c) => [c.name, c.value]));
    assert.equal(cols.OP, op);
    assert.equal(cols.OP_INDEX, String(index));
  });
});

test('an operation outside the 17 cases traps', async () => {
  const s = await core('storage-echo');
  assert.throws(() => s.before(17, [], ''), WebAssembly.RuntimeError);
});

test('before: context entries in order, payload as text, reject with a UTF-8 reason, empty do-continue', async () => {
  const s = await core('storage-echo');
  const context = [{ key: 'tenant_id', value: 'acme \u00e9' }, { key: 'user_id', value: 'u-1' }];
  const payload = '{"id":"resp_1","input":"h\u00e9llo \u{1F600}"}';
  assert.deepEqual(s.before('store-response', context, payload), {
    tag: 'do-continue',
    columns: [
      { name: 'OP', value: 'store-response' },
      { name: 'OP_INDEX', value: '11' },
      { name: 'PAYLOAD', value: payload },
      { name: 'CONTEXT_SIZE', value: '2' },
      { name: 'CTX_tenant_id', value: 'acme \u00e9' },
      { name: 'CTX_user_id', value: 'u-1' },
    ],
  });
  assert.deepEqual(s.before('get-item', [{ key: 'reject', value: 'non \u00e8 permesso' }], ''), { tag: 'reject', reason: 'non \u00e8 permesso' });
  assert.deepEqual(s.before('get-item', [{ key: 'reject', value: '' }], ''), { tag: 'reject', reason: '' });
  assert.deepEqual(s.before('get-item', [{ key: 'empty', value: '' }], ''), { tag: 'do-continue', columns: [] });
});

test('after: receives payload, result-json and extra; extra round-trips unchanged or extended', async () => {
  for (const emptyWithoutRealloc of [true, false]) {
    const s = await core('storage-echo', { emptyWithoutRealloc });
    const extra = [{ name: 'TENANT_ID', value: 't\u00e9' }, { name: 'STORED_BY', value: '' }];
    assert.deepEqual(s.after('store-response', [{ key: 'passthrough', value: '1' }], '{}', '"resp_1"', extra), extra);
    assert.deepEqual(s.after('store-response', [{ key: 'passthrough', value: '1' }], '', '', []), []);
    assert.deepEqual(s.after('delete-item', [], 'p\u00e9', 'null', extra), [
      ...extra,
      { name: 'AFTER_OP', value: 'delete-item' },
      { name: 'RESULT', value: 'null' },
      { name: 'PAYLOAD', value: 'p\u00e9' },
    ]);
    for (let i = 0; i < 200; i++) s.after(i % 17, [], '{}', '{}', extra);
    const settled = s.memoryBytes;
    for (let i = 0; i < 3_000; i++) {
      s.before(i % 17, [{ key: 'tenant_id', value: 't' }], '{"a":1}');
      s.after(i % 17, [], '{}', '{}', extra);
    }
    assert.equal(s.memoryBytes, settled);
  }
});

// ---- the optional imports ----

test('config.get / config.json read wasmgate:guest/config; clock.nowMs reads the wall clock', async () => {
  const config = { api_key: 'k\u00e9y', limit: 60, nested: { a: [1, true] } };
  const g = await core('smg-imports', { config, nowMs: () => 1_700_000_000_123 });
  const headers = (query: string) => setHeaders(g.onRequest({ query }));
  assert.deepEqual(headers('api_key'), { 'x-config-json': JSON.stringify(config), 'x-config-value': 'k\u00e9y', 'x-clock-ms': '1700000000123' });
  assert.equal(headers('limit')['x-config-value'], '60');
  assert.equal(headers('nested')['x-config-value'], '{"a":[1,true]}');
  assert.equal(headers('missing')['x-config-value'], '<absent>');
  const empty = await core('smg-imports');
  assert.equal(setHeaders(empty.onRequest({ query: 'api_key' }))['x-config-json'], '{}');
  for (let i = 0; i < 200; i++) g.onRequest({ query: 'api_key' });
  const settled = g.memoryBytes;
  for (let i = 0; i < 3_000; i++) g.onRequest({ query: 'api_key' });
  assert.equal(g.memoryBytes, settled, 'strings the host allocated for the imports are freed');
  // Import results bigger than the argument arena (16 KiB) take the heap path, and are freed too.
  const bigConfig = { api_key: 'v\u00e9'.repeat(10_000) };
  const big = await core('smg-imports', { config: bigConfig });
  const bigHeaders = (query: string) => setHeaders(big.onRequest({ query }));
  assert.deepEqual(bigHeaders('api_key')['x-config-value'], bigConfig.api_key);
  assert.equal(bigHeaders('api_key')['x-config-json'], JSON.stringify(bigConfig));
  for (let i = 0; i < 100; i++) big.onRequest({ query: 'api_key' });
  const bigSettled = big.memoryBytes;
  for (let i = 0; i < 500; i++) big.onRequest({ query: 'api_key' });
  assert.equal(big.memoryBytes, bigSettled);
});

// ---- wasmgate's loader runs the same components and agrees ----

function smgRequest(overrides: Partial<SmgRequest>): SmgRequest {
  return { method: 'GET', path: '/', query: '', headers: [], body: new Uint8Array(0), requestId: 'req-1', nowEpochMs: 1_700_000_000_000, ...overrides };
}

test("wasmgate's component loader (direct and glue paths) gives the same actions as the hand-driven ABI", async () => {
  const requests: SmgRequest[] = [
    smgRequest({ path: '/continue' }),
    smgRequest({ path: '/reject', query: '451' }),
    smgRequest({ path: '/empty-modify' }),
    smgRequest({ path: '/text', body: utf8.encode('\u00e9t\u00e9') }),
    smgRequest({
      method: 'POST', path: '/\u00e9', query: 'a=b',
      headers: [{ name: 'x-lookup', value: '\u{1F600}' }, { name: 'x-status', value: '202' }, { name: 'x-remove', value: 'a,b' }],
      body: new Uint8Array(MiB).fill(7),
    }),
    smgRequest({ path: '/keep-body', headers: [] }),
  ];
  const hand = await core('smg-echo');
  for (const callPath of ['direct', 'glue'] as const) {
    const loaded = await loadSmgComponent(componentBytes('smg-echo'), { maxBodySize: 2 * MiB, callPath, name: 'smg-echo' });
    assert.equal(loaded.callPath, callPath);
    const instance = await loaded.instantiate(plainCoreModuleHooks);
    for (const req of requests) {
      const expected = hand.onRequest({ ...req, nowEpochMs: req.nowEpochMs });
      assert.deepEqual(instance.onRequest!(req), expected, `${callPath} ${req.path}`);
    }
    for (const status of [200, 204, 500]) {
      const res = { status, headers: [{ name: 'a', value: '\u00e9' }], body: utf8.encode('x') };
      assert.deepEqual(instance.onResponse!(res), hand.onResponse(res), `${callPath} response ${status}`);
    }
  }
});

test("wasmgate's storage-hook loader agrees with the hand-driven ABI for every operation", async () => {
  const hand = await core('storage-echo');
  const loaded = await loadStorageHookComponent(componentBytes('storage-echo'), { name: 'storage-echo' });
  const instance = await loaded.instantiate(plainCoreModuleHooks);
  const context = [{ key: 'tenant_id', value: 'acme' }];
  for (const op of STORAGE_OPERATIONS) {
    assert.deepEqual(instance.before(op, context, `{"op":"${op}"}`), hand.before(op, context, `{"op":"${op}"}`), op);
    const extra = [{ name: 'X', value: op }];
    assert.deepEqual(instance.after(op, context, '{}', 'null', extra), hand.after(op, context, '{}', 'null', extra), op);
  }
  assert.deepEqual(instance.before('get-response', [{ key: 'reject', value: 'no' }], '""'), { tag: 'reject', reason: 'no' });
});

test("wasmgate's loader gives a component its config and the wall clock", async () => {
  const loaded = await loadSmgComponent(componentBytes('smg-imports'), { maxBodySize: MiB, name: 'smg-imports' });
  assert.deepEqual([...loaded.imports].sort(), ['wasi:clocks/wall-clock', 'wasmgate:guest/config']);
  const instance = await loaded.instantiate(plainCoreModuleHooks, { api_key: 'secret', limit: 5 });
  const before = Date.now();
  const headers = setHeaders(instance.onRequest!(smgRequest({ query: 'limit' })) as CoreAction);
  assert.equal(headers['x-config-json'], '{"api_key":"secret","limit":5}');
  assert.equal(headers['x-config-value'], '5');
  const ms = Number(headers['x-clock-ms']);
  assert.ok(ms >= before - 1 && ms <= Date.now() + 1, `clock ${ms}`);
});
