// DELETE /wasm/{uuid} accepts the textual forms Rust's Uuid::parse_str accepts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseUuid } from '../../../src/gateway/wasm-api/parse-uuid.js';

const U = '0198c2e4-5b7a-7c3e-9a51-3f0d2b6c8e11';

describe('parseUuid', () => {
  it('accepts hyphenated (any case), simple, braced and urn forms, returning lower-case hyphenated', () => {
    for (const form of [U, U.toUpperCase(), U.replaceAll('-', ''), `{${U}}`, `urn:uuid:${U}`, `URN:UUID:${U.toUpperCase()}`]) assert.equal(parseUuid(form), U, form);
  });

  it('refuses everything else', () => {
    for (const bad of ['', 'x', U.slice(1), `${U}0`, `{${U.replaceAll('-', '')}}`, `urn:uuid:${U.replaceAll('-', '')}`, U.replace('-', '_'), `${U.slice(0, 35)}g`, `{${U}`])
      assert.equal(parseUuid(bad), undefined, bad);
  });
});
