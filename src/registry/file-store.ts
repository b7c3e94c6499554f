// The --data-dir: `registry.json` (the index, replaced atomically through a temp file + rename)
// and `modules/<sha256>.wasm` (module bytes, written the same way, so a crash never leaves a
// half-written module under its final name). A `lock` file holding the owner's pid keeps a second
// gateway from using the same directory.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { WasmgateError, describeError } from '../errors.js';
import { sha256Hex } from '../runtime/index.js';
import { parseStoredIndex, type ModuleStore, type StoredIndex } from './module-store.js';

const INDEX_FILE = 'registry.json';
const LOCK_FILE = 'lock';
const BYTES_DIR = 'modules';
const SHA256_FILE = /^([0-9a-f]{64})\.wasm$/;

function storeError(action: string, err: unknown): WasmgateError {
  return new WasmgateError('WG_ERR_REGISTRY_STORE', `${action}: ${describeError(err)}`, { cause: err });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Writes `data` to `path` atomically: temp file in the same directory, fsync, rename, fsync dir. */
async function writeAtomically(path: string, dir: string, data: Uint8Array | string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const file = await open(temp, 'w', 0o600);
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  const handle = await open(dir, 'r').catch(() => undefined);
  if (handle) {
    await handle.sync().catch(() => undefined);
    await handle.close();
  }
}

export class FileStore implements ModuleStore {
  readonly #dir: string;
  readonly #bytesDir: string;
  #locked = false;

  constructor(dir: string) {
    this.#dir = resolve(dir);
    this.#bytesDir = join(this.#dir, BYTES_DIR);
  }

  get description(): string {
    return this.#dir;
  }

  async open(): Promise<void> {
    try {
      await mkdir(this.#bytesDir, { recursive: true, mode: 0o700 });
    } catch (err) {
      throw storeError(`cannot create data dir ${this.#dir}`, err);
    }
    const lock = join(this.#dir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(lock, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
        this.#locked = true;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw storeError(`cannot lock data dir ${this.#dir}`, err);
      }
      const owner = Number((await readFile(lock, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new WasmgateError(
          'WG_ERR_REGISTRY_STORE',
          `data dir ${this.#dir} is in use by process ${owner}; give each gateway its own --data-dir`,
        );
      }
      if (owner === process.pid) {
        throw new WasmgateError('WG_ERR_REGISTRY_STORE', `data dir ${this.#dir} is already open in this process`);
      }
      await unlink(lock).catch(() => undefined); // stale: its owner is gone
    }
    throw new WasmgateError('WG_ERR_REGISTRY_STORE', `cannot lock data dir ${this.#dir}`);
  }

  async readIndex(): Promise<StoredIndex | undefined> {
    const path = join(this.#dir, INDEX_FILE);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw storeError(`cannot read ${path}`, err);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      throw storeError(`${path} is not JSON; fix or move it away to start with an empty registry`, err);
    }
    return parseStoredIndex(json, path);
  }

  async writeIndex(index: StoredIndex): Promise<void> {
    const path = join(this.#dir, INDEX_FILE);
    try {
      await writeAtomically(path, this.#dir, `${JSON.stringify(index, null, 2)}\n`);
    } catch (err) {
      throw storeError(`cannot write ${path}`, err);
    }
  }

  #bytesPath(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new WasmgateError('WG_ERR_INTERNAL_BUG', `not a sha256: ${sha256}`);
    return join(this.#bytesDir, `${sha256}.wasm`);
  }

  async putBytes(sha256: string, bytes: Uint8Array): Promise<void> {
    const path = this.#bytesPath(sha256);
    const existing = await this.getBytes(sha256).catch(() => undefined);
    if (existing && sha256Hex(existing) === sha256) return; // already there and intact
    try {
      await writeAtomically(path, this.#bytesDir, bytes);
    } catch (err) {
      throw storeError(`cannot write ${path}`, err);
    }
  }

  async getBytes(sha256: string): Promise<Uint8Array | undefined> {
    const path = this.#bytesPath(sha256);
    try {
      return new Uint8Array(await readFile(path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw storeError(`cannot read ${path}`, err);
    }
  }

  async deleteBytes(sha256: string): Promise<void> {
    const path = this.#bytesPath(sha256);
    try {
      await rm(path, { force: true });
    } catch (err) {
      throw storeError(`cannot delete ${path}`, err);
    }
  }

  async listBytes(): Promise<string[]> {
    try {
      return (await readdir(this.#bytesDir)).flatMap((f) => {
        const m = SHA256_FILE.exec(f);
        return m ? [m[1]!] : [];
      });
    } catch (err) {
      throw storeError(`cannot list ${this.#bytesDir}`, err);
    }
  }

  locationOf(sha256: string): string {
    return this.#bytesPath(sha256);
  }

  async close(): Promise<void> {
    if (!this.#locked) return;
    this.#locked = false;
    await unlink(join(this.#dir, LOCK_FILE)).catch(() => undefined);
  }
}
