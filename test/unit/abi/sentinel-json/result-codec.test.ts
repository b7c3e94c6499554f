import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SentinelResultCache, parseSentinelResult } from '../../../../src/abi/sentinel-json/result-codec.js';
import { GuestFault } from '../../../../src/runtime/guest-fault.js';

const badOutput = (err: unknown) => err instanceof GuestFault && err.kind === 'bad-output' && err.code === 'WG_ERR_GUEST_BAD_OUTPUT';

test('allow passes through with no defaults added', () => {
  assert.deepEqual(parseSentinelResult('{"decision":"allow"}'), { decision: 'allow' });
});

test('block and deny default to status 403', () => {
  assert.deepEqual(parseSentinelResult('{"decision":"block","body":"Forbidden"}'), { decision: 'block', status: 403, body: 'Forbidden' });
  assert.deepEqual(parseSentinelResult('{"decision":"deny"}'), { decision: 'deny', status: 403 });
  assert.equal(parseSentinelResult('{"decision":"block","status":401}').status, 401);
});

test('redirect defaults to 302 and requires the URL in body', () => {
  assert.deepEqual(parseSentinelResult('{"decision":"redirect","body":"https://example.com/login"}'), {
    decision: 'redirect',
    status: 302,
    body: 'https://example.com/login',
  });
  assert.throws(() => parseSentinelResult('{"decision":"redirect"}'), badOutput);
});

test('the decision is matched case-insensitively and normalised to lower case', () => {
  assert.equal(parseSentinelResult('{"decision":"BLOCK"}').decision, 'block');
});

test('null optional fields count as absent, as serde Option does', () => {
  assert.deepEqual(parseSentinelResult('{"decision":"allow","status":null,"body":null,"tags":null}'), { decision: 'allow' });
});

test('header maps keep the guest key order and unknown keys are ignored', () => {
  const r = parseSentinelResult('{"decision":"allow","add_request_headers":{"b":"2","a":"1"},"remove_response_headers":["Server"],"tags":["x"],"extra":1}');
  assert.deepEqual(Object.keys(r.add_request_headers!), ['b', 'a']);
  assert.deepEqual(r.remove_response_headers, ['Server']);
  assert.deepEqual(r.tags, ['x']);
});

const invalid: Array<[string, string]> = [
  ['non-JSON text', 'not json'],
  ['a JSON array', '[1]'],
  ['a JSON string', '"allow"'],
  ['missing decision', '{"status":403}'],
  ['numeric decision', '{"decision":1}'],
  ['unknown decision', '{"decision":"frobnicate"}'],
  ['status as a string', '{"decision":"block","status":"403"}'],
  ['status out of range', '{"decision":"block","status":70000}'],
  ['fractional status', '{"decision":"block","status":403.5}'],
  ['body as a number', '{"decision":"block","body":5}'],
  ['header map as array', '{"decision":"allow","add_request_headers":["a"]}'],
  ['header value as number', '{"decision":"allow","add_response_headers":{"a":1}}'],
  ['remove list as string', '{"decision":"allow","remove_request_headers":"X-Debug"}'],
  ['tag as number', '{"decision":"allow","tags":[1]}'],
];

for (const [label, text] of invalid) {
  test(`${label} is a typed bad-output error`, () => {
    assert.throws(() => parseSentinelResult(text), badOutput);
  });
}

test('SentinelResultCache.read: the same bytes again give the same frozen result without decoding; other bytes are read afresh', () => {
  const cache = new SentinelResultCache();
  const memory = new Uint8Array(256);
  const words = new Int32Array(memory.buffer);
  const put = (at: number, text: string): number => new TextEncoder().encodeInto(text, memory.subarray(at)).written;
  const n = put(10, '{"decision":"block","status":401}');
  const first = cache.read(memory, words, 10, n, 'on_request_headers');
  assert.deepEqual(first, { decision: 'block', status: 401 });
  assert.ok(Object.isFrozen(first));
  const m = put(100, '{"decision":"block","status":401}');
  assert.equal(cache.read(memory, words, 100, m, 'on_request_headers'), first, 'same bytes elsewhere: the same result');
  // same length, one byte different: a different result
  const k = put(100, '{"decision":"block","status":402}');
  assert.deepEqual(cache.read(memory, words, 100, k, 'on_request_headers'), { decision: 'block', status: 402 });
  memory.set([0x22, 0xff, 0x22], 200);
  assert.throws(() => cache.read(memory, words, 200, 3, 'on_request_headers'), (err: unknown) => badOutput(err) && /on_request_headers returned bytes that are not valid UTF-8/.test((err as Error).message));
  assert.deepEqual(cache.read(memory, words, 100, k, 'on_request_headers'), { decision: 'block', status: 402 }, 'a bad result does not disturb the cache');
});

test('SentinelResultCache.read compares word by word at aligned pointers and byte by byte elsewhere: any one byte changed is seen', () => {
  const text = '{"decision":"deny","status":451,"body":"gone","tags":["a"]}'; // 59 bytes: 14 words and a 3-byte tail
  const encoded = new TextEncoder().encode(text);
  for (const at of [64, 65, 66, 67]) {
    for (let changed = 0; changed < encoded.length; changed++) {
      const cache = new SentinelResultCache();
      const memory = new Uint8Array(256);
      const words = new Int32Array(memory.buffer);
      memory.set(encoded, at);
      const first = cache.read(memory, words, at, encoded.length, 'on_request_headers');
      assert.equal(cache.read(memory, words, at, encoded.length, 'on_request_headers'), first, `at ${at}: the same bytes`);
      memory[at + changed] = memory[at + changed]! ^ 0x01; // still a different byte; the result may be invalid now
      let again: unknown;
      try {
        again = cache.read(memory, words, at, encoded.length, 'on_request_headers');
      } catch (err) {
        assert.ok(badOutput(err), `at ${at}, byte ${changed}: a changed result is read afresh`);
        continue;
      }
      assert.notEqual(again, first, `at ${at}, byte ${changed} changed: not the cached result`);
    }
  }
});
