// Asserts a guest call is stopped at its deadline, judged fairly on a loaded machine.
import assert from 'node:assert/strict';
import { GuestFault } from '../../src/index.js';

const SLACK_MS = 50;
/** Bound on the wall clock when the OS did not schedule the process (CPU time proves the deadline held). */
const STARVED_SLACK_MS = 500;

/**
 * Times from before the call starts (an inline guest runs synchronously inside call()). The deadline
 * holds when the process gets the CPU: on a loaded machine the OS may not schedule it, so a late
 * wall clock is accepted only if the process's own CPU time stayed within the deadline + slack —
 * a mechanism that checked the clock too rarely fails both. The wall clock is still bounded.
 */
export async function expectTimeoutWithinDeadline(deadlineMs: number, call: () => Promise<unknown>): Promise<number> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await assert.rejects(call(), (err: unknown) => err instanceof GuestFault && err.kind === 'timeout' && err.code === 'WG_ERR_GUEST_TIMEOUT');
  const elapsed = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  assert.ok(elapsed >= deadlineMs - 1, `stopped too early, after ${elapsed.toFixed(1)} ms`);
  assert.ok(
    elapsed < deadlineMs + SLACK_MS || (cpuMs < deadlineMs + SLACK_MS && elapsed < deadlineMs + STARVED_SLACK_MS),
    `stopped after ${elapsed.toFixed(1)} ms wall, ${cpuMs.toFixed(1)} ms CPU; deadline ${deadlineMs} ms`,
  );
  return elapsed;
}
