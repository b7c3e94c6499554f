// GET /wasm formatting details.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatRfc3339Nanos } from '../../../src/gateway/wasm-api/list-modules.js';

describe('formatRfc3339Nanos', () => {
  it('renders nanoseconds since the epoch as RFC 3339 UTC with exactly 9 fractional digits', () => {
    assert.equal(formatRfc3339Nanos(1787429213123456789n), '2026-08-22T20:06:53.123456789Z');
    assert.equal(formatRfc3339Nanos(0n), '1970-01-01T00:00:00.000000000Z');
    assert.equal(formatRfc3339Nanos(1787429213000000512n), '2026-08-22T20:06:53.000000512Z');
  });
});
