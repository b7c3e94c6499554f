// GET /wasm: SMG's JSON, field for field, plus wasmgate's additive fields (never renaming SMG's):
// per module `status`, `load_error`, `priority`, `fail_open`, `response_mode`, `limits`,
// `pool_size`, `metrics` (µs); globally `*_us`. Modules are listed in execution order.
import { LIMIT_FIELD_NAMES, type GuestLimits } from '../../runtime/index.js';
import type { ExecutionStatsSnapshot, ModuleRecord, ModuleRegistry } from '../../registry/index.js';

/** RFC 3339 UTC with exactly 9 fractional digits and `Z`, as SMG renders nanosecond timestamps. */
export function formatRfc3339Nanos(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  const fraction = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

function limitsJson(limits: GuestLimits): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, field] of Object.entries(LIMIT_FIELD_NAMES) as Array<[keyof GuestLimits, string]>) out[field] = limits[key];
  return out;
}

function moduleMetrics(stats: ExecutionStatsSnapshot): Record<string, unknown> {
  return {
    total_executions: stats.executions,
    successful_executions: stats.successes,
    failed_executions: stats.failures,
    total_execution_time_us: stats.totalUs,
    max_execution_time_us: stats.maxUs,
    ...(stats.executions > 0 ? { average_execution_time_us: stats.totalUs / stats.executions } : {}),
    failures_by_kind: stats.failuresByKind,
  };
}

function moduleJson(record: ModuleRecord): Record<string, unknown> {
  return {
    module_uuid: record.uuid,
    module_meta: {
      name: record.name,
      file_path: record.filePath,
      sha256_hash: record.sha256,
      size_bytes: record.sizeBytes,
      created_at: formatRfc3339Nanos(record.createdAtNs),
      last_accessed_at: formatRfc3339Nanos(record.lastAccessedAtNs),
      access_count: record.accessCount,
      attach_points: record.attachPoints.map((point) => ({ Middleware: point })),
    },
    status: record.status,
    ...(record.loadFailure ? { load_error: { code: record.loadFailure.code, message: record.loadFailure.message } } : {}),
    priority: record.settings.priority,
    fail_open: record.settings.failOpen,
    response_mode: record.settings.responseMode,
    limits: limitsJson(record.limits),
    pool_size: record.poolSize,
    metrics: moduleMetrics(record.stats.snapshot()),
  };
}

/** SMG's global metrics: integer milliseconds (truncated once from exact µs), average omitted at 0 executions. */
function globalMetrics(stats: ExecutionStatsSnapshot): Record<string, unknown> {
  const some = stats.executions > 0;
  return {
    total_executions: stats.executions,
    successful_executions: stats.successes,
    failed_executions: stats.failures,
    total_execution_time_ms: Math.floor(stats.totalUs / 1000),
    max_execution_time_ms: Math.floor(stats.maxUs / 1000),
    ...(some ? { average_execution_time_ms: stats.totalUs / 1000 / stats.executions } : {}),
    total_execution_time_us: stats.totalUs,
    max_execution_time_us: stats.maxUs,
    ...(some ? { average_execution_time_us: stats.totalUs / stats.executions } : {}),
  };
}

export function listModules(registry: ModuleRegistry): Record<string, unknown> {
  return {
    modules: registry.list().map(moduleJson),
    metrics: globalMetrics(registry.totals.snapshot()),
  };
}
