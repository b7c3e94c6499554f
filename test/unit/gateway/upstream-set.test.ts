// Round-robin with passive health: a worker that failed to connect is skipped for a cool-down.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { UpstreamSet } from '../../../src/gateway/upstream-set.js';

describe('UpstreamSet', () => {
  let now = 1000;
  const set = new UpstreamSet({ urls: ['http://a:1', 'http://b:2', 'http://c:3'], cooldownMs: 100, connectTimeoutMs: 1000, now: () => now });
  const [a, b, c] = set.upstreams;
  after(() => set.close());

  it('picks in round-robin order', () => {
    assert.deepEqual([set.pick(), set.pick(), set.pick(), set.pick()], [a, b, c, a]);
  });

  it('skips a worker while it cools down, then takes it back', () => {
    set.markDown(c!);
    assert.deepEqual([set.pick(), set.pick(), set.pick()], [b, a, b]);
    assert.equal(set.healthyCount(), 2);
    now += 100;
    assert.equal(set.healthyCount(), 3);
    assert.deepEqual([set.pick(), set.pick()], [c, a]);
  });

  it('skips tried workers, and falls back to the one whose cool-down ends first when all are down', () => {
    assert.equal(set.pick(new Set([b!, c!])), a);
    set.markDown(a!);
    now += 10;
    set.markDown(b!);
    now += 10;
    set.markDown(c!);
    assert.equal(set.pick(), a);
    assert.equal(set.pick(new Set([a!, b!, c!])), undefined);
    set.markUp(b!);
    assert.equal(set.pick(new Set([a!])), b);
  });
});
