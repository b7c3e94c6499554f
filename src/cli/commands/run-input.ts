// Options and input reading shared by the `wasmgate run` runners.
import { readFile } from 'node:fs/promises';
import { WasmgateError, describeError } from '../../errors.js';
import type { ComponentLog, GuestConfig } from '../../abi/index.js';
import type { GuestLimits } from '../../runtime/index.js';
import { defaultCacheDir, limitOverrides } from '../options.js';

export interface RunOptions {
  module: string;
  abi: 'sentinel' | 'smg' | 'storage';
  event: string;
  input?: string;
  poolSize: number;
  repeat: number;
  json?: boolean;
  config?: string;
  cacheDir?: string;
  op?: string;
  context?: string[];
  payload?: string;
  resultJson?: string;
  extra?: string[];
  maxMemoryPages?: number;
  maxExecutionTimeMs?: number;
  maxStackSize?: number;
  maxBodySize?: number;
}

/** Reads `--input` (a file, or "-" for stdin) as JSON; no input is an empty object. */
export async function readInput(path: string | undefined): Promise<unknown> {
  if (path === undefined) return {};
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (err) {
    throw new WasmgateError('WG_ERR_CONFIG_INVALID', `cannot read --input ${path}: ${describeError(err)}`);
  }
  return parseJsonFlag(text, `--input ${path}`);
}

export function parseJsonFlag(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new WasmgateError('WG_ERR_CONFIG_INVALID', `${what} is not JSON: ${describeError(err)}`);
  }
}

/** `--config '{"api_key":"k"}'`: the module's per-module config object. */
export function parseConfigFlag(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  const value = parseJsonFlag(text, '--config');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WasmgateError('WG_ERR_CONFIG_INVALID', '--config must be a JSON object');
  }
  return value as Record<string, unknown>;
}

/** How `wasmgate run` loads a component (either world): its flags, the transpile cache, events as JSON lines on stderr. */
export function componentLoadOptions(opts: RunOptions): {
  name: string;
  limits: Partial<GuestLimits>;
  poolSize: number;
  config: GuestConfig;
  cacheDir: string;
  log: ComponentLog;
} {
  return {
    name: opts.module.split('/').pop()!,
    limits: limitOverrides(opts),
    poolSize: opts.poolSize,
    config: parseConfigFlag(opts.config),
    cacheDir: opts.cacheDir ?? defaultCacheDir(),
    log: (event, fields) => process.stderr.write(`${JSON.stringify({ event, ...fields })}\n`),
  };
}

/** `k=v` pairs (split at the first "="), for --context and --extra. */
export function parsePairs(items: string[] | undefined, flag: string): Array<[string, string]> {
  return (items ?? []).map((item) => {
    const at = item.indexOf('=');
    if (at <= 0) throw new WasmgateError('WG_ERR_CONFIG_INVALID', `${flag} takes key=value, got "${item}"`);
    return [item.slice(0, at), item.slice(at + 1)];
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Prints each result as a JSON line, or one report with `--json`. */
export function printResults(opts: RunOptions, results: unknown[], report: Record<string, unknown>): void {
  if (opts.json) process.stdout.write(`${JSON.stringify({ ...report, results }, null, 2)}\n`);
  else for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
}
