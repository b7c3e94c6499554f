// SentinelAgentOptions (what callers pass) → SentinelAgentConfig (complete, validated, frozen).
import type { Logger } from 'pino';
import { z } from 'zod';
import { WasmgateError } from '../errors.js';
import { DEFAULT_GATE_MAX_WAIT_MS } from './call-gate.js';
import { MAX_CONFIGURED_POOL_SIZE, type AgentSettings } from './event-payloads.js';
import type { ClosableGuest } from './guest-slot.js';

export const DEFAULT_SOCKET_PATH = '/tmp/sentinel-wasm.sock';
export const DEFAULT_POOL_SIZE = 4;
/** How long close() waits for accepted requests to be answered before cutting connections. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 10_000;

export interface SentinelAgentOptions {
  /** Unix socket to listen on. Default /tmp/sentinel-wasm.sock. */
  socketPath?: string;
  /** On a guest error, allow (true) or block 500 (false, the default). `configure` may change it. */
  failOpen?: boolean;
  /** Guest calls run at once (advertised as v2 max_concurrency). Default 4; `configure` may change it. */
  poolSize?: number;
  logger: Logger;
  /** Produces the guest: called by start() and by every reload(). */
  loadGuest(): Promise<ClosableGuest>;
  /** Serve Prometheus text on http://127.0.0.1:<port>/metrics (0 picks a free port). */
  metricsPort?: number;
  /** Told about an accepted `configure` before it takes effect; throwing rejects it (Block 500). */
  onConfigure?(config: AgentSettings): Promise<void>;
  /** Bound on close()'s wait for requests already accepted. Default 10 s. */
  drainTimeoutMs?: number;
  /** How long a request may wait for a free guest slot before the fail policy answers it. Default 5 s. */
  queueTimeoutMs?: number;
}

export interface SentinelAgentConfig {
  readonly socketPath: string;
  readonly failOpen: boolean;
  readonly poolSize: number;
  readonly logger: Logger;
  readonly loadGuest: () => Promise<ClosableGuest>;
  readonly metricsPort: number | undefined;
  readonly onConfigure: ((config: AgentSettings) => Promise<void>) | undefined;
  readonly drainTimeoutMs: number;
  readonly queueTimeoutMs: number;
}

const isFunction = (v: unknown): boolean => typeof v === 'function';

const schema = z.object({
  socketPath: z.string().min(1).default(DEFAULT_SOCKET_PATH),
  failOpen: z.boolean().default(false),
  poolSize: z.number().int().min(1).max(MAX_CONFIGURED_POOL_SIZE).default(DEFAULT_POOL_SIZE),
  logger: z.custom<Logger>((v) => typeof v === 'object' && v !== null && isFunction((v as Logger).child), {
    message: 'logger must be a pino Logger',
  }),
  loadGuest: z.custom<() => Promise<ClosableGuest>>(isFunction, { message: 'loadGuest must be a function' }),
  metricsPort: z.number().int().min(0).max(65535).optional(),
  onConfigure: z.custom<(config: AgentSettings) => Promise<void>>(isFunction).optional(),
  drainTimeoutMs: z.number().int().min(0).default(DEFAULT_DRAIN_TIMEOUT_MS),
  queueTimeoutMs: z.number().int().min(1).default(DEFAULT_GATE_MAX_WAIT_MS),
});

export function resolveAgentConfig(options: SentinelAgentOptions): SentinelAgentConfig {
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ');
    throw new WasmgateError('WG_ERR_CONFIG_INVALID', `invalid sentinel agent options: ${detail}`);
  }
  const value = parsed.data;
  return Object.freeze({
    socketPath: value.socketPath,
    failOpen: value.failOpen,
    poolSize: value.poolSize,
    logger: value.logger,
    // Called through `options` so methods of a class instance keep their `this`.
    loadGuest: () => options.loadGuest(),
    metricsPort: value.metricsPort,
    onConfigure: value.onConfigure === undefined ? undefined : (config: AgentSettings) => options.onConfigure!(config),
    drainTimeoutMs: value.drainTimeoutMs,
    queueTimeoutMs: value.queueTimeoutMs,
  });
}
