// Header lists: SMG's one-entry-per-value form, guest edits (set → add → remove), hop-by-hop removal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HeaderList, isValidHeaderName, isVisibleAscii } from '../../../src/gateway/header-list.js';
import { removeHopByHop } from '../../../src/gateway/hop-by-hop.js';

describe('HeaderList', () => {
  it('lower-cases names and keeps one entry per value', () => {
    const h = HeaderList.fromRaw(['X-A', '1', 'x-a', '2', 'Host', 'h']);
    assert.deepEqual(h.getAll('x-a'), ['1', '2']);
    assert.deepEqual(HeaderList.fromRecord({ 'set-cookie': ['a', 'b'], x: 'y' }).pairs, [['set-cookie', 'a'], ['set-cookie', 'b'], ['x', 'y']]);
  });

  it('set replaces every value of a name by one, where the first was, and appends a name not there', () => {
    const h = new HeaderList([['a', '1'], ['x', 'old1'], ['b', '2'], ['x', 'old2'], ['c', '3']]);
    h.set('x', 'new');
    assert.deepEqual(h.pairs, [['a', '1'], ['x', 'new'], ['b', '2'], ['c', '3']]);
    h.set('d', '4');
    assert.deepEqual(h.pairs, [['a', '1'], ['x', 'new'], ['b', '2'], ['c', '3'], ['d', '4']]);
    h.set('a', 'first');
    assert.deepEqual(h.pairs, [['a', 'first'], ['x', 'new'], ['b', '2'], ['c', '3'], ['d', '4']]);
    const empty = new HeaderList();
    empty.set('only', 'v');
    assert.deepEqual(empty.pairs, [['only', 'v']]);
  });

  it('hides values outside visible ASCII from guests', () => {
    const h = new HeaderList([['a', 'ok'], ['b', 'caf\u00e9'], ['c', 'tab\there']]);
    assert.deepEqual(h.toGuest(), [{ name: 'a', value: 'ok' }, { name: 'c', value: 'tab\there' }]);
  });

  it('applies edits set, then add, then remove; reports invalid ones; respects frozen names', () => {
    const h = new HeaderList([['x-a', 'old'], ['content-length', '3']]);
    const problems: string[] = [];
    h.applyEdits(
      {
        headersSet: [{ name: 'X-A', value: 'new' }, { name: 'bad name', value: 'v' }, { name: 'content-length', value: '9' }],
        headersAdd: [{ name: 'x-a', value: 'more' }, { name: 'x-b', value: 'line\nbreak' }],
        headersRemove: ['x-gone', 'Bad Name'],
      },
      (what, name) => problems.push(`${what}:${name}`),
      new Set(['content-length']),
    );
    assert.deepEqual(h.pairs, [['x-a', 'new'], ['content-length', '3'], ['x-a', 'more']]);
    assert.deepEqual(problems, [
      'headers-set: invalid header name:bad name',
      'headers-set: header not changeable here:content-length',
      'headers-add: invalid header value:x-b',
      'headers-remove: invalid header name:Bad Name',
    ]);
  });

  it('checks names as RFC 9110 tokens and values as visible ASCII', () => {
    assert.ok(isValidHeaderName("x-a_b.c~!#$%&'*+^`|"));
    for (const bad of ['', 'a b', 'a:b', 'é', 'a\n']) assert.ok(!isValidHeaderName(bad), bad);
    assert.ok(isVisibleAscii(' a\tb~'));
    for (const bad of ['\u007f', '\u0000', 'é', '\r']) assert.ok(!isVisibleAscii(bad));
  });
});

describe('removeHopByHop', () => {
  it('drops Connection, the fields it lists, Keep-Alive, Proxy-*, TE, Trailer, Transfer-Encoding, Upgrade', () => {
    const h = HeaderList.fromRaw([
      'Connection', 'keep-alive, X-Custom-Hop',
      'Connection', 'x-second',
      'X-Custom-Hop', '1', 'X-Second', '2', 'Keep-Alive', 't', 'Proxy-Authorization', 'p', 'Proxy-Connection', 'c',
      'TE', 'trailers', 'Trailer', 'x', 'Transfer-Encoding', 'chunked', 'Upgrade', 'h2c', 'X-Kept', 'k',
    ]);
    removeHopByHop(h);
    assert.deepEqual(h.pairs, [['x-kept', 'k']]);
  });

  it('with only hop-by-hop names listed (Connection: keep-alive), keeps every other field in order', () => {
    const h = HeaderList.fromRaw(['Content-Type', 'a/b', 'Connection', ' Keep-Alive ', 'Keep-Alive', 'timeout=5', 'Content-Length', '3', 'Date', 'd']);
    removeHopByHop(h);
    assert.deepEqual(h.pairs, [['content-type', 'a/b'], ['content-length', '3'], ['date', 'd']]);
    const untouched = HeaderList.fromRaw(['A', '1', 'B', '2']);
    removeHopByHop(untouched);
    assert.deepEqual(untouched.pairs, [['a', '1'], ['b', '2']]);
  });
});
