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
