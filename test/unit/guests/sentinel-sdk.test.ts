// The AssemblyScript SDK's Sentinel part and the core test guests, checked with nothing but the
// WebAssembly API: the host side of the ABI is written out here by hand (alloc, write JSON, call,
// decode `(ptr << 32) | len` as unsigned, read, dealloc), so these tests do not depend on the
// wasmgate runtime.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { guestPath } from '../../helpers/guests.js';

type Event = 'request_headers' | 'response_headers';

interface GuestExports {
  memory: WebAssembly.Memory;
  alloc(size: number): number;
  dealloc(ptr: number, size: number): void;
  on_request_headers?(ptr: number, len: number): bigint;
  on_response_headers?(ptr: number, len: number): bigint;
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const modules = new Map<string, WebAssembly.Module>();

/** AssemblyScript's abort(message, file, line, column), thrown with the message it carries. */
function abortImport(getMemory: () => WebAssembly.Memory) {
  const readString = (ptr: number): string => {
    if (ptr === 0) return '';
    const buffer = getMemory().buffer;
    const bytes = new DataView(buffer).getUint32(ptr - 4, true);
    return Buffer.from(buffer, ptr, bytes).toString('utf16le');
  };
  return (msg: number, file: number, line: number, column: number): never => {
    throw new Error(`guest aborted: ${readString(msg)} at ${readString(file)}:${line}:${column}`);
  };
}

/** A fresh instance of a built guest, through plain WebAssembly.instantiate. */
async function instantiate(area: string, name: string): Promise<GuestExports> {
  const path = guestPath(area, name);
  let module = modules.get(path);
  if (!module) modules.set(path, (module = await WebAssembly.compile(readFileSync(path))));
  let memory: WebAssembly.Memory | undefined;
  const instance = await WebAssembly.instantiate(module, { env: { abort: abortImport(() => memory!) } });
  const exports = instance.exports as unknown as GuestExports;
  memory = exports.memory;
  return exports;
}

interface RawResult {
  ptr: number;
  len: number;
  text: string;
}

/** One ABI call as the host makes it; returns the result text, or ptr/len 0 with empty text. */
function callRaw(guest: GuestExports, event: Event, input: string): RawResult {
  const handler = event === 'request_headers' ? guest.on_request_headers : guest.on_response_headers;
  assert.ok(handler, `guest exports on_${event}`);
  const bytes = utf8.encode(input);
  const inPtr = guest.alloc(bytes.length) >>> 0;
  new Uint8Array(guest.memory.buffer, inPtr, bytes.length).set(bytes);
  const packed = BigInt.asUintN(64, handler(inPtr, bytes.length));
  guest.dealloc(inPtr, bytes.length);
  const ptr = Number(packed >> 32n);
  const len = Number(packed & 0xffffffffn);
  if (ptr === 0 || len === 0) return { ptr, len, text: '' };
  assert.ok(ptr + len <= guest.memory.buffer.byteLength, 'result lies inside guest memory');
  const text = strictUtf8.decode(new Uint8Array(guest.memory.buffer, ptr, len));
  guest.dealloc(ptr, len);
  return { ptr, len, text };
}

/** Calls with a JSON value (or JSON text, written as is) and parses the result. */
function call(guest: GuestExports, event: Event, input: unknown): Record<string, unknown> {
  const { text } = callRaw(guest, event, typeof input === 'string' ? input : JSON.stringify(input));
  return JSON.parse(text) as Record<string, unknown>;
}

const request = (overrides: Record<string, unknown> = {}) => ({
  method: 'GET',
  uri: '/',
  client_ip: '192.168.1.100',
  correlation_id: 'abc123',
  headers: {},
  ...overrides,
});

// The probe: a guest compiled here from the source below, for what the built guests do not
// exercise: an event kept past its call, the Result fields used directly, header lookups by
// names given in the request, and requests or results made with `new`.

test('the allow guest and the sentinel-security example stay small (sizes printed)', (t) => {
  const allow = statSync(guestPath('test-core', 'allow')).size;
  const security = statSync(guestPath('examples', 'sentinel-security')).size;
  t.diagnostic(`test-core/allow.wasm: ${allow} bytes`);
  t.diagnostic(`examples/sentinel-security.wasm: ${security} bytes`);
  assert.ok(allow < 1024, `allow.wasm is ${allow} bytes`);
  assert.ok(security < 32 * 1024, `sentinel-security.wasm is ${security} bytes`);
});

test('an SDK guest exports exactly the ABI and imports only env.abort', () => {
  const module = new WebAssembly.Module(readFileSync(guestPath('examples', 'sentinel-security')));
  const exports = WebAssembly.Module.exports(module).map((e) => `${e.kind} ${e.name}`).sort();
  assert.deepEqual(exports, ['function alloc', 'function dealloc', 'function on_request_headers', 'function on_response_headers', 'memory memory']);
  const imports = WebAssembly.Module.imports(module).map((i) => `${i.kind} ${i.module}.${i.name}`);
  assert.deepEqual(imports, ['function env.abort']);
});

test('a guest that defines only a response handler exports only on_response_headers', async () => {
  const module = new WebAssembly.Module(readFileSync(guestPath('test-core', 'response-only')));
  const handlers = WebAssembly.Module.exports(module).filter((e) => e.name.startsWith('on_')).map((e) => e.name);
  assert.deepEqual(handlers, ['on_response_headers']);
  const guest = await instantiate('test-core', 'response-only');
  assert.deepEqual(call(guest, 'response_headers', { status: 404, correlation_id: 'c', headers: {} }), {
    decision: 'allow',
    tags: ['response-only', 'status-404'],
  });
});

test('the trivial allow guest answers allow for both events, however large the input', async () => {
  const guest = await instantiate('test-core', 'allow');
  assert.equal(callRaw(guest, 'request_headers', JSON.stringify(request())).text, '{"decision":"allow"}');
  assert.equal(callRaw(guest, 'response_headers', '{"status":200,"correlation_id":"c","headers":{}}').text, '{"decision":"allow"}');
  const big = JSON.stringify(request({ headers: { big: 'x'.repeat(1024 * 1024) } }));
  assert.equal(callRaw(guest, 'request_headers', big).text, '{"decision":"allow"}', 'alloc grew memory to fit 1 MiB');
});

test('sentinel-security blocks /admin with 403 Forbidden and tags it', async () => {
  const guest = await instantiate('examples', 'sentinel-security');
  assert.equal(
    callRaw(guest, 'request_headers', JSON.stringify(request({ uri: '/admin/users' }))).text,
    '{"decision":"block","status":403,"body":"Forbidden","tags":["admin-blocked"]}',
  );
});

test('sentinel-security allows other requests, adding X-Processed and removing X-Debug', async () => {
  const guest = await instantiate('examples', 'sentinel-security');
  assert.equal(
    callRaw(guest, 'request_headers', JSON.stringify(request({ uri: '/api/users', headers: { 'x-debug': '1' } }))).text,
    '{"decision":"allow","add_request_headers":{"X-Processed":"true"},"remove_request_headers":["X-Debug"],"tags":["processed"]}',
  );
});

test('sentinel-security hardens responses and tags them with their status', async () => {
  const guest = await instantiate('examples', 'sentinel-security');
  assert.equal(
    callRaw(guest, 'response_headers', JSON.stringify({ status: 503, correlation_id: 'c', headers: { server: 'nginx' } })).text,
    '{"decision":"allow","add_response_headers":{"X-Frame-Options":"DENY"},"remove_response_headers":["Server"],"tags":["status-503"]}',
  );
});

test('every result helper writes its fields in ABI order, leaving absent ones out', async () => {
  const guest = await instantiate('test-core', 'sdk-helpers');
  const text = (uri: string) => callRaw(guest, 'request_headers', JSON.stringify(request({ uri }))).text;
  assert.equal(text('/other'), '{"decision":"allow"}');
  assert.equal(text('/block'), '{"decision":"block","status":403}');
  assert.equal(text('/deny'), '{"decision":"deny","status":429,"body":"slow down"}');
  assert.equal(text('/redirect'), '{"decision":"redirect","status":302,"body":"https://example.com/"}');
  assert.equal(
    text('/all'),
    '{"decision":"block","status":451,"body":"Unavailable: \\"legal\\" \\\\ reasons\\n",' +
      '"add_request_headers":{"X-A":"2","X-B":"b"},"remove_request_headers":["X-C"],' +
      '"add_response_headers":{"X-D":"d"},"remove_response_headers":["X-E","X-F"],"tags":["t1","t2"]}',
  );
});

test('adding a header twice under different case keeps one entry, in its first place, with the last value', async () => {
  const guest = await instantiate('test-core', 'sdk-helpers');
  const result = call(guest, 'request_headers', request({ uri: '/all' }));
  assert.deepEqual(Object.entries(result.add_request_headers as object), [
    ['X-A', '2'],
    ['X-B', 'b'],
  ]);
});

test('the writer escapes control characters, quotes and lone surrogates, and encodes the rest as UTF-8', async () => {
  const guest = await instantiate('test-core', 'sdk-helpers');
  const { text } = callRaw(guest, 'request_headers', JSON.stringify(request({ uri: '/escapes' })));
  const expected = '\u0000\u0001\b\f\n\r\t"\\/\u007f é ☂ 🌍 \uD800 \uDC00 end';
  assert.deepEqual(JSON.parse(text), { decision: 'allow', tags: [expected] });
  assert.ok(text.includes('\\u0000\\u0001\\b\\f\\n\\r\\t\\"\\\\/'), 'short escapes where JSON has them');
  assert.ok(text.includes('\\ud800 \\udc00'), 'lone surrogates as \\u escapes');
  assert.ok(text.includes('é ☂ 🌍'), 'other characters as raw UTF-8');
});

test('req.header finds a header whatever the case of the name asked for', async () => {
  const guest = await instantiate('test-core', 'sdk-helpers');
  const lookup = (headers: Record<string, string>) => call(guest, 'request_headers', request({ uri: '/lookup', headers })).tags;
  assert.deepEqual(lookup({ 'x-lookup': 'CONTENT-type', 'content-type': 'text/html' }), ['found', 'text/html']);
  assert.deepEqual(lookup({ 'X-LOOKUP': 'content-type', 'Content-Type': 'a' }), ['found', 'a']);
  assert.deepEqual(lookup({ 'x-lookup': 'content-length', 'content-type': 'a' }), ['missing']);
  assert.deepEqual(lookup({}), ['missing']);
});

test('res.status and res.header read the response object', async () => {
  const guest = await instantiate('test-core', 'sdk-helpers');
  assert.deepEqual(call(guest, 'response_headers', { status: 418, correlation_id: 'c', headers: { server: 'nginx' } }).tags, ['418', 'nginx']);
  assert.deepEqual(call(guest, 'response_headers', { status: 200, correlation_id: 'c', headers: {} }).tags, ['200', '(missing)']);
});

test('echo returns every request field and header exactly as the host sent them', async () => {
  const guest = await instantiate('test-core', 'echo');
  const headers = { 'user-agent': 'curl/8.5.0', 'x-multi': 'a, b', 'x-utf8': 'héllo 🌍', 'x-quote': 'say "hi" \\ bye' };
  const result = call(guest, 'request_headers', request({ method: 'POST', uri: '/p?q="x"&é=1', client_ip: '::1', correlation_id: 'c-1', headers }));
  assert.deepEqual(result.tags, ['POST', '/p?q="x"&é=1', '::1', 'c-1']);
  assert.deepEqual(result.add_request_headers, Object.fromEntries(Object.entries(headers).map(([k, v]) => [`x-echo-${k}`, v])));
  assert.deepEqual(Object.keys(result.add_request_headers as object), Object.keys(headers).map((k) => `x-echo-${k}`), 'in input order');
});

test('echo returns the response status, correlation id and headers', async () => {
  const guest = await instantiate('test-core', 'echo');
  const result = call(guest, 'response_headers', { status: 302, correlation_id: 'r-9', headers: { location: '/next' } });
  assert.deepEqual(result, { decision: 'allow', tags: ['302', 'r-9'], add_response_headers: { 'x-echo-location': '/next' } });
});

test('the reader decodes \\u escapes, including \\u00e9 and an emoji written as a surrogate pair', async () => {
  const guest = await instantiate('test-core', 'echo');
  const json =
    '{"method":"G\\u0045T","uri":"/caf\\u00e9/\\ud83c\\udf0d/\\u00E9","client_ip":"\\/\\b\\f\\n\\r\\t\\"\\\\","correlation_id":"\\u4e2d\\u6587",' +
    '"headers":{"x-\\u00e9":"\\ud83d\\ude00 ok"}}';
  const result = call(guest, 'request_headers', json);
  assert.deepEqual(result.tags, ['GET', '/café/🌍/é', '/\b\f\n\r\t"\\', '中文']);
  assert.deepEqual(result.add_request_headers, { 'x-echo-x-é': '😀 ok' });
});

test('the reader decodes raw multi-byte UTF-8 next to escapes in the same string', async () => {
  const guest = await instantiate('test-core', 'echo');
  const value = 'é ☂ 🌍 "quoted" \\ tab\t end ß';
  const result = call(guest, 'request_headers', request({ headers: { v: value, plain: 'é☂🌍' } }));
  assert.deepEqual(result.add_request_headers, { 'x-echo-v': value, 'x-echo-plain': 'é☂🌍' });
});

test('a lone surrogate in the input survives the round trip as a \\u escape', async () => {
  const guest = await instantiate('test-core', 'echo');
  const result = call(guest, 'request_headers', request({ uri: '/a\uD800b', headers: { lone: '\uDC00' } }));
  assert.equal((result.tags as string[])[1], '/a\uD800b');
  assert.deepEqual(result.add_request_headers, { 'x-echo-lone': '\uDC00' });
});

test('an empty headers object gives no header operations', async () => {
  const guest = await instantiate('test-core', 'echo');
  const result = call(guest, 'request_headers', request({ headers: {} }));
  assert.equal('add_request_headers' in result, false);
  assert.deepEqual(result, { decision: 'allow', tags: ['GET', '/', '192.168.1.100', 'abc123'] });
});

test('unknown keys of every JSON type are skipped, in any position', async () => {
  const guest = await instantiate('test-core', 'echo');
  const json = JSON.stringify({
    extra: { nested: [1, { deep: '}]"' }], s: 'x' },
    method: 'PUT',
    n: -12.5e3,
    flags: [true, false, null],
    uri: '/u',
    t: true,
    f: false,
    z: null,
    client_ip: '10.0.0.1',
    correlation_id: 'k',
    headers: { a: '1', weird: 42, obj: { b: '2' }, list: ['x', 'y'] },
    trailing: 'x',
  });
  const result = call(guest, 'request_headers', json);
  assert.deepEqual(result.tags, ['PUT', '/u', '10.0.0.1', 'k']);
  assert.deepEqual(result.add_request_headers, { 'x-echo-a': '1', 'x-echo-list': 'x, y' }, 'non-string values skipped; string arrays joined with ", "');
});

test('keys are found in any order and whitespace between tokens is ignored', async () => {
  const guest = await instantiate('test-core', 'echo');
  const reordered = { headers: { h: 'v' }, correlation_id: 'c', client_ip: 'ip', uri: '/r', method: 'DELETE' };
  const result = call(guest, 'request_headers', JSON.stringify(reordered, null, 2).replaceAll('\n', '\r\n\t'));
  assert.deepEqual(result.tags, ['DELETE', '/r', 'ip', 'c']);
  assert.deepEqual(result.add_request_headers, { 'x-echo-h': 'v' });
});

test('a 64 KiB header value is read and written back intact', async () => {
  const guest = await instantiate('test-core', 'echo');
  const value = Array.from({ length: 64 * 1024 }, (_, i) => String.fromCharCode(0x20 + (i % 95))).join('');
  const result = call(guest, 'request_headers', request({ headers: { big: value } }));
  assert.equal((result.add_request_headers as Record<string, string>)['x-echo-big'], value);
});

test('malformed input JSON aborts, naming the byte where it went wrong', async () => {
  const guest = await instantiate('test-core', 'echo');
  assert.throws(() => callRaw(guest, 'request_headers', '{"method":"GET",'), /malformed request JSON at byte 16/);
  const fresh = await instantiate('test-core', 'echo');
  assert.throws(() => callRaw(fresh, 'request_headers', '{"uri":"/x\\q"}'), /malformed request JSON at byte 10: invalid escape/);
});

test('decisions returns each raw result as written, without the host normalising it', async () => {
  const guest = await instantiate('test-core', 'decisions');
  const text = (uri: string) => callRaw(guest, 'request_headers', JSON.stringify(request({ uri }))).text;
  assert.equal(text('/block?status=401'), '{"decision":"block","status":401,"body":"blocked"}');
  assert.equal(text('/block'), '{"decision":"block","body":"blocked"}');
  assert.equal(text('/deny'), '{"decision":"deny"}');
  assert.equal(text('/redirect'), '{"decision":"redirect","body":"https://example.com/login"}');
  assert.equal(text('/Block-mixed-case'), '{"decision":"BLOCK"}');
  assert.equal(text('/unknown'), '{"decision":"frobnicate"}');
  assert.equal(text('/bad-types'), '{"decision":"allow","status":"403"}');
  assert.equal(text('/anything'), '{"decision":"allow"}');
});

test('decisions returns 0 (ptr 0, len 0) for /zero', async () => {
  const guest = await instantiate('test-core', 'decisions');
  const { ptr, len } = callRaw(guest, 'request_headers', JSON.stringify(request({ uri: '/zero' })));
  assert.deepEqual({ ptr, len }, { ptr: 0, len: 0 });
});

test('guest state persists between calls on one instance and starts afresh in another', async () => {
  const guest = await instantiate('test-core', 'counter');
  const tags = [];
  for (let i = 0; i < 5; i++) tags.push(call(guest, 'request_headers', request({ uri: i % 2 ? '/odd' : '/even' })).tags);
  assert.deepEqual(tags, [
    ['count-1', 'uri-count-1'],
    ['count-2', 'uri-count-1'],
    ['count-3', 'uri-count-2'],
    ['count-4', 'uri-count-2'],
    ['count-5', 'uri-count-3'],
  ]);
  const other = await instantiate('test-core', 'counter');
  assert.deepEqual(call(other, 'request_headers', request()).tags, ['count-1', 'uri-count-1']);
});

test('module state survives garbage collection while hundreds of 64 KiB calls churn the heap', async () => {
  const guest = await instantiate('test-core', 'counter');
  const big = request({ uri: '/same', headers: { pad: 'p'.repeat(64 * 1024) } });
  let last: unknown;
  for (let i = 0; i < 600; i++) last = call(guest, 'request_headers', big).tags;
  assert.deepEqual(last, ['count-600', 'uri-count-600']);
});

test('memory stays bounded over many calls: inputs, results and garbage are all reclaimed', async () => {
  const guest = await instantiate('test-core', 'echo');
  const input = request({ headers: { big: 'e'.repeat(64 * 1024) } });
  for (let i = 0; i < 100; i++) call(guest, 'request_headers', input);
  const settled = guest.memory.buffer.byteLength;
  for (let i = 0; i < 600; i++) call(guest, 'request_headers', input);
  assert.ok(guest.memory.buffer.byteLength <= settled + 1024 * 1024, `memory grew from ${settled} to ${guest.memory.buffer.byteLength} bytes`);
  assert.ok(guest.memory.buffer.byteLength < 16 * 1024 * 1024, `memory is ${guest.memory.buffer.byteLength} bytes`);
});

test('alloc returns distinct live blocks, and dealloc makes a block reusable', async () => {
  const guest = await instantiate('test-core', 'echo');
  const a = guest.alloc(100);
  const b = guest.alloc(100);
  assert.ok(a > 0 && b > 0 && (b >= a + 100 || a >= b + 100), `blocks ${a} and ${b} do not overlap`);
  assert.ok(guest.alloc(0) > 0, 'a zero-size allocation is a real block');
  guest.dealloc(b, 100);
  assert.equal(guest.alloc(100), b, 'the freed block is handed out again');
});

// ---- the lazy reader: fields and headers are decoded when read, from the event's own copy ----

test('duplicate keys: the last string value of a field wins, and a value of another type does not replace it', async () => {
  const guest = await instantiate('test-core', 'echo');
  const json =
    '{"method":"GET","uri":"/a","uri":"/b","client_ip":"1","client_ip":5,"correlation_id":"c","correlation_id":null,' +
    '"\\u0075ri":"/escaped-key","headers":{"h":"v"}}';
  assert.deepEqual(call(guest, 'request_headers', json).tags, ['GET', '/escaped-key', '1', 'c']);
});

test('a headers key given twice: both objects are read, in order', async () => {
  const guest = await instantiate('test-core', 'echo');
  const json = '{"method":"GET","uri":"/","client_ip":"","correlation_id":"","headers":{"a":"1"},"headers":5,"headers":{"b":"2","a":"3"}}';
  const result = call(guest, 'request_headers', json);
  // echo adds x-echo-<name> for a, b, a: the second a replaces the first's value in its place
  assert.deepEqual(Object.entries(result.add_request_headers as object), [
    ['x-echo-a', '3'],
    ['x-echo-b', '2'],
  ]);
  const probe = await instantiate('sdk-assemblyscript', 'sentinel-probe');
  const lookup = '{"uri":"/lookup","headers":{"x-names":"b|a|c","a":"1"},"headers":{"b":"2","a":"3"}}';
  assert.deepEqual(call(probe, 'request_headers', lookup).tags, ['2', '1', '(none)'], 'req.header looks in the second object too; the first a wins');
});

test('req.header compares names in place: any ASCII case, escapes, non-ASCII, arrays, duplicates', async () => {
  const guest = await instantiate('sdk-assemblyscript', 'sentinel-probe');
  const lookup = (headersJson: string, names: string[]) =>
    call(guest, 'request_headers', `{"uri":"/lookup","headers":{"x-names":${JSON.stringify(names.join('|'))},${headersJson}}}`).tags;
  assert.deepEqual(lookup('"content-type":"t","Accept":"a"', ['Content-Type', 'CONTENT-TYPE', 'accept', 'content-typ', 'content-types', 'x']), [
    't',
    't',
    'a',
    '(none)',
    '(none)',
    '(none)',
  ]);
  assert.deepEqual(lookup('"x-\\u00e9":"escaped","x-\\u0041":"A","caf\u00e9":"raw"', ['x-é', 'X-a', 'CAFé', 'CAFÉ']), ['escaped', 'A', 'raw', '(none)'], 'only ASCII case is folded');
  assert.deepEqual(lookup('"a\\"b":"quote","tab\\tname":"tab"', ['a"b', 'tab\tname']), ['quote', 'tab']);
  assert.deepEqual(lookup('"list":["a","b"],"empty":[],"mixed":[1,"x",{"y":"z"},null,"w"]', ['list', 'empty', 'mixed']), ['a, b', '', 'x, w'], 'arrays: strings joined with ", "');
  assert.deepEqual(lookup('"dup":42,"dup":{"a":"b"},"DUP":"second","dup":"third"', ['dup']), ['second'], 'non-string values are skipped; the first string wins');
  assert.deepEqual(lookup('"v":"\\ud83d\\ude00 \\u00e9 \\"q\\" \\\\ \\/ \\b\\f\\n\\r\\t","u":"é ☂ 🌍"', ['v', 'u']), ['😀 é "q" \\ / \b\f\n\r\t', 'é ☂ 🌍']);
  const spaced = `{ "uri" : "/lookup" , "headers" : { "x-names" : "a|b" , "a" : [ "1" , "2" ] , "b" : "v" } }`;
  assert.deepEqual(call(guest, 'request_headers', spaced).tags, ['1, 2', 'v'], 'whitespace anywhere');
});

test('a request kept past its call still reads its own fields and headers after the host reused the memory', async () => {
  const guest = await instantiate('sdk-assemblyscript', 'sentinel-probe');
  call(guest, 'request_headers', { method: 'PUT', uri: '/keep', client_ip: 'ip-1', correlation_id: 'c-1', headers: { 'x-a': 'kept-a', b: '2' } });
  for (let i = 0; i < 50; i++) {
    // same length, other bytes: the host's next input lands where the kept one was
    call(guest, 'request_headers', { method: 'GET', uri: '/othr', client_ip: `ip-${i % 10}`, correlation_id: 'c-9', headers: { 'x-a': `zzzz-${i % 10}`, b: '3' } });
  }
  assert.deepEqual(call(guest, 'request_headers', { uri: '/kept', headers: {} }).tags, ['PUT', '/keep', 'ip-1', 'c-1', 'kept-a', '2']);
  call(guest, 'response_headers', { status: 201, correlation_id: 'keep', headers: { server: 'kept-server' } });
  for (let i = 0; i < 50; i++) call(guest, 'response_headers', { status: 500, correlation_id: 'oops', headers: { server: 'xxxxxxxxxxx' } });
  assert.deepEqual(call(guest, 'response_headers', { status: 200, correlation_id: 'x', headers: {} }).tags, ['201', 'keep', 'kept-server', '1']);
});

test('req.headers is built on first use; changes to it are what req.header sees', async () => {
  const guest = await instantiate('sdk-assemblyscript', 'sentinel-probe');
  assert.deepEqual(call(guest, 'request_headers', { uri: '/headers-map', headers: { 'x-a': 'orig' } }).tags, ['orig', 'v', 'changed', '2']);
});

test('request fields can be assigned, and a Request made with new is empty', async () => {
  const guest = await instantiate('sdk-assemblyscript', 'sentinel-probe');
  const result = call(guest, 'request_headers', { method: 'GET', uri: '/setters', client_ip: '10.0.0.1', correlation_id: 'c', headers: {} });
  assert.deepEqual(result.tags, ['/changed', 'PATCH', '10.0.0.1', '[]', 'made', '(none)', '0']);
});

test('malformed JSON aborts wherever it is, read or not: sentinel-security reads only the URI', async () => {
  const cases: Array<[string, RegExp]> = [
    ['{"method":"GET","uri":"/","headers":{"a":"\\q"}}', /malformed request JSON at byte 42: invalid escape/],
    ['{"method":"GET","uri":"/","headers":{"a":"\\u12G4"}}', /at byte 44: invalid \\u escape/],
    ['{"method":"GET","uri":"/","headers":{"a":"\\u12"}}', /at byte 42: truncated \\u escape/],
    ['{"method":"GET","uri":"/","headers":{"a":"\\u12', /at byte 42: truncated \\u escape/],
    ['{"method":"GET","uri":"/","headers":{"a":"x"}', /at byte 45: expected '}'/],
    ['{"method":"GET","uri":"/","headers":{"a" "x"}}', /at byte 41: expected ':'/],
    ['{"method":"GET","uri":"/","headers":{1:"x"}}', /at byte 37: expected '"'/],
    ['{"method":"GET","uri":"/","headers":{"a":["x" "y"]}}', /at byte 46: expected ']'/],
    ['{"method":"GET","uri":"/","headers":{"a":"x"}} x', /at byte 47: unexpected data after the value/],
    ['{"method":"GET","uri":"/","x":tru}', /at byte 30: expected a value/],
    ['{"method":"GET","uri":"/","client_ip":"10.0.0.1', /at byte 47: unterminated string/],
    ['[]', /at byte 0: expected '{'/],
  ];
  for (const [json, message] of cases) {
    const guest = await instantiate('examples', 'sentinel-security');
    assert.throws(() => callRaw(guest, 'request_headers', json), message, json);
  }
  const response = await instantiate('examples', 'sentinel-security');
  assert.throws(() => callRaw(response, 'response_headers', '{"status":200,"headers":{"server":"\\x"}}'), /malformed response JSON at byte 35: invalid escape/);
});

test('Result fields read or assigned directly stay in step with the builder methods', async () => {
  const guest = await instantiate('sdk-assemblyscript', 'sentinel-probe');
  const text = (uri: string) => callRaw(guest, 'request_headers', JSON.stringify(request({ uri }))).text;
  assert.equal(
    text('/fields'),
    '{"decision":"allow","add_request_headers":{"X-A":"2","X-B":"b"},"add_response_headers":{"X-R":"r"},' +
      '"remove_response_headers":["S1","S2"],"tags":["t1","t2","t3"]}',
  );
  assert.equal(text('/fields-late'), '{"decision":"allow","add_request_headers":{"X-A":"1"},"tags":["t1","t2","t3"]}');
  assert.equal(text('/constructed'), '{"decision":"deny","status":429,"body":"b","add_response_headers":{"X-M":"m"},"tags":["made"]}');
});

test('a result with many header changes and tags keeps call order and replaces repeated names in place', async () => {
  const guest = await instantiate('sdk-assemblyscript', 'sentinel-probe');
  const result = call(guest, 'request_headers', request({ uri: '/many' }));
  const expected = Array.from({ length: 12 }, (_, i) => [`X-${i}`, i === 3 ? 'three' : i === 11 ? 'eleven' : String(i)]);
  assert.deepEqual(Object.entries(result.add_request_headers as object), expected);
  assert.deepEqual(result.remove_response_headers, ['r0', 'r1', 'r2', 'r3', 'r4']);
  assert.deepEqual(result.tags, ['t0', 't1', 't2', 't3', 't4']);
});

test('a host that holds several results at once gets a block of its own for each', async () => {
  const guest = await instantiate('examples', 'sentinel-security');
  const results: Array<{ ptr: number; len: number }> = [];
  for (const uri of ['/a', '/admin', '/b']) {
    const bytes = utf8.encode(JSON.stringify(request({ uri })));
    const inPtr = guest.alloc(bytes.length) >>> 0;
    new Uint8Array(guest.memory.buffer, inPtr, bytes.length).set(bytes);
    const packed = BigInt.asUintN(64, guest.on_request_headers!(inPtr, bytes.length));
    guest.dealloc(inPtr, bytes.length);
    results.push({ ptr: Number(packed >> 32n), len: Number(packed & 0xffffffffn) });
  }
  const texts = results.map(({ ptr, len }) => strictUtf8.decode(new Uint8Array(guest.memory.buffer, ptr, len)));
  assert.deepEqual(texts.map((t) => (JSON.parse(t) as { decision: string }).decision), ['allow', 'block', 'allow']);
  assert.equal(new Set(results.map((r) => r.ptr)).size, 3, 'three distinct blocks');
  for (const { ptr, len } of results) guest.dealloc(ptr, len);
  // freed in another order than written: still one block per result afterwards
  assert.equal(callRaw(guest, 'request_headers', JSON.stringify(request({ uri: '/admin' }))).text, '{"decision":"block","status":403,"body":"Forbidden","tags":["admin-blocked"]}');
  const big = callRaw(guest, 'response_headers', JSON.stringify({ status: 200, correlation_id: 'c', headers: {} })).text;
  assert.equal(big, '{"decision":"allow","add_response_headers":{"X-Frame-Options":"DENY"},"remove_response_headers":["Server"],"tags":["status-200"]}');
});

test('100,000 calls keep memory bounded (sentinel-security, requests and responses, allowed and blocked)', async () => {
  const guest = await instantiate('examples', 'sentinel-security');
  const inputs = [
    JSON.stringify(request({ uri: '/api/users?page=1', headers: { host: 'example.com', 'user-agent': 'curl/8.5.0', 'x-debug': '1' } })),
    JSON.stringify(request({ uri: '/admin/users', headers: { host: 'example.com' } })),
    JSON.stringify({ status: 200, correlation_id: 'c', headers: { server: 'nginx', 'content-type': 'text/html' } }),
    JSON.stringify(request({ uri: '/p', headers: { big: 'b'.repeat(4096) } })),
  ].map((text) => utf8.encode(text));
  const once = (i: number): void => {
    const bytes = inputs[i % inputs.length]!;
    const inPtr = guest.alloc(bytes.length) >>> 0;
    new Uint8Array(guest.memory.buffer, inPtr, bytes.length).set(bytes);
    const handler = i % inputs.length === 2 ? guest.on_response_headers! : guest.on_request_headers!;
    const packed = BigInt.asUintN(64, handler(inPtr, bytes.length));
    guest.dealloc(inPtr, bytes.length);
    guest.dealloc(Number(packed >> 32n), Number(packed & 0xffffffffn));
  };
  for (let i = 0; i < 1000; i++) once(i);
  const settled = guest.memory.buffer.byteLength;
  for (let i = 0; i < 100_000; i++) once(i);
  const after = guest.memory.buffer.byteLength;
  assert.ok(after <= settled + 256 * 1024, `memory grew from ${settled} to ${after} bytes`);
  assert.ok(after <= 1024 * 1024, `memory is ${after} bytes`);
  assert.equal(callRaw(guest, 'request_headers', JSON.stringify(request({ uri: '/admin' }))).text, '{"decision":"block","status":403,"body":"Forbidden","tags":["admin-blocked"]}');
});

test('strings of every length and mix round-trip: escapes and multi-byte UTF-8 at every offset of the 8-byte scan', async () => {
  const guest = await instantiate('test-core', 'echo');
  const pieces = ['a', 'Z', ' ', 'é', '☂', '🌍', '"', '\\', '/', '\n', '\t', '\u0001', '\u2028', '\uD800'];
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  /** JSON text for `s`, some characters written as \uXXXX escapes and the rest as JSON.stringify writes them. */
  const encode = (s: string) =>
    '"' +
    [...s]
      .map((ch) => (random(3) === 0 ? [...ch].map((c) => Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')).join('') : JSON.stringify(ch).slice(1, -1)))
      .join('') +
    '"';
  for (let round = 0; round < 60; round++) {
    const values = Array.from({ length: 6 }, () => Array.from({ length: random(24) }, () => pieces[random(pieces.length)]!).join(''));
    const headers = values.map((v, i) => `${encode(`h${i}`)}:${encode(v)}`).join(',');
    const json = `{"method":${encode(values[0]!)},"uri":${encode(values[1]!)},"client_ip":"","correlation_id":"","headers":{${headers}}}`;
    const result = call(guest, 'request_headers', json);
    assert.deepEqual((result.tags as string[]).slice(0, 2), [values[0], values[1]], json);
    assert.deepEqual(Object.values(result.add_request_headers as object), values, json);
  }
});
