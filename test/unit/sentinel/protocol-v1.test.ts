import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeV1Frame, parseV1Envelope } from '../../../src/sentinel/protocol-v1.js';

const parse = (text: string | Buffer) => parseV1Envelope(typeof text === 'string' ? Buffer.from(text) : text);

describe('v1 envelope', () => {
  it('accepts the proxy envelope', () => {
    assert.deepEqual(parse('{"version":1,"event_type":"request_headers","payload":{"a":1}}'), {
      ok: true,
      event: 'request_headers',
      payload: { a: 1 },
    });
  });

  const bad: Array<[string, string | Buffer, string]> = [
    ['invalid JSON', '{"version":1,', 'invalid-json'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), 'invalid-json'],
    ['an empty frame', '', 'invalid-json'],
    ['a JSON array', '[1,2]', 'envelope-not-object'],
    ['a JSON string', '"x"', 'envelope-not-object'],
    ['version 2', '{"version":2,"event_type":"request_headers","payload":{}}', 'unsupported-version'],
    ['a missing version', '{"event_type":"request_headers","payload":{}}', 'unsupported-version'],
    ['version "1" as a string', '{"version":"1","event_type":"request_headers","payload":{}}', 'unsupported-version'],
    ['an unknown event type', '{"version":1,"event_type":"request_trailers","payload":{}}', 'unknown-event-type'],
    ['a missing event type', '{"version":1,"payload":{}}', 'unknown-event-type'],
  ];
  for (const [title, input, reason] of bad) {
    it(`rejects ${title} as ${reason}`, () => {
      const result = parse(input);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.reason, reason);
    });
  }

  it('frames a reply as u32 BE length + JSON', () => {
    const json = '{"version":1,"decision":"allow"}';
    assert.equal(encodeV1Frame(json).toString('hex'), '00000020' + Buffer.from(json).toString('hex'));
    assert.equal(encodeV1Frame('"é"').readUInt32BE(0), 4, 'the length counts UTF-8 bytes');
  });
});
