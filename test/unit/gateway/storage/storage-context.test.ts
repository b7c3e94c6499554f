// Context entries from request headers (reference §4.5).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstValueFromFlat, storageContext } from '../../../../src/gateway/storage/storage-context.js';

const MAP = { 'x-tenant-id': 'tenant_id', 'X-User-Id': 'user_id' };

describe('storageContext', () => {
  it('maps headers case-insensitively to their keys, in mapping order', () => {
    const ctx = storageContext(MAP, firstValueFromFlat(['X-USER-ID', 'u1', 'x-Tenant-Id', 'acme']));
    assert.deepEqual(ctx, [
      { key: 'tenant_id', value: 'acme' },
      { key: 'user_id', value: 'u1' },
    ]);
  });
  it('uses the first value only, even when it is unusable', () => {
    assert.deepEqual(storageContext(MAP, firstValueFromFlat(['x-tenant-id', 'first', 'x-tenant-id', 'second'])), [{ key: 'tenant_id', value: 'first' }]);
    assert.deepEqual(storageContext(MAP, firstValueFromFlat(['x-tenant-id', 'caf\u00e9', 'x-tenant-id', 'second'])), []);
  });
  it('trims spaces and tabs, skips empty values and values outside visible ASCII', () => {
    assert.deepEqual(storageContext(MAP, firstValueFromFlat(['x-tenant-id', ' \tacme corp \t'])), [{ key: 'tenant_id', value: 'acme corp' }]);
    assert.deepEqual(storageContext(MAP, firstValueFromFlat(['x-tenant-id', '   ', 'x-user-id', ''])), []);
    assert.deepEqual(storageContext(MAP, firstValueFromFlat(['x-tenant-id', 'a\u0001b'])), []);
  });
  it('is empty without a mapping or without the headers', () => {
    assert.deepEqual(storageContext({}, firstValueFromFlat(['x-tenant-id', 'acme'])), []);
    assert.deepEqual(storageContext(MAP, firstValueFromFlat([])), []);
  });
});
