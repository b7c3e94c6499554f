// The event encoder must write exactly what JSON.stringify + UTF-8 would, on its fast path and off it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeRequest, encodeResponse } from '../../../../src/abi/sentinel-json/event-encoder.js';
import type { SentinelRequest, SentinelResponse } from '../../../../src/abi/sentinel-json/types.js';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const expected = (value: unknown): string => JSON.stringify(value);

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
}

/** Pieces that exercise every branch: plain ASCII, escapes, controls, DEL, multi-byte, astral, lone surrogates. */
const PIECES = ['a', 'Z', '/', ' ', '~', '\x7f', '"', '\\', '\n', '\t', '\x00', '\x1f', 'é', '☂', '😀', '\ud800', '\udfff', 'x-', '?q=1&r=2'];

function randomString(next: (n: number) => number): string {
  let s = '';
  const n = next(12);
  for (let i = 0; i < n; i++) s += next(3) === 0 ? PIECES[next(PIECES.length)]! : PIECES[next(4)]!;
  return s;
}

test('a typical request takes the fast path and matches JSON.stringify', () => {
  const request: SentinelRequest = {
    method: 'GET',
    uri: '/api/users?page=1',
    client_ip: '192.168.1.100',
    correlation_id: 'abc123',
    headers: { 'user-agent': 'curl/8.5.0', accept: '*/*', host: 'example.com' },
  };
  assert.equal(text(encodeRequest(request)), expected(request));
  assert.equal(text(encodeRequest({ ...request, headers: {} })), expected({ ...request, headers: {} }));
});

test('random strings with escapes, controls, multi-byte and lone surrogates match JSON.stringify', () => {
  const next = random(42);
  for (let i = 0; i < 2000; i++) {
    const headers: Record<string, string> = {};
    for (let h = next(5); h > 0; h--) headers[randomString(next)] = randomString(next);
    const request: SentinelRequest = { method: randomString(next), uri: randomString(next), client_ip: randomString(next), correlation_id: randomString(next), headers };
    assert.equal(text(encodeRequest(request)), expected(request), `request ${i}`);
    const response: SentinelResponse = { status: next(1000), correlation_id: randomString(next), headers };
    assert.equal(text(encodeResponse(response)), expected(response), `response ${i}`);
  }
});

/** What the guest must see for headers given as lists: each list joined with ", ". */
const joined = (headers: Record<string, string | string[]>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : value]));

test('header value lists (as the proxy sends them) are written joined with ", ", on the fast path and off it', () => {
  const wire = { method: 'GET', uri: '/', client_ip: '10.0.0.1', correlation_id: 'c', headers: { accept: ['text/html', '*/*'], host: ['a.example'], empty: [], plain: 'v' } };
  assert.equal(text(encodeRequest(wire)), expected({ ...wire, headers: joined(wire.headers) }));
  const escaped = { ...wire, headers: { 'x-q': ['say "hi"', 'é'], ok: ['1'] } };
  assert.equal(text(encodeRequest(escaped)), expected({ ...escaped, headers: joined(escaped.headers) }));
  const response = { status: 200, correlation_id: 'c', headers: { 'set-cookie': ['a=1', 'b=2'] } };
  assert.equal(text(encodeResponse(response)), expected({ ...response, headers: joined(response.headers) }));
  const next = random(7);
  for (let i = 0; i < 1000; i++) {
    const headers: Record<string, string | string[]> = {};
    for (let h = next(5); h > 0; h--) headers[randomString(next)] = next(4) === 0 ? randomString(next) : Array.from({ length: next(4) }, () => randomString(next));
    const request = { method: 'GET', uri: randomString(next), client_ip: '', correlation_id: randomString(next), headers };
    assert.equal(text(encodeRequest(request)), expected({ ...request, headers: joined(headers) }), `request ${i}`);
  }
});

test('fields of other types, missing fields and extra keys: what JSON.stringify writes for the ABI fields only', () => {
  const odd = { method: 'GET', uri: 5, correlation_id: null, headers: { a: 'x', b: 7, c: undefined, d: ['y'] }, extra: 'dropped' } as unknown as SentinelRequest;
  assert.equal(text(encodeRequest(odd)), '{"method":"GET","uri":5,"correlation_id":null,"headers":{"a":"x","b":7,"d":"y"}}');
  assert.equal(text(encodeRequest({} as SentinelRequest)), '{}');
  const noHeaders = { status: 204, correlation_id: 'c' } as SentinelResponse;
  assert.equal(text(encodeResponse(noHeaders)), expected(noHeaders));
  for (const status of [200.5, Number.NaN, -0, 1e21]) {
    const response = { status, correlation_id: 'c', headers: {} };
    assert.equal(text(encodeResponse(response)), expected(response), String(status));
  }
});

test('inherited enumerable properties are not sent (as JSON.stringify)', () => {
  const headers = Object.assign(Object.create({ injected: 'no' }) as Record<string, string>, { own: 'yes' });
  assert.equal(text(encodeRequest({ method: 'GET', uri: '/', client_ip: '', correlation_id: '', headers })), '{"method":"GET","uri":"/","client_ip":"","correlation_id":"","headers":{"own":"yes"}}');
});

test('events bigger than the kept scratch buffer are written whole, and the next small one still is', () => {
  const big: SentinelRequest = { method: 'POST', uri: '/'.repeat(100_000), client_ip: '', correlation_id: '', headers: { v: 'é'.repeat(50_000) } };
  assert.equal(text(encodeRequest(big)), expected(big));
  const fastBig = { ...big, headers: { v: 'x'.repeat(200_000) } };
  assert.equal(text(encodeRequest(fastBig)), expected(fastBig));
  const small: SentinelRequest = { method: 'GET', uri: '/', client_ip: 'ip', correlation_id: 'c', headers: {} };
  assert.equal(text(encodeRequest(small)), expected(small));
});

test('events of every size around the kept buffer (64 KiB) come out whole, request and response', () => {
  for (let size = 65_400; size <= 65_560; size += 7) {
    const request: SentinelRequest = { method: 'GET', uri: '/', client_ip: 'ip', correlation_id: 'c', headers: { a: 'x'.repeat(size - 200), b: 'y'.repeat(150) } };
    assert.equal(text(encodeRequest(request)), expected(request), `request, ${size}`);
    const response: SentinelResponse = { status: 200, correlation_id: 'c'.repeat(size - 100), headers: { z: 'v' } };
    assert.equal(text(encodeResponse(response)), expected(response), `response, ${size}`);
  }
});

test('values that JSON.stringify cannot write throw (the caller reports them)', () => {
  assert.throws(() => encodeRequest({ method: 'GET', uri: 1n, client_ip: '', correlation_id: '', headers: {} } as unknown as SentinelRequest), TypeError);
});
