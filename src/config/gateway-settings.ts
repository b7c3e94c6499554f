// The gateway's settings as a config file, WASMGATE_* env vars and CLI flags spell them
// (snake_case, SMG's names where SMG has the setting). Imports no other layer: limits are
// range-checked later by the gateway, with SMG's messages.
import { z } from 'zod';

const wholeNumber = z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' });
const portNumber = wholeNumber.min(0, { error: 'must be in 0..65535' }).max(65535, { error: 'must be in 0..65535' });
const atLeastOne = wholeNumber.min(1, { error: 'must be at least 1' });
const nonEmpty = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' });

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Where guests run: on the event loop, or on executor threads. */
export const ISOLATION_MODES = ['inline', 'worker'] as const;
export type Isolation = (typeof ISOLATION_MODES)[number];

export const gatewaySettingsSchema = z.strictObject({
  enable_wasm: z.boolean({ error: 'must be true or false' }).optional(),
  worker_urls: z.array(nonEmpty, { error: 'must be a list of URLs' }).optional(),
  port: portNumber.optional(),
  host: nonEmpty.optional(),
  api_key: nonEmpty.optional(),
  admin_port: portNumber.optional(),
  data_dir: nonEmpty.optional(),
  request_id_headers: z.array(nonEmpty, { error: 'must be a list of header names' }).min(1, { error: 'must not be empty' }).optional(),
  upstream_timeout_ms: atLeastOne.optional(),
  upstream_cooldown_ms: atLeastOne.optional(),
  max_payload_size: atLeastOne.optional(),
  max_memory_pages: wholeNumber.optional(),
  max_execution_time_ms: wholeNumber.optional(),
  max_stack_size: wholeNumber.optional(),
  max_body_size: wholeNumber.optional(),
  pool_size: atLeastOne.optional(),
  isolation: z.enum(ISOLATION_MODES, { error: `must be one of ${ISOLATION_MODES.join(', ')}` }).optional(),
  storage_hook_wasm_path: nonEmpty.optional(),
  storage_context_headers: z.record(z.string(), z.string(), { error: 'must be an object of header: context key' }).optional(),
  log_level: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
  // SMG flags accepted so its command lines run unchanged; see compatibilityNotes() for what each does here.
  schema_config: nonEmpty.optional(),
  stream_request_bodies_over: wholeNumber.min(0, { error: 'must be at least 0' }).optional(),
  job_queue_capacity: atLeastOne.optional(),
  job_queue_concurrency: atLeastOne.optional(),
});

export type GatewaySettings = z.infer<typeof gatewaySettingsSchema>;
export type GatewaySettingName = keyof GatewaySettings;

/** How a setting is written as text (env var or flag value). */
export type SettingKind = 'boolean' | 'integer' | 'string' | 'list' | 'map';

export const SETTING_KINDS: Readonly<Record<GatewaySettingName, SettingKind>> = {
  enable_wasm: 'boolean',
  worker_urls: 'list',
  port: 'integer',
  host: 'string',
  api_key: 'string',
  admin_port: 'integer',
  data_dir: 'string',
  request_id_headers: 'list',
  upstream_timeout_ms: 'integer',
  upstream_cooldown_ms: 'integer',
  max_payload_size: 'integer',
  max_memory_pages: 'integer',
  max_execution_time_ms: 'integer',
  max_stack_size: 'integer',
  max_body_size: 'integer',
  pool_size: 'integer',
  isolation: 'string',
  storage_hook_wasm_path: 'string',
  storage_context_headers: 'map',
  log_level: 'string',
  schema_config: 'string',
  stream_request_bodies_over: 'integer',
  job_queue_capacity: 'integer',
  job_queue_concurrency: 'integer',
};

export type ResolvedGatewaySettings = GatewaySettings & Required<Pick<GatewaySettings, 'enable_wasm' | 'port' | 'host' | 'data_dir' | 'log_level'>>;

/** Defaults the CLI applies (library users get in-memory storage unless they pass a data dir). */
export const CLI_DEFAULTS: Readonly<Required<Pick<GatewaySettings, 'enable_wasm' | 'port' | 'host' | 'data_dir' | 'log_level'>>> = Object.freeze({
  enable_wasm: false,
  port: 3000,
  host: '127.0.0.1',
  data_dir: './.wasmgate',
  log_level: 'info',
});

export function envNameOf(name: GatewaySettingName): string {
  return `WASMGATE_${name.toUpperCase()}`;
}
