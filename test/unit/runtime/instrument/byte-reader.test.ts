// LEB128 decoding with the spec's (and V8's) length limits, and bounds checks that turn garbage
// into WG_ERR_MODULE_INVALID instead of a hang or a huge allocation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WasmgateError } from '../../../../src/errors.js';
import { ByteReader } from '../../../../src/runtime/instrument/byte-reader.js';

const reader = (...bytes: number[]): ByteReader => new ByteReader(Uint8Array.from(bytes));
const invalid = (err: unknown): boolean => WasmgateError.is(err, 'WG_ERR_MODULE_INVALID');

test('u32 reads minimal and padded encodings up to 5 bytes', () => {
  assert.equal(reader(0x00).u32(), 0);
  assert.equal(reader(0x7f).u32(), 127);
  assert.equal(reader(0x80, 0x01).u32(), 128);
  assert.equal(reader(0xe5, 0x8e, 0x26).u32(), 624485);
  assert.equal(reader(0xff, 0xff, 0xff, 0xff, 0x0f).u32(), 0xffffffff);
  assert.equal(reader(0x80, 0x80, 0x80, 0x80, 0x00).u32(), 0);
});

test('u32 rejects a sixth byte, bits past 32 and a truncated integer', () => {
  assert.throws(() => reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).u32(), invalid);
  assert.throws(() => reader(0xff, 0xff, 0xff, 0xff, 0x1f).u32(), invalid);
  assert.throws(() => reader(0x80, 0x80).u32(), invalid);
});

test('s32 reads negatives and both ends of the range', () => {
  assert.equal(reader(0x7f).s32(), -1);
  assert.equal(reader(0x3f).s32(), 63);
  assert.equal(reader(0xc0, 0x00).s32(), 64);
  assert.equal(reader(0x40).s32(), -64);
  assert.equal(reader(0xbf, 0x7f).s32(), -65);
  assert.equal(reader(0xc0, 0xbb, 0x78).s32(), -123456);
  assert.equal(reader(0x80, 0x80, 0x80, 0x80, 0x78).s32(), -2147483648);
  assert.equal(reader(0xff, 0xff, 0xff, 0xff, 0x07).s32(), 2147483647);
});

test('s32 rejects values outside 32 bits', () => {
  assert.throws(() => reader(0xff, 0xff, 0xff, 0xff, 0x0f).s32(), invalid);
  assert.throws(() => reader(0x80, 0x80, 0x80, 0x80, 0x70).s32(), invalid);
});

test('s33 covers block type indices up to 2^32 - 1 and the negative value types', () => {
  assert.equal(reader(0x40).s33(), -64);
  assert.equal(reader(0x7f).s33(), -1);
  assert.equal(reader(0xff, 0xff, 0xff, 0xff, 0x0f).s33(), 0xffffffff);
  assert.throws(() => reader(0xff, 0xff, 0xff, 0xff, 0x1f).s33(), invalid);
});

test('s64 reads up to 10 bytes, including the extremes', () => {
  assert.equal(reader(0x7f).s64(), -1n);
  assert.equal(reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f).s64(), -(2n ** 63n));
  assert.equal(reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00).s64(), 2n ** 63n - 1n);
  assert.throws(() => reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00).s64(), invalid);
});

test('skipLeb stops at the end of the integer and refuses overlong ones', () => {
  const r = reader(0x80, 0x80, 0x01, 0x05);
  r.skipLeb(5);
  assert.equal(r.pos, 3);
  assert.throws(() => reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x01).skipLeb(5), invalid);
  assert.throws(() => reader(0x80).skipLeb(5), invalid);
});

test('reads never pass the end of the region', () => {
  const r = new ByteReader(Uint8Array.of(1, 2, 3, 4), 0, 2);
  assert.equal(r.u8(), 1);
  assert.equal(r.u8(), 2);
  assert.throws(() => r.u8(), invalid);
  assert.throws(() => new ByteReader(Uint8Array.of(5, 1, 2)).name(), invalid);
  assert.throws(() => new ByteReader(Uint8Array.of(1), 0, 1).skip(2), invalid);
});

test('a vector count the remaining bytes cannot hold is refused before anything is allocated', () => {
  assert.throws(() => reader(0xff, 0xff, 0xff, 0xff, 0x0f, 0x00).count(1), invalid);
  assert.equal(reader(0x02, 0x00, 0x00).count(1), 2);
  assert.throws(() => reader(0x02, 0x00, 0x00).count(2), invalid);
});
