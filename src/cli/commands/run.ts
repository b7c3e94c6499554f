// `wasmgate run`: runs one module locally, once or N times on one instance, and prints the
// normalised result JSON — the module author's inner loop, with the same limits as the servers.
import { Option, type Command } from 'commander';
import { addLimitOptions, parseWholeNumber } from '../options.js';
import type { RunOptions } from './run-input.js';
import { runSentinel } from './run-sentinel.js';
import { runSmg } from './run-smg.js';
import { runStorage } from './run-storage.js';

const RUNNERS = { sentinel: runSentinel, smg: runSmg, storage: runStorage } as const;

export function registerRunCommand(program: Command): void {
  const command = program
    .command('run')
    .description('run a module locally and print the normalised result JSON')
    .requiredOption('--module <file>', 'the .wasm module (core module for sentinel, component for smg/storage)')
    .addOption(new Option('--abi <abi>', 'guest contract').choices(['sentinel', 'smg', 'storage']).default('sentinel'))
    .requiredOption('--event <event>', 'sentinel: request_headers|response_headers; smg: on-request|on-response; storage: before|after')
    .option('--input <file>', 'event JSON ("-" for stdin); missing fields get defaults')
    .option('--config <json>', 'per-module config object the guest can read (smg, storage)')
    .option('--cache-dir <dir>', 'transpiled-component cache (default $WASMGATE_CACHE_DIR or ~/.cache/wasmgate/components)')
    .option('--op <operation>', 'storage operation, e.g. create-conversation')
    .option('--context <key=value...>', 'storage context entries')
    .option('--payload <json>', 'storage operation payload JSON', '{}')
    .option('--result-json <json>', 'storage after(): the operation result JSON')
    .option('--extra <name=value...>', 'storage after(): extra columns from before()')
    .option('--pool-size <n>', 'instances to create', parseWholeNumber, 1)
    .option('--repeat <n>', 'run N times on one instance (guest state persists); one result line each', parseWholeNumber, 1)
    .option('--json', 'print one JSON report with every result, the limits and the metrics');
  addLimitOptions(command).action((opts: RunOptions) => RUNNERS[opts.abi](opts));
}
