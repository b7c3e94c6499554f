import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSentinelResult } from '../../../../src/abi/sentinel-json/result-codec.js';
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
