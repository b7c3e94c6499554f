// wasi:clocks and wasi:random: real clocks and real randomness, as the upstream host gives them.
// Randomness comes from @bytecodealliance/preview2-shim's Node implementation (node:crypto only, no
// worker, no process access); the sizes a guest asks for are capped first.
import * as shimRandom from '@bytecodealliance/preview2-shim/random';
import { GuestFault } from '../../../runtime/index.js';
import { MAX_GUEST_RANDOM_BYTES } from '../output-limits.js';
import { Pollable } from './io.js';

// The shim's .d.ts re-exports these as types only; the module does export the values.
interface ShimRandom {
  random: { getRandomBytes(len: bigint): Uint8Array; getRandomU64(): bigint };
  insecure: { getInsecureRandomBytes(len: bigint): Uint8Array; getInsecureRandomU64(): bigint };
  insecureSeed: { insecureSeed(): [bigint, bigint] };
}
const { random, insecure, insecureSeed } = shimRandom as unknown as ShimRandom;

function checkedLength(len: bigint | number): bigint {
  const n = BigInt(len);
  if (n > BigInt(MAX_GUEST_RANDOM_BYTES)) {
    throw new GuestFault('trap', `guest asked wasi:random for ${n} bytes (limit ${MAX_GUEST_RANDOM_BYTES})`);
  }
  return n;
}

const monotonicClock = {
  now: (): bigint => process.hrtime.bigint(),
  resolution: (): bigint => 1n,
  subscribeInstant: (when: bigint): Pollable => new Pollable(BigInt(when)),
  subscribeDuration: (duration: bigint): Pollable => new Pollable(process.hrtime.bigint() + BigInt(duration)),
};

const wallClock = {
  now(): { seconds: bigint; nanoseconds: number } {
    const ms = Date.now();
    return { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: (ms % 1000) * 1_000_000 };
  },
  resolution: (): { seconds: bigint; nanoseconds: number } => ({ seconds: 0n, nanoseconds: 1_000_000 }),
};

export function clocksRandomInterfaces(): Record<string, object> {
  return {
    'wasi:clocks/monotonic-clock': monotonicClock,
    'wasi:clocks/wall-clock': wallClock,
    'wasi:random/random': {
      getRandomBytes: (len: bigint) => random.getRandomBytes(checkedLength(len)),
      getRandomU64: () => random.getRandomU64(),
    },
    'wasi:random/insecure': {
      getInsecureRandomBytes: (len: bigint) => insecure.getInsecureRandomBytes(checkedLength(len)),
      getInsecureRandomU64: () => insecure.getInsecureRandomU64(),
    },
    'wasi:random/insecure-seed': { insecureSeed: () => insecureSeed.insecureSeed() },
  };
}
