// `wasmgate gateway`: SMG's flags (--enable-wasm, --worker-urls, --port, --host, --api-key,
// --request-id-headers, --max-payload-size, --storage-hook-wasm-path, --storage-context-headers,
// --history-backend, and --schema-config, --stream-request-bodies-over, --job-queue-* accepted
// for compatibility: smg-compat-flags.ts)
// plus wasmgate's (--admin-port, --data-dir, --upstream-timeout-ms, limits,
// --storage-hook-fail-open, --config). Settings also come from a JSON config file and WASMGATE_*
// env vars; flags win over env, env over the file. --history-backend and --storage-hook-fail-open
// are read from the flag or env only (WASMGATE_HISTORY_BACKEND, WASMGATE_STORAGE_HOOK_FAIL_OPEN).
import type { Command } from 'commander';
import pino, { type Logger } from 'pino';
import { WasmgateError } from '../../errors.js';
import { CLI_DEFAULTS, envNameOf, loadGatewayConfig, type Isolation, type GatewaySettingName, type RawValue, type ResolvedGatewaySettings } from '../../config/index.js';
import { HISTORY_BACKENDS, createGateway, type GatewayOptions, type ModuleLoader } from '../../gateway/index.js';
import { drainOnSignals } from '../drain-on-signals.js';
import { defaultCacheDir } from '../options.js';
import { SMG_COMPAT_FLAGS, smgCompatNotes } from './smg-compat-flags.js';

export interface GatewayCommandDeps {
  /** The component loader for an isolation mode (settings decide which). */
  loaderFor(isolation: Isolation): ModuleLoader;
}

/** Flag → setting. Flags are read only when given on the command line (no commander defaults). */
const FLAGS: ReadonlyArray<readonly [flag: string, setting: GatewaySettingName, description: string]> = [
  ['--enable-wasm', 'enable_wasm', 'enable the WebAssembly middleware and the /wasm API (SMG)'],
  ['--worker-urls <urls...>', 'worker_urls', 'upstream workers, balanced round-robin (SMG)'],
  ['--port <port>', 'port', `listen port (default ${CLI_DEFAULTS.port})`],
  ['--host <host>', 'host', `listen address (default ${CLI_DEFAULTS.host})`],
  ['--api-key <key>', 'api_key', 'admin routes need Authorization: Bearer <key>; without one they answer loopback clients only'],
  ['--admin-port <port>', 'admin_port', 'serve /wasm and /metrics on their own port (the main port then has none)'],
  ['--data-dir <dir>', 'data_dir', `where modules persist across restarts (default ${CLI_DEFAULTS.data_dir})`],
  ['--request-id-headers <headers...>', 'request_id_headers', 'headers a request id is taken from, in order (SMG)'],
  ['--upstream-timeout-ms <ms>', 'upstream_timeout_ms', 'wait this long for upstream response headers, then 504 (default 60000)'],
  ['--upstream-cooldown-ms <ms>', 'upstream_cooldown_ms', 'skip a worker that failed to connect for this long (default 5000)'],
  ['--max-payload-size <bytes>', 'max_payload_size', 'largest request body accepted on proxied routes, else 413 (SMG; default 536870912)'],
  ['--max-memory-pages <pages>', 'max_memory_pages', 'default guest memory cap, 64 KiB pages (1..65536, default 1024)'],
  ['--max-execution-time-ms <ms>', 'max_execution_time_ms', 'default guest call deadline (1..300000, default 1000)'],
  ['--max-stack-size <bytes>', 'max_stack_size', 'default guest stack budget (65536..16777216, default 1048576)'],
  ['--max-body-size <bytes>', 'max_body_size', 'default largest body a guest sees (1..104857600, default 10485760)'],
  ['--pool-size <n>', 'pool_size', 'default instances per module'],
  ['--isolation <mode>', 'isolation', 'inline (default): guests run on the event loop, fastest; worker: on executor threads, so a runaway guest never stalls other requests'],
  ['--storage-hook-wasm-path <path>', 'storage_hook_wasm_path', 'smg:storage hook wrapping every history operation; turns the history API on (SMG)'],
  ['--storage-context-headers <pairs...>', 'storage_context_headers', 'header=key pairs: request headers handed to the storage hook as context (SMG)'],
  ['--log-level <level>', 'log_level', `log level (default ${CLI_DEFAULTS.log_level})`],
  ...SMG_COMPAT_FLAGS,
];

