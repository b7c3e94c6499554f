// Between a ModuleRecord and its StoredModule (the index entry in the store): what is saved, and
// how a saved entry is turned back into a record at startup (loaded, or listed as failed).
import { WasmgateError, describeError } from '../errors.js';
import { resolveLimits, sha256Hex, type GuestLimits } from '../runtime/index.js';
import type { ModuleLoader } from './module-loader.js';
import { ModuleRecord, type LoadFailure, type ModuleRecordInit } from './module-record.js';
import { DEFAULT_MODULE_SETTINGS, parseModuleSettings, settingsToJson, type ModuleSettings } from './module-settings.js';
import type { ModuleStore, StoredModule } from './module-store.js';

export function toStoredModule(r: ModuleRecord): StoredModule {
  return {
    uuid: r.uuid,
    name: r.name,
    file_path: r.filePath,
    sha256: r.sha256,
    size_bytes: r.sizeBytes,
    created_at_ns: r.createdAtNs.toString(),
    last_accessed_at_ns: r.lastAccessedAtNs.toString(),
    access_count: r.accessCount,
    attach_points: [...r.attachPoints],
    order: r.order,
    settings: settingsToJson(r.settings) as Record<string, unknown>,
  };
}

export function asLoadError(err: unknown): WasmgateError {
  if (WasmgateError.is(err)) return err;
  return new WasmgateError('WG_ERR_MODULE_INVALID', describeError(err), { cause: err });
}

export interface RestoreContext {
  readonly loader: ModuleLoader;
  readonly store: ModuleStore;
  readonly defaultLimits: GuestLimits;
  readonly defaultPoolSize: number;
  onFailure(stored: StoredModule, failure: LoadFailure): void;
}

/** Rebuilds one saved module: its bytes from the store, loaded through the loader. Never throws. */
export async function restoreRecord(stored: StoredModule, ctx: RestoreContext): Promise<ModuleRecord> {
  let settings: ModuleSettings = DEFAULT_MODULE_SETTINGS;
  let limits = ctx.defaultLimits;
  let poolSize = ctx.defaultPoolSize;
  const init = (): ModuleRecordInit => ({
    uuid: stored.uuid,
    name: stored.name,
    filePath: stored.file_path,
    sha256: stored.sha256,
    sizeBytes: stored.size_bytes,
    createdAtNs: BigInt(stored.created_at_ns),
    lastAccessedAtNs: BigInt(stored.last_accessed_at_ns),
    accessCount: stored.access_count,
    attachPoints: stored.attach_points,
    order: stored.order,
    settings,
    limits,
    poolSize,
  });
  const failed = (failure: LoadFailure): ModuleRecord => {
    ctx.onFailure(stored, failure);
    return new ModuleRecord(init(), { failure });
  };
  try {
    settings = parseModuleSettings(stored.settings);
    limits = resolveLimits(ctx.defaultLimits, settings.limits);
    poolSize = settings.poolSize ?? ctx.defaultPoolSize;
  } catch (err) {
    return failed({ code: asLoadError(err).code, message: `saved settings are invalid: ${describeError(err)}` });
  }
  const where = ctx.store.locationOf(stored.sha256);
  let bytes: Uint8Array | undefined;
  try {
    bytes = await ctx.store.getBytes(stored.sha256);
  } catch (err) {
    return failed({ code: 'WG_ERR_REGISTRY_STORE', message: describeError(err) });
  }
  if (!bytes) return failed({ code: 'WG_ERR_REGISTRY_STORE', message: `module bytes ${where} are missing` });
  if (sha256Hex(bytes) !== stored.sha256) return failed({ code: 'WG_ERR_REGISTRY_STORE', message: `module bytes ${where} do not match their sha256 (corrupted)` });
  try {
    const module = await ctx.loader.load(bytes, { name: stored.name, limits, poolSize, config: settings.config });
    return new ModuleRecord(init(), { module });
  } catch (err) {
    const error = asLoadError(err);
    return failed({ code: error.code, message: error.message });
  }
}
