// Request ids as SMG derives them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_REQUEST_ID_HEADERS, generateRequestId, requestIdFromHeaders, resolveRequestId } from '../../../src/gateway/request-id.js';

describe('request ids', () => {
  it('takes the first configured header whose first value is visible ASCII', () => {
    const names = DEFAULT_REQUEST_ID_HEADERS;
    assert.equal(requestIdFromHeaders(['X-Trace-Id', 't', 'X-Correlation-Id', 'c'], names), 'c');
    assert.equal(requestIdFromHeaders(['x-request-id', 'caf\u00e9', 'x-trace-id', 't'], names), 't');
    assert.equal(requestIdFromHeaders(['x-request-id', 'a', 'x-request-id', 'b'], names), 'a');
    assert.equal(requestIdFromHeaders(['x-request-id', '', 'request-id', 'r'], names), 'r');
    assert.equal(requestIdFromHeaders(['x-other', 'o'], names), undefined);
  });

  it('generates prefix + 24 alphanumerics by path suffix, /chat/completions before /completions', () => {
    assert.match(generateRequestId('/v1/chat/completions'), /^chatcmpl-[A-Za-z0-9]{24}$/);
    assert.match(generateRequestId('/v1/completions'), /^cmpl-[A-Za-z0-9]{24}$/);
    assert.match(generateRequestId('/generate'), /^gnt-[A-Za-z0-9]{24}$/);
    assert.match(generateRequestId('/v1/responses'), /^resp-[A-Za-z0-9]{24}$/);
    assert.match(generateRequestId('/v1/messages'), /^msg_[A-Za-z0-9]{24}$/);
    assert.match(generateRequestId('/v1/responses/abc'), /^req-[A-Za-z0-9]{24}$/);
    assert.notEqual(generateRequestId('/x'), generateRequestId('/x'));
    assert.match(resolveRequestId([], '/generate', DEFAULT_REQUEST_ID_HEADERS), /^gnt-/);
  });
});
