// One registered module: what GET /wasm lists (SMG's metadata plus wasmgate's settings and
// counters), the loaded guest, and how many requests still hold it (so a replaced or removed
// version is closed only once the last request using it is done).
import type { GuestLimits } from '../runtime/index.js';
import type { AttachPoint } from './attach-point.js';
import { epochNanosAt, monotonicMs } from './epoch-nanos.js';
import { ExecutionStats, type FailureKind } from './execution-stats.js';
import type { LoadedModule } from './module-loader.js';
import type { ModuleSettings } from './module-settings.js';

export type ModuleStatus = 'loaded' | 'failed';

export interface LoadFailure {
  readonly code: string;
  readonly message: string;
}

export interface ModuleRecordInit {
  uuid: string;
  name: string;
  filePath: string;
  sha256: string;
  sizeBytes: number;
  createdAtNs: bigint;
  lastAccessedAtNs: bigint;
  accessCount: number;
  attachPoints: readonly AttachPoint[];
  order: number;
  settings: ModuleSettings;
  limits: GuestLimits;
  poolSize: number;
}

export class ModuleRecord {
  readonly uuid: string;
  readonly name: string;
  /** As given in the descriptor (SMG echoes it verbatim), or the store location for uploads. */
  readonly filePath: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly createdAtNs: bigint;
  /** As given, duplicates kept (SMG lists them as registered). */
  readonly attachPoints: readonly AttachPoint[];
  /** Registration order; a replacement keeps the order of the version it replaces. */
  readonly order: number;
  readonly settings: ModuleSettings;
  /** Effective limits (gateway defaults overridden by the descriptor's). */
  readonly limits: GuestLimits;
  readonly poolSize: number;
  readonly stats = new ExecutionStats();
  readonly module: LoadedModule | undefined;
  readonly loadFailure: LoadFailure | undefined;

  /** The last access as stored, before this process's first call (then #lastAccessMs rules). */
  #storedLastAccessNs: bigint;
  /** monotonicMs() of the latest call in this process, NaN before the first: a number, so noting an access costs no BigInt. */
  #lastAccessMs = Number.NaN;
  #accessCount: number;
  #leases = 0;
  #retired = false;
  #onIdle: (() => void) | undefined;

  constructor(init: ModuleRecordInit, loaded: { module: LoadedModule } | { failure: LoadFailure }) {
    this.uuid = init.uuid;
    this.name = init.name;
    this.filePath = init.filePath;
    this.sha256 = init.sha256;
    this.sizeBytes = init.sizeBytes;
    this.createdAtNs = init.createdAtNs;
    this.attachPoints = Object.freeze([...init.attachPoints]);
    this.order = init.order;
    this.settings = init.settings;
    this.limits = init.limits;
    this.poolSize = init.poolSize;
    this.#storedLastAccessNs = init.lastAccessedAtNs;
    this.#accessCount = init.accessCount;
    this.module = 'module' in loaded ? loaded.module : undefined;
    this.loadFailure = 'failure' in loaded ? loaded.failure : undefined;
  }

  get status(): ModuleStatus {
    return this.module ? 'loaded' : 'failed';
  }

  get lastAccessedAtNs(): bigint {
    return Number.isNaN(this.#lastAccessMs) ? this.#storedLastAccessNs : epochNanosAt(this.#lastAccessMs);
  }

  get accessCount(): number {
    return this.#accessCount;
  }

  isAttachedTo(point: AttachPoint): boolean {
    return this.attachPoints.includes(point);
  }

  /** Counted before the call, so failed calls count as accesses (as SMG). */
  noteAccess(): void {
    this.#accessCount++;
    this.#lastAccessMs = monotonicMs();
  }

  recordExecution(durationUs: number, failure?: FailureKind): void {
    this.stats.record(durationUs, failure);
  }

  // Leases: a request holds every record of the chain it started with until it is done.

  lease(): void {
    this.#leases++;
  }

  unlease(): void {
    this.#leases--;
    if (this.#leases === 0 && this.#retired) this.#fireIdle();
  }

  /** Marks the record as no longer in the chain; `onIdle` runs once no request holds it. */
  retire(onIdle: () => void): void {
    if (this.#retired) return;
    this.#retired = true;
    this.#onIdle = onIdle;
    if (this.#leases === 0) this.#fireIdle();
  }

  get retired(): boolean {
    return this.#retired;
  }

  #fireIdle(): void {
    const fire = this.#onIdle;
    this.#onIdle = undefined;
    fire?.();
  }
}
