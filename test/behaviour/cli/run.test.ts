// `wasmgate run` as a module author uses it: real binary, real guests, exit codes and messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guestPath } from '../../helpers/guests.js';
import { runCli } from '../../helpers/run-cli.js';

const security = () => guestPath('examples', 'sentinel-security');

test('--help lists the run command', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /run \[options\]/);
});

test('runs a request from a file and prints the normalised result', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wg-run-'));
  const input = join(dir, 'req.json');
  writeFileSync(input, JSON.stringify({ method: 'GET', uri: '/admin/users', headers: { 'x-debug': '1' } }));
  const r = await runCli(['run', '--module', security(), '--event', 'request_headers', '--input', input]);
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.equal(result.decision, 'block');
  assert.equal(result.status, 403);
  assert.equal(result.body, 'Forbidden');
});

test('reads the input from stdin with --input -, and fills defaults for missing fields', async () => {
  const r = await runCli(['run', '--module', guestPath('test-core', 'echo'), '--event', 'request_headers', '--input', '-'], {
    input: '{"uri":"/x","headers":{"a":["1","2"]}}',
  });
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout);
  assert.deepEqual(result.tags, ['GET', '/x', '127.0.0.1', 'wasmgate-run']);
  assert.equal(result.add_request_headers['x-echo-a'], '1, 2');
});

test('--repeat runs on one instance, so guest state carries over', async () => {
  const r = await runCli(['run', '--module', guestPath('test-core', 'counter'), '--event', 'request_headers', '--repeat', '3']);
  assert.equal(r.code, 0, r.stderr);
  const tags = r.stdout.trim().split('\n').map((l) => JSON.parse(l).tags[0]);
  assert.deepEqual(tags, ['count-1', 'count-2', 'count-3']);
});

test('--json prints results, limits and metrics in one report', async () => {
  const r = await runCli(['run', '--module', security(), '--event', 'response_headers', '--json', '--max-execution-time-ms', '250']);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.limits.maxExecutionTimeMs, 250);
  assert.equal(report.metrics.executions, 1);
  assert.deepEqual(report.results[0].add_response_headers, { 'X-Frame-Options': 'DENY' });
});

test('a runaway guest exits 1 with the timeout code on stderr', async () => {
  const r = await runCli(['run', '--module', guestPath('hostile', 'infinite-loop'), '--event', 'request_headers', '--max-execution-time-ms', '50']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /WG_ERR_GUEST_TIMEOUT/);
  assert.equal(r.stdout, '');
});

test('a non-wasm module exits 2 with an actionable message', async () => {
  const r = await runCli(['run', '--module', guestPath('hostile', 'not-wasm'), '--event', 'request_headers']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /WG_ERR_MODULE_INVALID: .*not WebAssembly/);
});

test('an out-of-range limit exits 2 naming the field and range', async () => {
  const r = await runCli(['run', '--module', security(), '--event', 'request_headers', '--max-memory-pages', '70000']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /max_memory_pages cannot exceed 65536/);
});

test('an unknown event and a missing --module exit 2', async () => {
  assert.equal((await runCli(['run', '--module', security(), '--event', 'body'])).code, 2);
  assert.equal((await runCli(['run', '--event', 'request_headers'])).code, 2);
});

test('invalid input JSON exits 2 naming the problem', async () => {
  const r = await runCli(['run', '--module', security(), '--event', 'request_headers', '--input', '-'], { input: '{"method": 5}' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--input: method/);
});

const cacheEnv = () => ({ WASMGATE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'wg-cache-')) });

test('--abi smg runs a component on-request from stdin and prints the action', async () => {
  const r = await runCli(['run', '--abi', 'smg', '--module', guestPath('components', 'reject-401'), '--event', 'on-request', '--input', '-'], {
    input: '{"method":"GET","path":"/api/x"}',
    env: cacheEnv(),
  });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { action: 'reject', status: 401 });
  assert.match(r.stderr, /component\.transpiled/, 'a cold transpile says what it did and how long it took');
});

test('--abi smg --repeat keeps component state on one instance', async () => {
  const r = await runCli(['run', '--abi', 'smg', '--module', guestPath('components', 'counter'), '--event', 'on-request', '--repeat', '3'], { env: cacheEnv() });
  assert.equal(r.code, 0, r.stderr);
  const counts = r.stdout.trim().split('\n').map((l) => JSON.parse(l).headers_add[0].value);
  assert.deepEqual(counts, ['1', '2', '3']);
});

test('--abi smg stops a looping component at the deadline and exits 1', async () => {
  const r = await runCli(['run', '--abi', 'smg', '--module', guestPath('components', 'infinite-loop'), '--event', 'on-request', '--max-execution-time-ms', '100'], {
    env: cacheEnv(),
  });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /WG_ERR_GUEST_TIMEOUT/);
});

test('--abi smg refuses a core module with the kind-mismatch code', async () => {
  const r = await runCli(['run', '--abi', 'smg', '--module', guestPath('test-core', 'allow'), '--event', 'on-request'], { env: cacheEnv() });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /WG_ERR_MODULE_KIND_MISMATCH/);
});

test('--abi storage runs before() with context and after() with extra columns', async () => {
  const env = cacheEnv();
  const module = guestPath('components', 'storage-tenant');
  const before = await runCli(['run', '--abi', 'storage', '--module', module, '--event', 'before', '--op', 'store-response', '--context', 'tenant_id=acme-corp', '--context', 'user_id=user_42'], { env });
  assert.equal(before.code, 0, before.stderr);
  assert.deepEqual(JSON.parse(before.stdout), {
    result: 'do-continue',
    columns: [
      { name: 'TENANT_ID', value: 'acme-corp' },
      { name: 'STORED_BY', value: 'user_42' },
    ],
  });
  const reject = await runCli(['run', '--abi', 'storage', '--module', module, '--event', 'before', '--op', 'store-response'], { env });
  assert.equal(JSON.parse(reject.stdout).result, 'reject');
  assert.match(JSON.parse(reject.stdout).reason, /tenant_id/);
  const after = await runCli(['run', '--abi', 'storage', '--module', module, '--event', 'after', '--op', 'create-item', '--extra', 'TENANT_ID=t1'], { env });
  assert.deepEqual(JSON.parse(after.stdout), { columns: [{ name: 'TENANT_ID', value: 't1' }] });
});

test('--abi storage rejects an unknown operation listing the valid ones', async () => {
  const r = await runCli(['run', '--abi', 'storage', '--module', guestPath('components', 'storage-tenant'), '--event', 'before', '--op', 'drop-table'], { env: cacheEnv() });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--op must be one of create-conversation/);
});
