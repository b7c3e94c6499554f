// Per-module settings wasmgate adds to SMG's descriptor (all optional, snake_case on the wire):
// `priority`, `fail_open`, `response_mode`, `config`, `limits`. Parsed once at registration (and
// when the index is reloaded); the request path only reads the result.
import { z } from 'zod';
import { WasmgateError } from '../errors.js';
import { LIMIT_FIELD_NAMES, MAX_POOL_SIZE, limitsFromSnakeCase, type GuestLimits } from '../runtime/index.js';
import { RESPONSE_MODES, type ResponseMode } from './attach-point.js';

export interface ModuleSettings {
  /** Chain position: ascending priority, then registration order. */
  readonly priority: number;
  /** true (default, as SMG): a failing call is logged and skipped. false: the request fails with 500. */
  readonly failOpen: boolean;
  readonly responseMode: ResponseMode;
  /** Handed to the loader as is. Never listed by GET /wasm (it may hold secrets). */
  readonly config: Readonly<Record<string, unknown>>;
  /** Only the limits this module overrides; the rest come from the gateway's defaults. */
  readonly limits: Readonly<Partial<GuestLimits>>;
  readonly poolSize: number | undefined;
}

export const DEFAULT_MODULE_SETTINGS: ModuleSettings = Object.freeze({
  priority: 0,
  failOpen: true,
  responseMode: 'body',
  config: Object.freeze({}),
  limits: Object.freeze({}),
  poolSize: undefined,
});

export const MAX_PRIORITY = 1_000_000;

const wholeNumber = z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).nonnegative({ error: 'must not be negative' });

const settingsSchema = z.object({
  priority: z
    .number({ error: 'must be a number' })
    .int({ error: 'must be a whole number' })
    .min(-MAX_PRIORITY, { error: `must be at least -${MAX_PRIORITY}` })
    .max(MAX_PRIORITY, { error: `must be at most ${MAX_PRIORITY}` })
    .optional(),
  fail_open: z.boolean({ error: 'must be true or false' }).optional(),
  response_mode: z.enum(RESPONSE_MODES, { error: `must be one of ${RESPONSE_MODES.map((m) => `"${m}"`).join(', ')}` }).optional(),
  config: z.record(z.string(), z.unknown(), { error: 'must be a JSON object' }).optional(),
  limits: z
    .strictObject(
      {
        max_memory_pages: wholeNumber.optional(),
        max_execution_time_ms: wholeNumber.optional(),
        max_stack_size: wholeNumber.optional(),
        max_body_size: wholeNumber.optional(),
        pool_size: wholeNumber.min(1, { error: 'must be at least 1' }).max(MAX_POOL_SIZE, { error: `must be at most ${MAX_POOL_SIZE}` }).optional(),
      },
      { error: 'must be a JSON object' },
    )
    .optional(),
});

export type ModuleSettingsJson = z.input<typeof settingsSchema>;

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
        return `${where}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      }
      return `${issue.path.join('.')} ${issue.message}`;
    })
    .join('; ');
}

/**
 * Parses the settings fields of a descriptor (other fields are ignored, as SMG ignores unknown
 * fields). Throws WG_ERR_CONFIG_INVALID naming the field.
 */
export function parseModuleSettings(raw: Readonly<Record<string, unknown>>): ModuleSettings {
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) throw new WasmgateError('WG_ERR_CONFIG_INVALID', formatIssues(parsed.error));
  const { priority, fail_open, response_mode, config, limits } = parsed.data;
  const { pool_size, ...limitFields } = limits ?? {};
  let limitOverrides: Partial<GuestLimits>;
  try {
    limitOverrides = limitsFromSnakeCase(limitFields);
  } catch (err) {
    if (WasmgateError.is(err)) throw new WasmgateError('WG_ERR_CONFIG_INVALID', `limits.${err.message}`, { cause: err });
    throw err;
  }
  return Object.freeze({
    priority: priority ?? DEFAULT_MODULE_SETTINGS.priority,
    failOpen: fail_open ?? DEFAULT_MODULE_SETTINGS.failOpen,
    responseMode: response_mode ?? DEFAULT_MODULE_SETTINGS.responseMode,
    config: Object.freeze({ ...(config ?? {}) }),
    limits: Object.freeze(limitOverrides),
    poolSize: pool_size,
  });
}

/** The snake_case form, as stored in the index and accepted back by parseModuleSettings. */
export function settingsToJson(settings: ModuleSettings): ModuleSettingsJson {
  const limits: Record<string, number> = {};
  for (const [key, value] of Object.entries(settings.limits) as Array<[keyof GuestLimits, number]>) {
    limits[LIMIT_FIELD_NAMES[key]] = value;
  }
  if (settings.poolSize !== undefined) limits.pool_size = settings.poolSize;
  return {
    priority: settings.priority,
    fail_open: settings.failOpen,
    response_mode: settings.responseMode,
    config: { ...settings.config },
    limits,
  };
}
