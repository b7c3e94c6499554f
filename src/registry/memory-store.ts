// A ModuleStore that keeps everything in memory: nothing survives the process.
import type { ModuleStore, StoredIndex } from './module-store.js';

export class MemoryStore implements ModuleStore {
  readonly description = 'memory (not persisted)';
  #index: StoredIndex | undefined;
  readonly #bytes = new Map<string, Uint8Array>();

  async open(): Promise<void> {}

  async readIndex(): Promise<StoredIndex | undefined> {
    return this.#index === undefined ? undefined : structuredClone(this.#index);
  }

  async writeIndex(index: StoredIndex): Promise<void> {
    this.#index = structuredClone(index);
  }

  async putBytes(sha256: string, bytes: Uint8Array): Promise<void> {
    if (!this.#bytes.has(sha256)) this.#bytes.set(sha256, bytes.slice());
  }

  async getBytes(sha256: string): Promise<Uint8Array | undefined> {
    return this.#bytes.get(sha256);
  }

  async deleteBytes(sha256: string): Promise<void> {
    this.#bytes.delete(sha256);
  }

  async listBytes(): Promise<string[]> {
    return [...this.#bytes.keys()];
  }

  locationOf(sha256: string): string {
    return `memory:sha256/${sha256}`;
  }

  async close(): Promise<void> {}
}
