// `wasmgate run --abi sentinel`: one core module through the Sentinel JSON ABI.
import { z } from 'zod';
import { WasmgateError } from '../../errors.js';
import { SentinelJsonModule, type SentinelEvent, type SentinelRequestInput, type SentinelResponseInput } from '../../abi/index.js';
import { limitOverrides } from '../options.js';
import { printResults, readInput, type RunOptions } from './run-input.js';

const headerMap = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

const requestInput = z.object({
  method: z.string().default('GET'),
  uri: z.string().default('/'),
  client_ip: z.string().default('127.0.0.1'),
  correlation_id: z.string().default('wasmgate-run'),
  headers: headerMap.default({}),
});

const responseInput = z.object({
  status: z.number().int().min(100).max(999).default(200),
  correlation_id: z.string().default('wasmgate-run'),
  headers: headerMap.default({}),
});

/** The event as the module takes it; header value lists are joined with ", " as they are written. */
function parseSentinelInput(event: SentinelEvent, raw: unknown): SentinelRequestInput | SentinelResponseInput {
  const schema = event === 'request_headers' ? requestInput : responseInput;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WasmgateError('WG_ERR_CONFIG_INVALID', `--input: ${issue.path.join('.') || 'value'}: ${issue.message}`);
  }
  return parsed.data;
}

export async function runSentinel(opts: RunOptions): Promise<void> {
  if (opts.event !== 'request_headers' && opts.event !== 'response_headers') {
    throw new WasmgateError('WG_ERR_CONFIG_INVALID', `--event must be request_headers or response_headers for --abi sentinel, got "${opts.event}"`);
  }
  const event: SentinelEvent = opts.event;
  const input = parseSentinelInput(event, await readInput(opts.input));
  const module = await SentinelJsonModule.load(opts.module, {
    limits: limitOverrides(opts),
    poolSize: opts.poolSize,
    log: (level, message) => process.stderr.write(`[guest ${level}] ${message}\n`),
  });
  try {
    const results = [];
    for (let i = 0; i < opts.repeat; i++) results.push(await module.call(event, input));
    printResults(opts, results, { module: module.name, sha256: module.sha256, abi: 'sentinel', event, limits: module.limits, metrics: module.metrics });
  } finally {
    await module.close();
  }
}

