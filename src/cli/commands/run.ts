// `wasmgate run`: runs one module locally, once or N times on one instance, and prints the
// normalised result JSON — the module author's inner loop, with the same limits as the servers.
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { z } from 'zod';
import { WasmgateError, describeError } from '../../errors.js';
import { SentinelJsonModule, type SentinelEvent, type SentinelRequest, type SentinelResponse } from '../../abi/index.js';
import { addLimitOptions, limitOverrides, parseWholeNumber } from '../options.js';

interface RunOptions {
  module: string;
  abi: 'sentinel';
  event: string;
  input?: string;
  poolSize: number;
  repeat: number;
  json?: boolean;
  maxMemoryPages?: number;
  maxExecutionTimeMs?: number;
  maxStackSize?: number;
  maxBodySize?: number;
}

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

/** Joins repeated header values with ", " as the agent does with the proxy's value arrays. */
function flattenHeaders(headers: Record<string, string | string[]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

async function readInput(path: string | undefined): Promise<unknown> {
  if (path === undefined) return {};
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (err) {
    throw new WasmgateError('WG_ERR_CONFIG_INVALID', `cannot read --input ${path}: ${describeError(err)}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new WasmgateError('WG_ERR_CONFIG_INVALID', `--input ${path} is not JSON: ${describeError(err)}`);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseSentinelInput(event: SentinelEvent, raw: unknown): SentinelRequest | SentinelResponse {
  const schema = event === 'request_headers' ? requestInput : responseInput;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WasmgateError('WG_ERR_CONFIG_INVALID', `--input: ${issue.path.join('.') || 'value'}: ${issue.message}`);
  }
  return { ...parsed.data, headers: flattenHeaders(parsed.data.headers) } as SentinelRequest | SentinelResponse;
}

async function runSentinel(opts: RunOptions): Promise<void> {
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
    for (let i = 0; i < opts.repeat; i++) {
      const result = await module.call(event, input);
      if (opts.json) results.push(result);
      else process.stdout.write(`${JSON.stringify(result)}\n`);
    }
    if (opts.json) {
      const report = { module: module.name, sha256: module.sha256, event, limits: module.limits, results, metrics: module.metrics };
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    }
  } finally {
    await module.close();
  }
}

export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description('run a module locally and print the normalised result JSON')
    .requiredOption('--module <file>', 'the .wasm module to run')
    .addOption(new Option('--abi <abi>', 'guest contract').choices(['sentinel']).default('sentinel'))
    .requiredOption('--event <event>', 'request_headers | response_headers')
    .option('--input <file>', 'event JSON ("-" for stdin); missing fields get defaults')
    .option('--pool-size <n>', 'instances to create', parseWholeNumber, 1)
    .option('--repeat <n>', 'run N times on one instance (guest state persists); one result line each', parseWholeNumber, 1)
    .option('--json', 'print one JSON report with every result, the limits and the metrics');
  addLimitOptions(command).action((opts: RunOptions) => runSentinel(opts));
}
