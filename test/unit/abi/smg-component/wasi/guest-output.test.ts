import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GuestOutput } from '../../../../../src/abi/smg-component/wasi/guest-output.js';
import { MAX_GUEST_LINE_BYTES, MAX_GUEST_OUTPUT_BYTES_PER_CALL } from '../../../../../src/abi/smg-component/output-limits.js';
import { collectingLog } from '../component-guests.js';

const enc = (s: string) => new TextEncoder().encode(s);

test('complete lines are logged as they arrive, split across writes or not', () => {
  const { log, entries } = collectingLog();
  const out = new GuestOutput('m', log);
  out.write('stdout', enc('one\ntw'));
  out.write('stdout', enc('o\nthree'));
  assert.deepEqual(entries.map((e) => e.fields.line), ['one', 'two']);
  out.endCall();
  assert.deepEqual(entries.map((e) => [e.event, e.fields.line]), [
    ['guest.stdout', 'one'],
    ['guest.stdout', 'two'],
    ['guest.stdout', 'three'],
  ]);
});

test('stdout and stderr are buffered separately', () => {
  const { log, entries } = collectingLog();
  const out = new GuestOutput('m', log);
  out.write('stdout', enc('a'));
  out.write('stderr', enc('b\n'));
  out.write('stdout', enc('c\n'));
  assert.deepEqual(entries.map((e) => [e.event, e.fields.line]), [
    ['guest.stderr', 'b'],
    ['guest.stdout', 'ac'],
  ]);
});

test('a line longer than the line limit is split, never buffered whole', () => {
  const { log, entries } = collectingLog();
  const out = new GuestOutput('m', log);
  out.write('stdout', new Uint8Array(MAX_GUEST_LINE_BYTES * 2 + 10).fill(0x61));
  assert.equal(entries.length, 2);
  assert.ok(entries.every((e) => e.fields.split === true && String(e.fields.line).length === MAX_GUEST_LINE_BYTES));
  out.endCall();
  assert.equal(String(entries[2]?.fields.line).length, 10);
});

test('output past the per-call budget is counted, dropped and noted once; the next call starts afresh', () => {
  const { log, events } = collectingLog();
  const out = new GuestOutput('m', log);
  const chunk = enc(`${'x'.repeat(1023)}\n`);
  for (let i = 0; i < 200; i++) out.write('stderr', chunk);
  out.endCall();
  assert.equal(events('guest.stderr').length, MAX_GUEST_OUTPUT_BYTES_PER_CALL / 1024);
  assert.deepEqual(events('guest.output-truncated').map((e) => e.fields), [
    { module: 'm', stream: 'stderr', droppedBytes: 200 * 1024 - MAX_GUEST_OUTPUT_BYTES_PER_CALL, limitBytes: MAX_GUEST_OUTPUT_BYTES_PER_CALL },
  ]);
  out.write('stderr', enc('again\n'));
  assert.equal(events('guest.stderr').at(-1)?.fields.line, 'again');
});

test('invalid UTF-8 from a guest is logged with replacement characters', () => {
  const { log, entries } = collectingLog();
  new GuestOutput('m', log).write('stdout', new Uint8Array([0x61, 0xff, 0x0a]));
  assert.equal(entries[0]?.fields.line, 'a\ufffd');
});
