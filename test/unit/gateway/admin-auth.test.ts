// Admin access rules without sockets: loopback detection, constant-time Bearer check, verdicts.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { bearerMatches, checkAdminAccess, isLoopbackAddress } from '../../../src/gateway/admin-auth.js';

const req = (remoteAddress: string, authorization?: string) =>
  ({ socket: { remoteAddress }, headers: authorization === undefined ? {} : { authorization } }) as unknown as IncomingMessage;

describe('admin auth', () => {
  it('treats 127.0.0.0/8, ::1 and IPv4-mapped 127.x as loopback, nothing else', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']) assert.ok(isLoopbackAddress(a), a);
    for (const a of ['192.0.2.2', '10.0.0.1', '::ffff:10.0.0.1', 'fe80::1', '128.0.0.1', '', undefined, '1127.0.0.1']) assert.ok(!isLoopbackAddress(a), String(a));
  });

  it('matches only "Bearer <key>" (scheme in any case)', () => {
    assert.ok(bearerMatches('Bearer k', 'k'));
    assert.ok(bearerMatches('bearer k', 'k'));
    for (const h of [undefined, '', 'k', 'Bearer', 'Bearer ', 'Bearer kk', 'Basic k', 'Bearer K']) assert.ok(!bearerMatches(h, 'k'), String(h));
  });

  it('with a key: allowed or unauthorized, whatever the address; without: loopback or forbidden', () => {
    assert.equal(checkAdminAccess(req('192.0.2.9', 'Bearer key'), 'key'), 'allowed');
    assert.equal(checkAdminAccess(req('127.0.0.1'), 'key'), 'unauthorized');
    assert.equal(checkAdminAccess(req('127.0.0.1'), undefined), 'allowed');
    assert.equal(checkAdminAccess(req('192.0.2.9', 'Bearer key'), undefined), 'forbidden');
  });
});
