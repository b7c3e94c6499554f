// `wasmgate sentinel-agent` (also installed as `sentinel-wasm-agent`): upstream
// sentinel-agent-wasm's flags and env vars, plus wasmgate's guest limits and a metrics port.
// Parses and validates options, builds the agent, and wires the process: SIGHUP and module file
// changes reload, SIGUSR2 logs metrics, SIGINT/SIGTERM drain and exit 0.
import { Command, Option } from 'commander';
import pino, { type Logger } from 'pino';
import { z } from 'zod';
import {
  createSentinelAgent,
  DEFAULT_POOL_SIZE,
  DEFAULT_SOCKET_PATH,
  watchModuleFile,
  type ClosableGuest,
  type SentinelAgent,
  type SentinelAgentSettings,
} from '../../sentinel/index.js';
import { ISOLATION_MODES, type Isolation } from '../../config/index.js';
import { drainOnSignals } from '../drain-on-signals.js';
import { parseBoolean } from '../options.js';

export interface GuestLoaderOptions {
  poolSize: number;
  maxExecutionTimeMs: number | undefined;
  maxMemoryPages: number | undefined;
  /** inline: instances on the event loop; worker: on executor threads. */
  isolation: Isolation;
  logger: Logger;
}

export interface SentinelAgentCommandDeps {
  /** Returns a loader the agent calls at start and on every reload; may throw on invalid options. */
  createGuestLoader(modulePath: string, options: GuestLoaderOptions): () => Promise<ClosableGuest>;
}

/** Exit code for bad flags, env values or module (commander's own errors use 1). */
export const EXIT_USAGE = 2;

/**
 * A flag wins; else the env var (true/false/1/0, any case); else false. Read here rather than with
 * commander's `.env()`, which turns a valueless flag on whenever the variable is set, even to "false".
 */
function booleanOption(cmd: Command, key: string, envName: string): boolean {
  if (cmd.getOptionValueSource(key) === 'cli') return true;
  const raw = process.env[envName];
  if (raw === undefined || raw === '') return false;
  try {
    return parseBoolean(raw);
  } catch {
    cmd.error(`${envName} must be true, false, 1 or 0 (any case), got ${JSON.stringify(raw)}`, { exitCode: EXIT_USAGE });
  }
}

const wholeNumber = (flag: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { message: `${flag} must be a whole number` })
    .transform(Number)
    .pipe(z.number().min(min, { message: `${flag} must be at least ${min}` }).max(max, { message: `${flag} must be at most ${max}` }));

const optionsSchema = z.object({
  socket: z.string().min(1, { message: '--socket must not be empty' }),
  module: z.string({ error: 'missing --module (or WASM_MODULE): the Wasm module file to run' }).min(1, {
    message: 'missing --module (or WASM_MODULE): the Wasm module file to run',
  }),
  poolSize: wholeNumber('--pool-size', 1, 256),
  maxExecutionTimeMs: wholeNumber('--max-execution-time-ms', 1, Number.MAX_SAFE_INTEGER).optional(),
  maxMemoryPages: wholeNumber('--max-memory-pages', 1, Number.MAX_SAFE_INTEGER).optional(),
  metricsPort: wholeNumber('--metrics-port', 0, 65535).optional(),
  isolation: z.enum(ISOLATION_MODES, { error: `--isolation must be ${ISOLATION_MODES.join(' or ')}` }),
});

export type SentinelAgentCommandOptions = z.infer<typeof optionsSchema> & { verbose: boolean; failOpen: boolean };

function parseOptions(raw: Record<string, unknown>, cmd: Command): SentinelAgentCommandOptions {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) cmd.error(parsed.error.issues.map((i) => i.message).join('\n'), { exitCode: EXIT_USAGE });
  return {
    ...parsed.data,
    verbose: booleanOption(cmd, 'verbose', 'WASM_VERBOSE'),
    failOpen: booleanOption(cmd, 'failOpen', 'FAIL_OPEN'),
  };
}

function exitCodeFor(err: unknown): number {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^WG_ERR_(CONFIG|MODULE)_/.test(code) ? EXIT_USAGE : 1;
}

