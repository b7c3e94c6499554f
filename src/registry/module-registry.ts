// The module registry: register → validate → load → persist → atomic swap of the chain snapshot.
// Mutations run one at a time (so the sha256 duplicate check and the insert are one step, unlike
// SMG's); requests never wait for them: they read the current snapshot.
import pino, { type Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { WasmgateError } from '../errors.js';
import { DEFAULT_LIMITS, DEFAULT_POOL_SIZE, resolveLimits, sha256Hex, type GuestLimits } from '../runtime/index.js';
import type { AttachPoint } from './attach-point.js';
import { EMPTY_CHAIN, buildChainSnapshot, compareExecutionOrder, type ChainSnapshot } from './chain-snapshot.js';
import { epochNanos } from './epoch-nanos.js';
import { ExecutionStats, type FailureKind } from './execution-stats.js';
import type { LoadedModule, ModuleLoader } from './module-loader.js';
import { ModuleRecord, type ModuleRecordInit } from './module-record.js';
import { DEFAULT_MODULE_SETTINGS, type ModuleSettings } from './module-settings.js';
import type { ModuleStore, StoredIndex, StoredModule } from './module-store.js';
import { asLoadError, restoreRecord, toStoredModule } from './stored-record.js';

export interface ModuleRegistryOptions {
  loader: ModuleLoader;
  store: ModuleStore;
  /** Limits a module gets unless its descriptor overrides them. */
  defaultLimits?: GuestLimits;
  defaultPoolSize?: number;
  logger?: Logger;
}

export interface RegisterRequest {
  name: string;
  /** Shown as `file_path`; default: where the store keeps the bytes. */
  filePath?: string;
  bytes: Uint8Array;
  attachPoints: readonly AttachPoint[];
  settings?: ModuleSettings;
}

export interface PutRequest {
  name: string;
  bytes: Uint8Array;
  /** Default: those of the version replaced, else the interfaces the component exports. */
  attachPoints?: readonly AttachPoint[];
  /** Overrides over the version replaced (or the defaults). */
  settings?: Partial<ModuleSettings>;
}

export interface PutResult {
  readonly record: ModuleRecord;
  readonly result: 'created' | 'replaced' | 'unchanged';
  readonly replaced: ModuleRecord | undefined;
}

export interface RestoreReport {
  readonly loaded: number;
  readonly failed: number;
}

/** What a request holds from start to end: the chain it runs, kept alive until release(). */
export interface ChainLease {
  readonly snapshot: ChainSnapshot;
  release(): void;
}

const EMPTY_LEASE: ChainLease = Object.freeze({ snapshot: EMPTY_CHAIN, release() {} });

export class ModuleRegistry {
  readonly #loader: ModuleLoader;
  readonly #store: ModuleStore;
  readonly #defaultLimits: GuestLimits;
  readonly #defaultPoolSize: number;
  readonly #log: Logger;
  readonly #records = new Map<string, ModuleRecord>();
  readonly #closing = new Set<Promise<void>>();
  /** Cumulative over every module and attach point since start; never reset, unaffected by removal (as SMG). */
  readonly totals = new ExecutionStats();
  #snapshot: ChainSnapshot = EMPTY_CHAIN;
  #nextOrder = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  /** Set once open() restored the index: only then may close() write it back. */
  #opened = false;
  #closePromise: Promise<void> | undefined;

  constructor(options: ModuleRegistryOptions) {
    this.#loader = options.loader;
    this.#store = options.store;
    this.#defaultLimits = options.defaultLimits ?? DEFAULT_LIMITS;
    this.#defaultPoolSize = options.defaultPoolSize ?? DEFAULT_POOL_SIZE;
    this.#log = options.logger ?? pino({ level: 'silent' });
  }

  get storeDescription(): string {
    return this.#store.description;
  }

  /** Where uploaded bytes with this sha256 are kept (the `file_path` GET /wasm shows for them). */
  locationOf(sha256: string): string {
    return this.#store.locationOf(sha256);
  }

  /** Opens the store and reloads every saved module through the loader. */
  open(): Promise<RestoreReport> {
    return this.#exclusive(async () => {
      await this.#store.open();
      const index = await this.#store.readIndex();
      if (!index) {
        this.#opened = true;
        return { loaded: 0, failed: 0 };
      }
      this.#nextOrder = index.next_order;
      let failed = 0;
      for (const stored of index.modules) {
        const record = await this.#restoreOne(stored);
        if (record.status === 'failed') failed++;
        this.#records.set(record.uuid, record);
      }
      this.#rebuild();
      this.#opened = true;
      await this.#collectUnusedBytes();
      return { loaded: index.modules.length - failed, failed };
    });
  }

  /** Registers a new module (SMG's POST /wasm). Throws WG_ERR_REGISTRY_DUPLICATE, a loader error or WG_ERR_REGISTRY_STORE. */
  register(request: RegisterRequest): Promise<ModuleRecord> {
    return this.#exclusive(async () => {
      const sha256 = sha256Hex(request.bytes);
      this.#checkDuplicate(sha256, undefined);
      const settings = request.settings ?? DEFAULT_MODULE_SETTINGS;
      const { module, limits, poolSize } = await this.#load(request.name, request.bytes, settings);
      const record = new ModuleRecord(
        this.#init(request.name, request.filePath ?? this.#store.locationOf(sha256), sha256, request.bytes, request.attachPoints, settings, limits, poolSize, this.#nextOrder),
        { module },
      );
      await this.#commit(record, undefined, request.bytes);
      this.#nextOrder++;
      return record;
    }, true);
  }

  /**
   * Creates or replaces the module called `name` (PUT /wasm/{name}). A replacement takes the old
   * version's place in the chain; requests already running finish on the old version, which is
   * closed once the last of them is done.
   */
  put(request: PutRequest): Promise<PutResult> {
    return this.#exclusive(async () => {
      const named = [...this.#records.values()].filter((r) => r.name === request.name);
      if (named.length > 1) {
        throw new WasmgateError(
          'WG_ERR_REGISTRY_AMBIGUOUS_NAME',
          `${named.length} modules are named "${request.name}" (${named.map((r) => r.uuid).join(', ')}); DELETE the extra ones by UUID before replacing by name`,
        );
      }
      const old = named[0];
      const sha256 = sha256Hex(request.bytes);
      const unchangedSettings = request.attachPoints === undefined && (request.settings === undefined || Object.keys(request.settings).length === 0);
      if (old && old.sha256 === sha256 && old.status === 'loaded' && unchangedSettings) {
        return { record: old, result: 'unchanged', replaced: undefined };
      }
      this.#checkDuplicate(sha256, old);
      const settings: ModuleSettings = Object.freeze({ ...(old?.settings ?? DEFAULT_MODULE_SETTINGS), ...request.settings });
      const { module, limits, poolSize } = await this.#load(request.name, request.bytes, settings);
      const attachPoints = request.attachPoints ?? old?.attachPoints ?? ModuleRegistry.#exportedPoints(module);
      const order = old?.order ?? this.#nextOrder;
      const record = new ModuleRecord(
        this.#init(request.name, this.#store.locationOf(sha256), sha256, request.bytes, attachPoints, settings, limits, poolSize, order),
        { module },
      );
      await this.#commit(record, old, request.bytes);
      if (!old) this.#nextOrder++;
      return { record, result: old ? 'replaced' : 'created', replaced: old };
    }, true);
  }

  /** Removes a module. Throws WG_ERR_REGISTRY_NOT_FOUND. */
  remove(uuid: string): Promise<ModuleRecord> {
    return this.#exclusive(async () => {
      const record = this.#records.get(uuid);
      if (!record) throw new WasmgateError('WG_ERR_REGISTRY_NOT_FOUND', `Module with UUID ${uuid} not found`);
      await this.#writeIndex([...this.#records.values()].filter((r) => r !== record));
      this.#records.delete(uuid);
      this.#rebuild();
      await this.#retire(record);
      return record;
    }, true);
  }

  get(uuid: string): ModuleRecord | undefined {
    return this.#records.get(uuid);
  }

  /** Every module, failed ones included, in execution order. */
  list(): ModuleRecord[] {
    return [...this.#records.values()].sort(compareExecutionOrder);
  }

  get size(): number {
    return this.#records.size;
  }

  /** The chain for one request. Call release() when the request is done (exactly once). */
  acquire(): ChainLease {
    const snapshot = this.#snapshot;
    if (snapshot.records.length === 0) return EMPTY_LEASE;
    for (const record of snapshot.records) record.lease();
    let released = false;
    return {
      snapshot,
      release() {
        if (released) return;
        released = true;
        for (const record of snapshot.records) record.unlease();
      },
    };
  }

  /** Counts one guest call for the module and the global totals. */
  recordExecution(record: ModuleRecord, durationUs: number, failure?: FailureKind): void {
    record.recordExecution(durationUs, failure);
    this.totals.record(durationUs, failure);
  }

  /** Saves the index (access counters included), then closes every module once its requests are done. */
  close(): Promise<void> {
    this.#closePromise ??= this.#exclusive(async () => {
      this.#closed = true;
      if (this.#opened) {
        try {
          await this.#writeIndex([...this.#records.values()]);
        } catch (err) {
          this.#log.error({ err }, 'could not save the module index on close');
        }
      }
      const records = [...this.#records.values()];
      this.#records.clear();
      this.#rebuild();
      for (const record of records) this.#retireQuietly(record);
      await Promise.all([...this.#closing]);
      await this.#store.close();
    });
    return this.#closePromise;
  }

  // --- internals -----------------------------------------------------------------------------

  #exclusive<T>(task: () => Promise<T>, requiresOpen = false): Promise<T> {
    const run = this.#queue.then(() => {
      if (this.#closed) throw new WasmgateError('WG_ERR_POOL_CLOSED', 'the module registry is closed');
      if (requiresOpen && !this.#opened) throw new WasmgateError('WG_ERR_INTERNAL_BUG', 'the module registry is not open: call open() first');
      return task();
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #checkDuplicate(sha256: string, except: ModuleRecord | undefined): void {
    for (const record of this.#records.values()) {
      if (record !== except && record.sha256 === sha256) {
        throw new WasmgateError(
          'WG_ERR_REGISTRY_DUPLICATE',
          `Duplicate SHA256 hash detected: module with same sha256 already exists: ${sha256}`,
        );
      }
    }
  }

  async #load(name: string, bytes: Uint8Array, settings: ModuleSettings): Promise<{ module: LoadedModule; limits: GuestLimits; poolSize: number }> {
    const limits = resolveLimits(this.#defaultLimits, settings.limits);
    const poolSize = settings.poolSize ?? this.#defaultPoolSize;
    try {
      const module = await this.#loader.load(bytes, { name, limits, poolSize, config: settings.config });
      return { module, limits, poolSize };
    } catch (err) {
      throw asLoadError(err);
    }
  }

  static #exportedPoints(module: LoadedModule): AttachPoint[] {
    const points: AttachPoint[] = [];
    if (module.onRequest) points.push('OnRequest');
    if (module.onResponse) points.push('OnResponse');
    return points;
  }

  #init(
    name: string,
    filePath: string,
    sha256: string,
    bytes: Uint8Array,
    attachPoints: readonly AttachPoint[],
    settings: ModuleSettings,
    limits: GuestLimits,
    poolSize: number,
    order: number,
  ): ModuleRecordInit {
    const now = epochNanos();
    return { uuid: uuidv7(), name, filePath, sha256, sizeBytes: bytes.byteLength, createdAtNs: now, lastAccessedAtNs: now, accessCount: 0, attachPoints, order, settings, limits, poolSize };
  }

  /** Stores the bytes and the index, then makes `record` visible (replacing `old`). Nothing is visible on failure. */
  async #commit(record: ModuleRecord, old: ModuleRecord | undefined, bytes: Uint8Array): Promise<void> {
    try {
      await this.#store.putBytes(record.sha256, bytes);
      const next = [...this.#records.values()].filter((r) => r !== old);
      next.push(record);
      await this.#writeIndex(next);
    } catch (err) {
      this.#retireQuietly(record);
      throw err;
    }
    if (old) this.#records.delete(old.uuid);
    this.#records.set(record.uuid, record);
    this.#rebuild();
    if (old) await this.#retire(old);
  }

  #rebuild(): void {
    this.#snapshot = buildChainSnapshot(this.#records.values());
  }

  async #retire(record: ModuleRecord): Promise<void> {
    this.#retireQuietly(record);
    const stillUsed = [...this.#records.values()].some((r) => r.sha256 === record.sha256);
    if (!stillUsed) {
      await this.#store.deleteBytes(record.sha256).catch((err: unknown) => {
        this.#log.warn({ err, module: record.name, sha256: record.sha256 }, 'could not delete module bytes');
      });
    }
  }

  /** Closes the record's module once no request holds it. */
  #retireQuietly(record: ModuleRecord): void {
    record.retire(() => {
      const module = record.module;
      if (!module) return;
      const closing = module
        .close()
        .catch((err: unknown) => this.#log.error({ err, module: record.name, uuid: record.uuid }, 'module close failed'))
        .finally(() => this.#closing.delete(closing));
      this.#closing.add(closing);
    });
  }

  async #writeIndex(records: Iterable<ModuleRecord>): Promise<void> {
    const modules: StoredModule[] = [...records].map(toStoredModule).sort((a, b) => a.order - b.order);
    const nextOrder = Math.max(this.#nextOrder, ...modules.map((m) => m.order + 1));
    const index: StoredIndex = { version: 1, next_order: nextOrder, modules };
    await this.#store.writeIndex(index);
  }

  #restoreOne(stored: StoredModule): Promise<ModuleRecord> {
    return restoreRecord(stored, {
      loader: this.#loader,
      store: this.#store,
      defaultLimits: this.#defaultLimits,
      defaultPoolSize: this.#defaultPoolSize,
      onFailure: (s, failure) =>
        this.#log.error({ module: s.name, uuid: s.uuid, code: failure.code, reason: failure.message }, 'module failed to load at startup; it stays listed as failed'),
    });
  }

  async #collectUnusedBytes(): Promise<void> {
    const used = new Set([...this.#records.values()].map((r) => r.sha256));
    for (const sha256 of await this.#store.listBytes()) {
      if (!used.has(sha256)) await this.#store.deleteBytes(sha256).catch(() => undefined);
    }
  }
}
