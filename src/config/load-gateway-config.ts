// Merges the gateway's settings from, lowest to highest precedence: CLI defaults, a JSON config
// file (--config / WASMGATE_CONFIG), WASMGATE_* env vars, CLI flags. Every source is validated
// against the same schema; errors name the source and the field.
import { readFile } from 'node:fs/promises';
import { WasmgateError } from '../errors.js';
import {
  CLI_DEFAULTS,
  SETTING_KINDS,
  envNameOf,
  gatewaySettingsSchema,
  type GatewaySettingName,
  type GatewaySettings,
  type ResolvedGatewaySettings,
} from './gateway-settings.js';

/** A flag's value as commander gives it. */
export type RawValue = string | boolean | readonly string[];

export interface LoadGatewayConfigInput {
  /** Only flags given on the command line (not defaults), keyed by setting name. */
  flags?: Partial<Record<GatewaySettingName, RawValue>>;
  env?: NodeJS.ProcessEnv;
  /** Config file path (a --config flag); else WASMGATE_CONFIG from env. */
  configFile?: string;
}

export interface LoadedGatewayConfig {
  readonly settings: Readonly<ResolvedGatewaySettings>;
  /** Things accepted but worth telling the user (e.g. ignored storage-context items). */
  readonly warnings: readonly string[];
}

function invalid(message: string): never {
  throw new WasmgateError('WG_ERR_CONFIG_INVALID', message);
}

function splitList(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

/** `header=key` items (SMG: split at the first `=`, items without one are dropped, last wins). */
function parsePairs(items: readonly string[], warnings: string[], source: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items) {
    const eq = item.indexOf('=');
    if (eq < 0) {
      warnings.push(`${source}: storage context item ${JSON.stringify(item)} has no "=" and is ignored (expected header=key)`);
      continue;
    }
    out[item.slice(0, eq).trim().toLowerCase()] = item.slice(eq + 1).trim();
  }
  return out;
}

/** Turns one textual value (env var or flag) into the type the schema expects. */
function coerce(name: GatewaySettingName, raw: RawValue, source: string, warnings: string[]): unknown {
  const kind = SETTING_KINDS[name];
  const items = typeof raw === 'string' ? [raw] : typeof raw === 'boolean' ? [] : [...raw];
  switch (kind) {
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const text = items.join('').trim().toLowerCase();
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      return invalid(`${source} must be true, false, 1 or 0, got ${JSON.stringify(items.join(''))}`);
    }
    case 'integer': {
      const text = items.join('').trim();
      if (!/^-?\d+$/.test(text)) return invalid(`${source} must be a whole number, got ${JSON.stringify(text)}`);
      return Number(text);
    }
    case 'list':
      return items.flatMap(splitList);
    case 'map':
      return parsePairs(items.flatMap(splitList), warnings, source);
    default:
      return items.join('');
  }
}

function check(value: unknown, source: string): GatewaySettings {
  const parsed = gatewaySettingsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') return invalid(`${source}: unknown setting ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`);
  return invalid(`${source}: ${issue.path.join('.') || 'value'} ${issue.message}`);
}

async function fromFile(path: string): Promise<GatewaySettings> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return invalid(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return invalid(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  return check(json, `config file ${path}`);
}

function fromEnv(env: NodeJS.ProcessEnv, warnings: string[]): GatewaySettings {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(SETTING_KINDS) as GatewaySettingName[]) {
    const value = env[envNameOf(name)];
    if (value === undefined || value === '') continue;
    out[name] = coerce(name, value, envNameOf(name), warnings);
  }
  return check(out, 'environment');
}

function fromFlags(flags: Partial<Record<GatewaySettingName, RawValue>>, warnings: string[]): GatewaySettings {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(flags) as Array<[GatewaySettingName, RawValue | undefined]>) {
    if (value === undefined) continue;
    out[name] = coerce(name, value, `--${name.replaceAll('_', '-')}`, warnings);
  }
  return check(out, 'command line');
}

export async function loadGatewayConfig(input: LoadGatewayConfigInput = {}): Promise<LoadedGatewayConfig> {
  const env = input.env ?? {};
  const warnings: string[] = [];
  const configFile = input.configFile ?? (env.WASMGATE_CONFIG || undefined);
  const file = configFile === undefined ? {} : await fromFile(configFile);
  const fromEnvironment = fromEnv(env, warnings);
  const flags = fromFlags(input.flags ?? {}, warnings);
  const settings: ResolvedGatewaySettings = { ...CLI_DEFAULTS, ...file, ...fromEnvironment, ...flags };
  return { settings: Object.freeze(settings), warnings };
}
