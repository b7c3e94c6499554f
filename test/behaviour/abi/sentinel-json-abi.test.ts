// The Sentinel JSON ABI end to end with real guests built from source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SentinelJsonModule, GuestFault } from '../../../src/index.js';
import { guestPath, SMALL_REQUEST } from '../../helpers/guests.js';

async function withModule<T>(name: string, fn: (m: SentinelJsonModule) => Promise<T>, area = 'test-core'): Promise<T> {
  const module = await SentinelJsonModule.load(guestPath(area, name), { poolSize: 2 });
  try {
    return await fn(module);
  } finally {
    await module.close();
  }
}

test('the module sha256 and size are computed at load', async () => {
  await withModule('allow', async (m) => {
    assert.match(m.sha256, /^[0-9a-f]{64}$/);
    assert.ok(m.size > 8);
    assert.deepEqual([...m.events].sort(), ['request_headers', 'response_headers'].filter((e) => m.events.has(e as never)));
  });
});

test('a trivial guest allows', async () => {
  await withModule('allow', async (m) => {
    assert.deepEqual(await m.onRequestHeaders(SMALL_REQUEST), { decision: 'allow' });
  });
});

test('the host writes exactly the request object the ABI defines', async () => {
  await withModule('echo', async (m) => {
    const r = await m.onRequestHeaders({
      method: 'POST',
      uri: '/p?q="x"&é=1',
      client_ip: '::1',
      correlation_id: 'c-1',
      headers: { 'x-multi': 'a, b', 'x-utf8': 'héllo 🌍' },
    });
    assert.deepEqual(r.tags, ['POST', '/p?q="x"&é=1', '::1', 'c-1']);
    assert.equal(r.add_request_headers?.['x-echo-x-multi'], 'a, b');
    assert.equal(r.add_request_headers?.['x-echo-x-utf8'], 'héllo 🌍');
  });
});

test('calls that wait for an instance each reach the guest with their own input', async () => {
  const module = await SentinelJsonModule.load(guestPath('test-core', 'echo'), { poolSize: 1 });
  try {
    // The trap discards the only instance; the calls that follow wait for its replacement, each
    // encoded while the others wait.
    await assert.rejects(module.onRequestHeaders({ ...SMALL_REQUEST, uri: '/trap' }), GuestFault);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => module.onRequestHeaders({ ...SMALL_REQUEST, uri: `/call-${i}` })));
    assert.deepEqual(
      results.map((r) => r.tags?.[1]),
      Array.from({ length: 8 }, (_, i) => `/call-${i}`),
    );
  } finally {
    await module.close();
  }
});

test('guest state persists between calls on a pooled instance', async () => {
  await withModule('counter', async (m) => {
    const tags = [];
    for (let i = 0; i < 5; i++) tags.push((await m.onRequestHeaders(SMALL_REQUEST)).tags?.[0]);
    assert.deepEqual(tags, ['count-1', 'count-2', 'count-3', 'count-4', 'count-5']);
  });
});

const req = (uri: string) => ({ ...SMALL_REQUEST, uri });

test('decisions: block with status, deny defaults to 403, redirect defaults to 302 with the URL', async () => {
  await withModule('decisions', async (m) => {
    assert.deepEqual(await m.onRequestHeaders(req('/block?status=401')), { decision: 'block', status: 401, body: 'blocked' });
    const deny = await m.onRequestHeaders(req('/deny'));
    assert.equal(deny.decision, 'deny');
    assert.equal(deny.status, 403);
    const redirect = await m.onRequestHeaders(req('/redirect'));
    assert.deepEqual({ decision: redirect.decision, status: redirect.status, body: redirect.body }, {
      decision: 'redirect',
      status: 302,
      body: 'https://example.com/login',
    });
  });
});

test('decisions: upper-case decision is accepted and normalised', async () => {
  await withModule('decisions', async (m) => {
    assert.equal((await m.onRequestHeaders(req('/Block-mixed-case'))).decision, 'block');
  });
});

test('decisions: a zero result (ptr 0 or len 0) means allow, as upstream', async () => {
  await withModule('decisions', async (m) => {
    assert.deepEqual(await m.onRequestHeaders(req('/zero')), { decision: 'allow' });
  });
});

test('decisions: unknown decision and wrong field types are typed bad-output errors', async () => {
  await withModule('decisions', async (m) => {
    for (const uri of ['/unknown', '/bad-types']) {
      await assert.rejects(m.onRequestHeaders(req(uri)), (err: unknown) => err instanceof GuestFault && err.kind === 'bad-output');
    }
    assert.equal((await m.onRequestHeaders(req('/'))).decision, 'allow', 'served again after the faults');
  });
});

test('a handler the module does not export means allow, without calling the guest', async () => {
  await withModule('response-only', async (m) => {
    assert.deepEqual(await m.onRequestHeaders(SMALL_REQUEST), { decision: 'allow' });
    assert.equal(m.metrics.executions, 0);
    await m.onResponseHeaders({ status: 200, correlation_id: 'c', headers: {} });
    assert.equal(m.metrics.executions, 1);
  });
});

test('an input over max_body_size is refused before reaching the guest', async () => {
  const module = await SentinelJsonModule.load(guestPath('test-core', 'allow'), { limits: { maxBodySize: 100 } });
  try {
    await assert.rejects(
      module.onRequestHeaders({ ...SMALL_REQUEST, headers: { big: 'x'.repeat(200) } }),
      (err: unknown) => err instanceof Error && (err as { code?: string }).code === 'WG_ERR_BODY_TOO_LARGE',
    );
  } finally {
    await module.close();
  }
});

test('metrics count executions, successes, failures by kind and times in microseconds', async () => {
  await withModule('decisions', async (m) => {
    await m.onRequestHeaders(req('/'));
    await m.onRequestHeaders(req('/block?status=403'));
    await assert.rejects(m.onRequestHeaders(req('/unknown')));
    const s = m.metrics;
    assert.equal(s.executions, 3);
    assert.equal(s.successes, 2);
    assert.equal(s.failures, 1);
    assert.equal(s.failuresByKind['bad-output'], 1);
    assert.ok(s.totalExecutionTimeUs >= 0 && s.maxExecutionTimeUs >= 0);
    assert.ok(s.averageExecutionTimeUs > 0);
  });
});

test('sentinel-security example: /admin is blocked 403 Forbidden, other requests get header changes and tags', async () => {
  await withModule(
    'sentinel-security',
    async (m) => {
      const blocked = await m.onRequestHeaders(req('/admin/users'));
      assert.equal(blocked.decision, 'block');
      assert.equal(blocked.status, 403);
      assert.equal(blocked.body, 'Forbidden');
      const allowed = await m.onRequestHeaders(req('/api/users'));
      assert.equal(allowed.decision, 'allow');
      assert.deepEqual(allowed.add_request_headers, { 'X-Processed': 'true' });
      assert.deepEqual(allowed.remove_request_headers, ['X-Debug']);
      assert.ok(allowed.tags && allowed.tags.length > 0);
      const response = await m.onResponseHeaders({ status: 200, correlation_id: 'c', headers: { server: 'nginx' } });
      assert.deepEqual(response.add_response_headers, { 'X-Frame-Options': 'DENY' });
      assert.ok(response.tags?.includes('status-200'));
    },
    'examples',
  );
});
