// LEB128 encoding (minimal, with negatives) and the length-prefixed regions sections and bodies use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteReader } from '../../../../src/runtime/instrument/byte-reader.js';
import { ByteWriter } from '../../../../src/runtime/instrument/byte-writer.js';

function encode(write: (w: ByteWriter) => void): number[] {
  const w = new ByteWriter(1);
  write(w);
  return [...w.toBytes()];
}

test('u32, s32, s33 and s64 are written in their minimal encodings', () => {
  assert.deepEqual(encode((w) => w.u32(624485)), [0xe5, 0x8e, 0x26]);
  assert.deepEqual(encode((w) => w.u32(0xffffffff)), [0xff, 0xff, 0xff, 0xff, 0x0f]);
  assert.deepEqual(encode((w) => w.s32(-123456)), [0xc0, 0xbb, 0x78]);
  assert.deepEqual(encode((w) => w.s32(64)), [0xc0, 0x00]);
  assert.deepEqual(encode((w) => w.s32(-65)), [0xbf, 0x7f]);
  assert.deepEqual(encode((w) => w.s32(-2147483648)), [0x80, 0x80, 0x80, 0x80, 0x78]);
  assert.deepEqual(encode((w) => w.s33(0xffffffff)), [0xff, 0xff, 0xff, 0xff, 0x0f]);
  assert.deepEqual(encode((w) => w.s64(-1n)), [0x7f]);
  assert.deepEqual(encode((w) => w.s64(-(2n ** 63n))), [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f]);
});

test('random values survive a write and a read', () => {
  let seed = 12345;
  const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (let i = 0; i < 2000; i++) {
    const u = next() >>> (next() % 32);
    const s = (next() | 0) >> (next() % 32);
    const big = (BigInt(next()) << 32n) | BigInt(next());
    const s64 = BigInt.asIntN(64, big >> BigInt(next() % 64));
    const w = new ByteWriter(4);
    w.u32(u);
    w.s32(s);
    w.s33(u);
    w.s64(s64);
    const r = new ByteReader(w.toBytes());
    assert.deepEqual([r.u32(), r.s32(), r.s33(), r.s64()], [u, s, u, s64]);
    assert.ok(r.atEnd());
  }
});

test('a sized region gets the minimal length prefix whatever its size', () => {
  for (const size of [0, 1, 127, 128, 16383, 16384, 2_097_152]) {
    const w = new ByteWriter(2);
    w.byte(0xaa);
    const mark = w.beginSized();
    for (let i = 0; i < size; i++) w.byte(i & 0xff);
    w.endSized(mark);
    w.byte(0xbb);
    const bytes = w.toBytes();
    const r = new ByteReader(bytes);
    assert.equal(r.u8(), 0xaa);
    assert.equal(r.u32(), size);
    if (size > 0) assert.equal(bytes[r.pos + size - 1], (size - 1) & 0xff);
    r.skip(size);
    assert.equal(r.u8(), 0xbb);
    assert.ok(r.atEnd());
  }
});
