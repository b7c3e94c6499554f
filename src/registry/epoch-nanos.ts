// Wall-clock nanoseconds since the Unix epoch (SMG stores timestamps this way): the monotonic
// performance.now() clock anchored once to Date.now(), so successive stamps never go backwards.
// One clock for everything: a stamp kept as a plain number (monotonicMs, cheap enough for every
// guest call) converts to the same scale as epochNanos().
performance.now(); // the first read initialises the clock (~1 ms here): not part of the anchor
const anchorNs = BigInt(Date.now()) * 1_000_000n - BigInt(Math.round(performance.now() * 1e6));

export function monotonicMs(): number {
  return performance.now();
}

/** epochNanos() as it was when monotonicMs() returned `ms`. */
export function epochNanosAt(ms: number): bigint {
  return anchorNs + BigInt(Math.round(ms * 1e6));
}

export function epochNanos(): bigint {
  return epochNanosAt(performance.now());
}
