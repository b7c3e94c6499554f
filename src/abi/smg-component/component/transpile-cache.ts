// The on-disk form of a transpiled component: one directory per sha256 under a folder named for the
// jco version and glue format, holding the glue (`component.mjs`), the core modules, the .d.ts files
// and a manifest with each file's sha256. Written to a temporary directory and renamed into place,
// so a reader never sees half a directory and concurrent writers of the same sha256 are harmless.
// Files are verified against the manifest on read: the glue is code we import.
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../../../runtime/index.js';
import type { TranspileOutput } from './transpile-worker.js';

/** Bump when the stored glue changes shape (patches applied, options passed to jco). */
const GLUE_FORMAT = 'wg1';

let versionDir: string | undefined;
/** `jco-1.15.4-wg1`: cached output of another jco version or glue format is never reused. */
export function cacheVersion(): string {
  if (!versionDir) {
    const main = createRequire(import.meta.url).resolve('@bytecodealliance/jco');
    const pkg = JSON.parse(readFileSync(join(dirname(main), '..', 'package.json'), 'utf8')) as { version: string };
    versionDir = `jco-${pkg.version}-${GLUE_FORMAT}`;
  }
  return versionDir;
}

export interface StoredTranspile {
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** sha256 (hex) of each file, by name. */
  readonly digests: ReadonlyMap<string, string>;
  readonly imports: readonly string[];
  readonly exports: TranspileOutput['exports'];
  /** Time the original transpile took. */
  readonly transpileMs: number;
}

interface Manifest {
  sha256: string;
  imports: string[];
  exports: Array<[string, 'function' | 'instance']>;
  transpileMs: number;
  files: Record<string, string>;
}

export function entryDir(cacheDir: string, sha256: string): string {
  return join(cacheDir, cacheVersion(), sha256);
}

/** Reads a stored transpile; undefined when absent; throws when present but not intact. */
export async function readStored(cacheDir: string, sha256: string): Promise<StoredTranspile | undefined> {
  const dir = entryDir(cacheDir, sha256);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
  if (manifest.sha256 !== sha256) throw new Error(`manifest names ${manifest.sha256}`);
  const files = new Map<string, Uint8Array>();
  const digests = new Map<string, string>();
  for (const [name, digest] of Object.entries(manifest.files)) {
    if (name.includes('..') || name.startsWith('/')) throw new Error(`bad file name ${name}`);
    const bytes = new Uint8Array(await readFile(join(dir, name)));
    if (sha256Hex(bytes) !== digest) throw new Error(`${name} does not match its sha256`);
    files.set(name, bytes);
    digests.set(name, digest);
  }
  return { files, digests, imports: manifest.imports, exports: manifest.exports, transpileMs: manifest.transpileMs };
}

/** Stores a transpile atomically; a directory already in place (another writer) is kept. */
export async function writeStored(cacheDir: string, sha256: string, stored: StoredTranspile): Promise<void> {
  const parent = join(cacheDir, cacheVersion());
  await mkdir(parent, { recursive: true });
  const tmp = await mkdtemp(join(parent, `${sha256}.tmp-`));
  try {
    const manifest: Manifest = {
      sha256,
      imports: [...stored.imports],
      exports: stored.exports.map(([n, k]) => [n, k]),
      transpileMs: Math.round(stored.transpileMs),
      files: {},
    };
    for (const [name, bytes] of stored.files) {
      await mkdir(dirname(join(tmp, name)), { recursive: true });
      await writeFile(join(tmp, name), bytes);
      manifest.files[name] = stored.digests.get(name) ?? sha256Hex(bytes);
    }
    await writeFile(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 1));
    await rename(tmp, entryDir(cacheDir, sha256)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Removes a damaged entry so the next load writes a fresh one. */
export async function removeStored(cacheDir: string, sha256: string): Promise<void> {
  await rm(entryDir(cacheDir, sha256), { recursive: true, force: true });
}