/** Keeps the loader in step with the pool size: `configure` swaps in a loader for the new size. */
function guestLoading(deps: SentinelAgentCommandDeps, options: SentinelAgentCommandOptions, logger: Logger) {
  let loaderOptions: GuestLoaderOptions = {
    poolSize: options.poolSize,
    maxExecutionTimeMs: options.maxExecutionTimeMs,
    maxMemoryPages: options.maxMemoryPages,
    isolation: options.isolation,
    logger,
  };
  let load = deps.createGuestLoader(options.module, loaderOptions);
  return {
    loadGuest: () => load(),
    /** Reloads with a pool of the configured size; restores the previous loader if that fails. */
    async resize(agent: SentinelAgent, settings: SentinelAgentSettings): Promise<void> {
      if (settings.poolSize === loaderOptions.poolSize) return;
      const previous = { load, loaderOptions };
      loaderOptions = { ...loaderOptions, poolSize: settings.poolSize };
      load = deps.createGuestLoader(options.module, loaderOptions);
      const result = await agent.reload();
      if (!result.reloaded) {
        ({ load, loaderOptions } = previous);
        throw result.error;
      }
    },
  };
}

/** Installs SIGHUP / SIGUSR2 / SIGINT / SIGTERM handlers and the module watcher. */
function wireProcess(agent: SentinelAgent, modulePath: string, logger: Logger): void {
  const watcher = watchModuleFile({ path: modulePath, logger, onChange: () => void agent.reload() });
  const onHangup = (): void => {
    logger.info('SIGHUP: reloading the module');
    void agent.reload();
  };
  const onMetrics = (): void => logger.info({ metrics: agent.metrics() }, 'metrics');
  process.on('SIGHUP', onHangup).on('SIGUSR2', onMetrics);
  drainOnSignals(logger, () => {
    watcher.close();
    process.off('SIGHUP', onHangup).off('SIGUSR2', onMetrics);
    return agent.close();
  });
}

async function runSentinelAgent(deps: SentinelAgentCommandDeps, options: SentinelAgentCommandOptions): Promise<void> {
  const logger = pino({ name: 'sentinel-agent', level: options.verbose ? 'debug' : 'info' });
  let agent: SentinelAgent | undefined;
  try {
    const loading = guestLoading(deps, options, logger);
    const created: SentinelAgent = createSentinelAgent({
      socketPath: options.socket,
      poolSize: options.poolSize,
      failOpen: options.failOpen,
      logger,
      loadGuest: loading.loadGuest,
      metricsPort: options.metricsPort,
      onConfigure: (settings) => loading.resize(created, settings),
    });
    agent = created;
    await agent.start();
  } catch (err) {
    // Not a usage error: say what failed, without commander's usage text after it.
    logger.error({ err }, 'sentinel agent failed to start');
    process.stderr.write(`sentinel-agent: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = exitCodeFor(err);
    return;
  }
  wireProcess(agent, options.module, logger);
}

export function registerSentinelAgentCommand(program: Command, deps: SentinelAgentCommandDeps): Command {
  return program
    .command('sentinel-agent')
    .description('Serve a Wasm module to the Sentinel proxy over a Unix socket (drop-in for sentinel-agent-wasm)')
    .addOption(new Option('--socket <path>', 'Unix socket path').env('AGENT_SOCKET').default(DEFAULT_SOCKET_PATH))
    .addOption(new Option('--module <path>', 'Wasm module file (.wasm) (required)').env('WASM_MODULE'))
    .addOption(new Option('--pool-size <n>', 'Instance pool size').env('WASM_POOL_SIZE').default(String(DEFAULT_POOL_SIZE)))
    .option('-v, --verbose', 'Enable debug logging (env WASM_VERBOSE)')
    .option('--fail-open', 'Allow requests on module errors (env FAIL_OPEN)')
    .addOption(new Option('--max-execution-time-ms <ms>', 'Wall-clock budget of one guest call').env('WASMGATE_MAX_EXECUTION_TIME_MS'))
    .addOption(new Option('--max-memory-pages <pages>', 'Cap on guest memory, in 64 KiB pages').env('WASMGATE_MAX_MEMORY_PAGES'))
    .addOption(new Option('--metrics-port <port>', 'Serve Prometheus metrics on 127.0.0.1:<port>/metrics').env('WASMGATE_METRICS_PORT'))
    .addOption(
      new Option('--isolation <mode>', 'inline: guests run on the event loop (fastest); worker: on executor threads, so a runaway guest never stalls other events')
        .env('WASMGATE_ISOLATION')
        .default('inline'),
    )
    .action(async (raw: Record<string, unknown>, cmd: Command) => {
      await runSentinelAgent(deps, parseOptions(raw, cmd));
    });
}
