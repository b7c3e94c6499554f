// Wall-clock nanoseconds since the Unix epoch (SMG stores timestamps this way): a monotonic
// high-resolution clock anchored once to Date.now(), so successive stamps never go backwards.
const anchorNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

export function epochNanos(): bigint {
  return anchorNs + process.hrtime.bigint();
}