function flagKey(flag: string): string {
  return flag
    .split(' ')[0]!
    .slice(2)
    .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function givenFlags(cmd: Command): Partial<Record<GatewaySettingName, RawValue>> {
  const out: Partial<Record<GatewaySettingName, RawValue>> = {};
  for (const [flag, setting] of FLAGS) {
    const key = flagKey(flag);
    if (cmd.getOptionValueSource(key) === 'cli') out[setting] = cmd.getOptionValue(key) as RawValue;
  }
  return out;
}

/** Settings → createGateway options. */
export function gatewayOptionsFrom(settings: Readonly<ResolvedGatewaySettings>, loader: ModuleLoader, logger: Logger): GatewayOptions {
  return {
    loader,
    logger,
    workerUrls: settings.worker_urls ?? [],
    port: settings.port,
    host: settings.host,
    adminPort: settings.admin_port,
    enableWasm: settings.enable_wasm,
    apiKey: settings.api_key,
    dataDir: settings.data_dir,
    requestIdHeaders: settings.request_id_headers,
    upstreamTimeoutMs: settings.upstream_timeout_ms,
    upstreamCooldownMs: settings.upstream_cooldown_ms,
    maxPayloadSize: settings.max_payload_size,
    limits: {
      maxMemoryPages: settings.max_memory_pages,
      maxExecutionTimeMs: settings.max_execution_time_ms,
      maxStackSize: settings.max_stack_size,
      maxBodySize: settings.max_body_size,
    },
    poolSize: settings.pool_size,
    storageHookWasmPath: settings.storage_hook_wasm_path,
    storageContextHeaders: settings.storage_context_headers,
  };
}

/** The history flags (flag, else env): not part of the config-file settings. */
export interface HistoryFlags {
  historyBackend?: string;
  storageHookFailOpen?: boolean;
}

function envBoolean(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  const text = value.trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new WasmgateError('WG_ERR_CONFIG_INVALID', `${name} must be true, false, 1 or 0, got ${JSON.stringify(value)}`);
}

export function historyFlagsFrom(cmd: Command, env: NodeJS.ProcessEnv): HistoryFlags {
  const given = (key: string): unknown => (cmd.getOptionValueSource(key) === 'cli' ? cmd.getOptionValue(key) : undefined);
  return {
    historyBackend: (given('historyBackend') as string | undefined) ?? (env.WASMGATE_HISTORY_BACKEND || undefined),
    storageHookFailOpen: (given('storageHookFailOpen') as boolean | undefined) ?? envBoolean('WASMGATE_STORAGE_HOOK_FAIL_OPEN', env.WASMGATE_STORAGE_HOOK_FAIL_OPEN),
  };
}

export function registerGatewayCommand(program: Command, deps: GatewayCommandDeps): Command {
  const command = program
    .command('gateway')
    .description('SMG-compatible gateway: reverse proxy with WebAssembly middleware and the /wasm management API');
  for (const [flag, , description] of FLAGS) command.option(flag, description);
  command.option('--history-backend <backend>', `serve the history API (/v1/conversations, stored /v1/responses) on ${HISTORY_BACKENDS.join(' or ')} storage (SMG; default memory when a storage hook is set)`);
  command.option('--storage-hook-fail-open', "SMG's policy: a failing storage hook is logged and skipped (default: the storage operation fails)");
  command.option('--config <file>', 'JSON config file (snake_case keys as the flags; env WASMGATE_CONFIG)');
  command.addHelpText(
    'after',
    `\nEvery setting can also be set with an env var (${envNameOf('worker_urls')}, ${envNameOf('enable_wasm')}, ...) or in the config file.\nPrecedence: flags > env > config file > defaults.`,
  );
  command.action(async (_opts: unknown, cmd: Command) => {
    const { settings, warnings } = await loadGatewayConfig({
      flags: givenFlags(cmd),
      env: process.env,
      configFile: cmd.getOptionValueSource('config') === 'cli' ? (cmd.getOptionValue('config') as string) : undefined,
    });
    const logger = pino({ name: 'wasmgate-gateway', level: settings.log_level });
    for (const warning of warnings) logger.warn(warning);
    for (const note of await smgCompatNotes(settings)) logger.info({ setting: note.setting }, `SMG setting accepted: ${note.message}`);
    const loader = deps.loaderFor(settings.isolation ?? 'inline');
    if (settings.enable_wasm && loader.prewarm) {
      const started = performance.now();
      await loader.prewarm();
      logger.info({ ms: Math.round(performance.now() - started) }, 'component transpiler ready');
    }
    const history = historyFlagsFrom(cmd, process.env);
    const gateway = createGateway({ ...gatewayOptionsFrom(settings, loader, logger), ...history, storageHookCacheDir: defaultCacheDir() });
    const address = await gateway.listen();
    process.stderr.write(`wasmgate gateway listening on ${address.url}${address.adminUrl ? ` (admin on ${address.adminUrl})` : ''}\n`);
    drainOnSignals(logger, () => gateway.close());
  });
  return command;
}
