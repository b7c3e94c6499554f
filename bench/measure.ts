// Shared timing and table printing for benches: side-by-side variants measured in one run.

export interface Measurement {
  id: string;
  /** Median nanoseconds per operation over the rounds. */
  nsPerOp: number;
  opsPerSec: number;
}

/** Times `op` (sync or async) in rounds after a warm-up; returns the median round. */
export async function measure(id: string, op: () => unknown, { iterations = 20000, rounds = 7, warmup = 2000 } = {}): Promise<Measurement> {
  for (let i = 0; i < warmup; i++) await op();
  const perRound: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await op();
    perRound.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  perRound.sort((a, b) => a - b);
  const nsPerOp = perRound[Math.floor(rounds / 2)]!;
  return { id, nsPerOp, opsPerSec: 1e9 / nsPerOp };
}

/** Same as measure, for a synchronous op (no await per iteration). */
export function measureSync(id: string, op: () => unknown, { iterations = 200000, rounds = 7, warmup = 20000 } = {}): Measurement {
  for (let i = 0; i < warmup; i++) op();
  const perRound: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) op();
    perRound.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  perRound.sort((a, b) => a - b);
  const nsPerOp = perRound[Math.floor(rounds / 2)]!;
  return { id, nsPerOp, opsPerSec: 1e9 / nsPerOp };
}

/**
 * Two synchronous ops measured in alternating rounds (A, B, A, B, ...), so drift on a shared
 * machine hits both alike: each as the median of its rounds, and `ratio` the median of the
 * per-round ratios B ÷ A.
 */
export function measurePairedSync(
  a: { id: string; op: () => unknown },
  b: { id: string; op: () => unknown },
  { iterations = 20, rounds = 15, warmup = 5 } = {},
): { a: Measurement; b: Measurement; ratio: number } {
  for (let i = 0; i < warmup; i++) {
    a.op();
    b.op();
  }
  const round = (op: () => unknown): number => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) op();
    return Number(process.hrtime.bigint() - start) / iterations;
  };
  const timesA: number[] = [];
  const timesB: number[] = [];
  for (let r = 0; r < rounds; r++) {
    timesA.push(round(a.op));
    timesB.push(round(b.op));
  }
  const median = (values: number[]): number => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  const nsA = median(timesA);
  const nsB = median(timesB);
  return {
    a: { id: a.id, nsPerOp: nsA, opsPerSec: 1e9 / nsA },
    b: { id: b.id, nsPerOp: nsB, opsPerSec: 1e9 / nsB },
    ratio: median(timesB.map((t, i) => t / timesA[i]!)),
  };
}

/**
 * `items` in the order they run in round `round`: rotated by one place per round, so that none
 * always runs first (right after whatever ran before it changed the machine's state).
 */
export function inRound<T>(items: readonly T[], round: number): T[] {
  return items.map((_, i) => items[(i + round) % items.length]!);
}

export function formatTime(ns: number): string {
  if (ns < 1000) return `${ns.toFixed(1)} ns`;
  if (ns < 1e6) return `${(ns / 1000).toFixed(2)} µs`;
  return `${(ns / 1e6).toFixed(2)} ms`;
}

export function printTable(title: string, rows: Measurement[]): void {
  console.log(`\n## ${title}`);
  console.log('| variant | time/op | ops/s |');
  console.log('|---|---:|---:|');
  for (const r of rows) console.log(`| ${r.id} | ${formatTime(r.nsPerOp)} | ${Math.round(r.opsPerSec).toLocaleString('en-US')} |`);
}

export function printRatios(rows: Array<[string, number]>): void {
  console.log('\n| ratio | value |');
  console.log('|---|---:|');
  for (const [label, value] of rows) console.log(`| ${label} | ${value.toFixed(value < 10 ? 3 : 1)} |`);
}
