// CanonicalMemory against a plain WebAssembly.Memory and a JS stand-in for cabi_realloc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CanonicalMemory, type Realloc } from '../../../../../src/abi/smg-component/canonical/canonical-memory.js';
import { GuestFault } from '../../../../../src/runtime/guest-fault.js';

const badOutput = (err: unknown) => err instanceof GuestFault && err.kind === 'bad-output';

function bump(memory: WebAssembly.Memory, start = 1024): Realloc {
  let next = start;
  return (_old, _oldSize, align, size) => {
    const ptr = Math.ceil(next / align) * align;
    next = ptr + size;
    while (next > memory.buffer.byteLength) memory.grow(1);
    return ptr;
  };
}

test('strings written are read back unchanged, ASCII and not', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const mem = new CanonicalMemory(memory, bump(memory));
  mem.begin();
  for (const s of ['', 'plain', 'ünïcödé', '😀'.repeat(40), 'x'.repeat(5000)]) {
    const ptr = mem.writeString(s);
    assert.equal(mem.readString(ptr, mem.lastLength, 's'), s);
  }
});

test('views follow memory growth during lowering', () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 100 });
  const mem = new CanonicalMemory(memory, bump(memory));
  mem.begin();
  const big = new Uint8Array(300_000).fill(7);
  const ptr = mem.writeBytes(big);
  assert.ok(memory.buffer.byteLength > 65536);
  assert.deepEqual(mem.readBytes(ptr, big.length, big.length, 'b'), big);
});

test('a realloc result outside memory or misaligned is bad output', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  assert.throws(() => new CanonicalMemory(memory, () => 65530).alloc(16, 4), badOutput);
  assert.throws(() => new CanonicalMemory(memory, () => 1026).alloc(16, 4), badOutput);
  assert.throws(() => new CanonicalMemory(memory, () => -8).alloc(4, 4), badOutput);
});

test('lowering without a cabi_realloc export is bad output, but empty values need none', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const mem = new CanonicalMemory(memory, undefined);
  assert.equal(mem.writeString(''), 1);
  assert.throws(() => mem.writeString('x'), badOutput);
});

test('reads are bounds-checked, UTF-8-checked and length-limited', () => {
  const memory = new WebAssembly.Memory({ initial: 1 });
  const mem = new CanonicalMemory(memory, bump(memory));
  mem.begin();
  new Uint8Array(memory.buffer).set([0xc3, 0x28], 100);
  assert.throws(() => mem.readString(100, 2, 's'), badOutput);
  assert.throws(() => mem.readString(65535, 2, 's'), badOutput);
  assert.throws(() => mem.readBytes(0, 11, 10, 'b'), badOutput);
  assert.throws(() => mem.readPairs(2, 1, 'pairs', (a, b) => [a, b]), badOutput);
  assert.throws(() => mem.readStrings(0, 1_000_000, 'list'), badOutput);
  assert.throws(() => mem.discriminant(0, 0, 'd'), badOutput);
});
