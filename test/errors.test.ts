import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ERROR_CODES, WasmgateError } from '../src/errors.js';

const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
const documented = new Map([...doc.matchAll(/^\| `(WG_ERR_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])]));

test('every error code is documented in docs/errors.md with its HTTP status', () => {
  for (const [code, spec] of Object.entries(ERROR_CODES)) {
    assert.equal(documented.get(code), spec.status, `${code} missing or with another status in docs/errors.md`);
  }
});

test('docs/errors.md lists no code that does not exist', () => {
  for (const code of documented.keys()) assert.ok(code in ERROR_CODES, `${code} is documented but not defined`);
});

test('codes follow WG_ERR_<AREA>_<PROBLEM> with a known area', () => {
  const areas = ['CONFIG', 'MODULE', 'ABI', 'GUEST', 'POOL', 'INSTANCE', 'REGISTRY', 'UPSTREAM', 'BODY', 'ADMIN', 'SENTINEL', 'INTERNAL'];
  for (const code of Object.keys(ERROR_CODES)) {
    const area = code.split('_')[2]!;
    assert.ok(areas.includes(area), `${code} has unknown area ${area}`);
  }
});

test('a WasmgateError carries its code, default status and cause', () => {
  const cause = new Error('ECONNREFUSED');
  const err = new WasmgateError('WG_ERR_UPSTREAM_UNREACHABLE', undefined, { cause });
  assert.equal(err.code, 'WG_ERR_UPSTREAM_UNREACHABLE');
  assert.equal(err.statusCode, 502);
  assert.equal(err.cause, cause);
  assert.ok(WasmgateError.is(err, 'WG_ERR_UPSTREAM_UNREACHABLE'));
  assert.ok(!WasmgateError.is(err, 'WG_ERR_UPSTREAM_TIMEOUT'));
});
