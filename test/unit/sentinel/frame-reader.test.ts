import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameError, FrameReader, V1_MAX_FRAME_BYTES, V2_MAX_FRAME_BYTES } from '../../../src/sentinel/frame-reader.js';

function frame(body: Buffer | string): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  const h = Buffer.alloc(4);
  h.writeUInt32BE(b.length);
  return Buffer.concat([h, b]);
}

function drain(reader: FrameReader): string[] {
  const out: string[] = [];
  for (let f = reader.next(); f !== undefined; f = reader.next()) out.push(f.toString());
  return out;
}

describe('FrameReader', () => {
  it('splits several frames delivered in one chunk', () => {
    const r = new FrameReader(100);
    r.append(Buffer.concat([frame('one'), frame('two'), frame('three')]));
    assert.deepEqual(drain(r), ['one', 'two', 'three']);
    assert.equal(r.pendingBytes, 0);
  });

  it('reassembles a frame delivered one byte at a time', () => {
    const r = new FrameReader(100);
    const bytes = frame('{"hello":"world"}');
    const seen: string[] = [];
    for (const byte of bytes) {
      r.append(Buffer.from([byte]));
      seen.push(...drain(r));
    }
    assert.deepEqual(seen, ['{"hello":"world"}']);
  });

  it('reports partial bytes (header included) while a frame is incomplete', () => {
    const r = new FrameReader(100);
    r.append(frame('abcdef').subarray(0, 7));
    assert.deepEqual(drain(r), []);
    assert.equal(r.pendingBytes, 7);
  });

  it('allows a frame of exactly the limit and rejects one byte more as soon as the header arrives', () => {
    const ok = new FrameReader(V1_MAX_FRAME_BYTES);
    ok.append(frame(Buffer.alloc(V1_MAX_FRAME_BYTES, 0x20)));
    assert.equal(ok.next()?.length, V1_MAX_FRAME_BYTES);

    const tooBig = new FrameReader(V1_MAX_FRAME_BYTES);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(V1_MAX_FRAME_BYTES + 1);
    tooBig.append(header);
    assert.throws(() => tooBig.next(), (err: unknown) => err instanceof FrameError && err.reason === 'frame-too-large' && err.code === 'WG_ERR_SENTINEL_FRAME');
  });

  it('rejects a zero length', () => {
    const r = new FrameReader(V2_MAX_FRAME_BYTES);
    r.append(Buffer.alloc(4));
    assert.throws(() => r.next(), (err: unknown) => err instanceof FrameError && err.reason === 'frame-empty');
  });

  it('peeks without consuming, across chunk boundaries', () => {
    const r = new FrameReader(100);
    const bytes = frame('{x}');
    r.append(bytes.subarray(0, 2));
    assert.equal(r.peek(5), undefined);
    r.append(bytes.subarray(2));
    assert.deepEqual([...(r.peek(5) ?? [])], [0, 0, 0, 3, 0x7b]);
    assert.deepEqual(drain(r), ['{x}']);
  });
});
