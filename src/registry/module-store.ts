// Where the registry keeps what must survive a restart: an index of module records and each
// module's bytes, stored by sha256. Implementations: FileStore (the --data-dir) and MemoryStore
// (no persistence, for embedding and tests).
import { z } from 'zod';
import { WasmgateError } from '../errors.js';
import { ATTACH_POINTS } from './attach-point.js';

const storedModuleSchema = z.object({
  uuid: z.string(),
  name: z.string(),
  file_path: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size_bytes: z.number().int().nonnegative(),
  created_at_ns: z.string().regex(/^\d+$/),
  last_accessed_at_ns: z.string().regex(/^\d+$/),
  access_count: z.number().int().nonnegative(),
  attach_points: z.array(z.enum(ATTACH_POINTS)),
  order: z.number().int().nonnegative(),
  settings: z.record(z.string(), z.unknown()),
});

const storedIndexSchema = z.object({
  version: z.literal(1),
  next_order: z.number().int().nonnegative(),
  modules: z.array(storedModuleSchema),
});

export type StoredModule = z.infer<typeof storedModuleSchema>;
export type StoredIndex = z.infer<typeof storedIndexSchema>;

export interface ModuleStore {
  /** Where the data lives, for logs and messages. */
  readonly description: string;
  /** Takes ownership (FileStore: a lock file, so two gateways never share one data dir). */
  open(): Promise<void>;
  /** The saved index, or undefined when nothing was ever saved. Throws WG_ERR_REGISTRY_STORE if unreadable. */
  readIndex(): Promise<StoredIndex | undefined>;
  /** Replaces the index atomically: a crash leaves the old or the new one, never a mix. */
  writeIndex(index: StoredIndex): Promise<void>;
  /** Stores bytes under their sha256 (idempotent). */
  putBytes(sha256: string, bytes: Uint8Array): Promise<void>;
  getBytes(sha256: string): Promise<Uint8Array | undefined>;
  deleteBytes(sha256: string): Promise<void>;
  /** Every sha256 that has bytes stored. */
  listBytes(): Promise<string[]>;
  /** What GET /wasm shows as `file_path` for a module uploaded as bytes. */
  locationOf(sha256: string): string;
  close(): Promise<void>;
}

/** Validates an index read back from storage. */
export function parseStoredIndex(value: unknown, where: string): StoredIndex {
  const parsed = storedIndexSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WasmgateError(
      'WG_ERR_REGISTRY_STORE',
      `module index ${where} is not valid (${issue.path.join('.') || 'top level'}: ${issue.message}); fix or move it away to start with an empty registry`,
    );
  }
  return parsed.data;
}
