// Option parsers and shared option sets for commander commands.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { LIMIT_FIELD_NAMES, limitRange, type GuestLimits } from '../runtime/index.js';

/** Parses a whole number, or tells commander the flag is wrong. */
export function parseWholeNumber(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  return Number(value);
}

/** Parses true/false/1/0 (any case), as the upstream agents' env vars accept. */
export function parseBoolean(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new InvalidArgumentError(`expected true, false, 1 or 0, got "${value}"`);
}

const LIMIT_FLAGS: ReadonlyArray<readonly [keyof GuestLimits, string, string]> = [
  ['maxMemoryPages', '--max-memory-pages <pages>', 'cap on guest linear memory, in 64 KiB pages'],
  ['maxExecutionTimeMs', '--max-execution-time-ms <ms>', 'deadline of one guest call'],
  ['maxStackSize', '--max-stack-size <bytes>', 'guest stack budget'],
  ['maxBodySize', '--max-body-size <bytes>', 'largest body or guest output exchanged'],
];

/** Adds the four limit flags (each also read from WASMGATE_<FIELD> env vars). */
export function addLimitOptions(command: Command): Command {
  for (const [key, flags, description] of LIMIT_FLAGS) {
    const env = `WASMGATE_${LIMIT_FIELD_NAMES[key].toUpperCase()}`;
    command.addOption(new Option(flags, `${description} (${limitRange(key)})`).env(env).argParser(parseWholeNumber));
  }
  return command;
}

/** Picks the limit overrides out of parsed commander options. */
export function limitOverrides(opts: Partial<Record<keyof GuestLimits, number>>): Partial<GuestLimits> {
  const out: Partial<Record<keyof GuestLimits, number>> = {};
  for (const [key] of LIMIT_FLAGS) if (opts[key] !== undefined) out[key] = opts[key];
  return out;
}

/** Where transpiled components are cached between runs: $WASMGATE_CACHE_DIR, else the XDG cache dir. */
export function defaultCacheDir(): string {
  if (process.env.WASMGATE_CACHE_DIR) return process.env.WASMGATE_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'wasmgate', 'components');
}
