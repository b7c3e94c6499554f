// Turns component bytes into something we can instantiate: checks the binary is a component,
// transpiles it with jco on a worker thread, caches the result by sha256 in memory and (with a
// cache directory) on disk, and imports the generated glue once per sha256 per process.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { WasmgateError, describeError } from '../../../errors.js';
import { expectWasmKind, sha256Hex } from '../../../runtime/index.js';
import { silentLog, type ComponentLog } from './component-log.js';
import { checkCoreNames } from './core-names.js';
import { analyseGlue, patchGlue, type GlueAnalysis } from './glue-analysis.js';
import { entryDir, readStored, removeStored, writeStored, type StoredTranspile } from './transpile-cache.js';
import { GLUE_BASE_NAME, transpileOffThread } from './transpile-worker.js';
import type { TranspiledShape } from './world-check.js';

/** The generated `instantiate` (jco 1.15, `instantiation: 'async'`). */
export type GlueInstantiate = (
  getCoreModule: (name: string) => Promise<WebAssembly.Module>,
  imports: Record<string, unknown>,
  instantiateCore: (module: WebAssembly.Module, imports?: WebAssembly.Imports) => Promise<WebAssembly.Instance>,
) => Promise<Record<string, Record<string, (...args: never[]) => unknown>>>;

export type ArtifactSource = 'transpiled' | 'disk' | 'memory';

export interface ComponentArtifact {
  readonly sha256: string;
  readonly size: number;
  /** Where this load found the transpiled form. */
  readonly source: ArtifactSource;
  /** Milliseconds this load spent transpiling (0 when cached). */
  readonly transpileMs: number;
  readonly shape: TranspiledShape;
  readonly coreModules: ReadonlyMap<string, Uint8Array>;
  /** sha256 (hex) of each core module, handed to compileCore so the runtime need not hash again. */
  readonly coreModuleSha256: ReadonlyMap<string, string>;
  readonly analysis: GlueAnalysis;
  readonly instantiate: GlueInstantiate;
}

export interface ComponentLoaderOptions {
  /** Directory for transpiled output, reused across processes. Without it, only memory caching. */
  cacheDir?: string;
  log?: ComponentLog;
  /** Transpiled components kept in memory (least recently used dropped). */
  maxEntries?: number;
}

type Prepared = Omit<ComponentArtifact, 'source' | 'transpileMs'>;

const GLUE_FILE = `${GLUE_BASE_NAME}.mjs`;
const DEFAULT_MAX_ENTRIES = 64;

/** Glue modules by sha256: an ES module is evaluated once per process, whatever loaded it. */
const glueModules = new Map<string, Promise<GlueInstantiate>>();

function importGlue(sha256: string, source: string, file: string | undefined): Promise<GlueInstantiate> {
  let glue = glueModules.get(sha256);
  if (!glue) {
    const url = file ? pathToFileURL(file).href : `data:text/javascript;base64,${Buffer.from(source).toString('base64')}`;
    glue = import(url).then((m: { instantiate?: GlueInstantiate }) => {
      if (typeof m.instantiate !== 'function') throw new WasmgateError('WG_ERR_INTERNAL_BUG', 'generated component glue has no instantiate()');
      return m.instantiate;
    });
    glue.catch(() => glueModules.delete(sha256));
    glueModules.set(sha256, glue);
  }
  return glue;
}

export class ComponentLoader {
  readonly #cacheDir: string | undefined;
  readonly #log: ComponentLog;
  readonly #maxEntries: number;
  readonly #entries = new Map<string, Promise<Prepared>>();
  /** Counts for tests and diagnostics. */
  readonly stats = { transpiles: 0, diskHits: 0, memoryHits: 0 };

  static readonly #shared = new Map<string, ComponentLoader>();

  /** The process-wide loader for a cache directory (or for none); shares its memory cache. */
  static shared(cacheDir?: string): ComponentLoader {
    const key = cacheDir ?? '';
    let loader = ComponentLoader.#shared.get(key);
    if (!loader) {
      loader = new ComponentLoader({ cacheDir });
      ComponentLoader.#shared.set(key, loader);
    }
    return loader;
  }

  constructor(options: ComponentLoaderOptions = {}) {
    this.#cacheDir = options.cacheDir;
    this.#log = options.log ?? silentLog;
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  /**
   * Validates and transpiles (or finds cached) `bytes`. Throws WG_ERR_MODULE_INVALID or
   * WG_ERR_MODULE_KIND_MISMATCH. `log` (default: the loader's) receives this load's events.
   */
  async load(bytes: Uint8Array, options: { what?: string; log?: ComponentLog } = {}): Promise<ComponentArtifact> {
    const what = options.what ?? 'component';
    const log = options.log ?? this.#log;
    expectWasmKind(bytes, 'component', what);
    const sha256 = sha256Hex(bytes);
    const hit = this.#entries.get(sha256);
    if (hit) {
      this.#entries.delete(sha256);
      this.#entries.set(sha256, hit);
      this.stats.memoryHits++;
      return { ...(await hit), source: 'memory', transpileMs: 0 };
    }
    let source: ArtifactSource = 'transpiled';
    let transpileMs = 0;
    const job = this.#prepare(sha256, bytes, log, (s, ms) => {
      source = s;
      transpileMs = ms;
    });
    this.#entries.set(sha256, job);
    job.catch(() => this.#entries.delete(sha256));
    if (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    return { ...(await job), source, transpileMs };
  }

  async #prepare(sha256: string, bytes: Uint8Array, log: ComponentLog, report: (source: ArtifactSource, ms: number) => void): Promise<Prepared> {
    const cached = await this.#readDisk(sha256, log);
    const stored = cached ?? (await this.#transpile(sha256, bytes, log));
    // Before any glue is stored or imported: names jco copied into it unescaped must be harmless.
    for (const [name, content] of stored.files) if (name.endsWith('.wasm')) checkCoreNames(content, name);
    if (cached) {
      this.stats.diskHits++;
      report('disk', 0);
    } else {
      report('transpiled', stored.transpileMs);
      await this.#writeDisk(sha256, stored, log);
    }
    return this.#assemble(sha256, bytes.byteLength, stored);
  }

  async #readDisk(sha256: string, log: ComponentLog): Promise<StoredTranspile | undefined> {
    if (!this.#cacheDir) return undefined;
    try {
      return await readStored(this.#cacheDir, sha256);
    } catch (err) {
      log('component.cache-corrupt', { sha256, error: describeError(err) });
      await removeStored(this.#cacheDir, sha256).catch(() => {});
      return undefined;
    }
  }

  async #writeDisk(sha256: string, stored: StoredTranspile, log: ComponentLog): Promise<void> {
    if (!this.#cacheDir) return;
    try {
      await writeStored(this.#cacheDir, sha256, stored);
    } catch (err) {
      log('component.cache-write-failed', { sha256, error: describeError(err) });
    }
  }

  async #transpile(sha256: string, bytes: Uint8Array, log: ComponentLog): Promise<StoredTranspile> {
    this.stats.transpiles++;
    const started = performance.now();
    const out = await transpileOffThread(bytes);
    const transpileMs = performance.now() - started;
    log('component.transpiled', { sha256, bytes: bytes.byteLength, ms: Math.round(transpileMs) });
    const files = new Map<string, Uint8Array>();
    for (const [name, content] of Object.entries(out.files)) {
      if (name === `${GLUE_BASE_NAME}.js`) files.set(GLUE_FILE, new TextEncoder().encode(patchGlue(new TextDecoder().decode(content))));
      else if (name.endsWith('.wasm') || name.startsWith('interfaces/')) files.set(name, content);
    }
    if (!files.has(GLUE_FILE)) throw new WasmgateError('WG_ERR_INTERNAL_BUG', 'jco produced no glue for the component');
    const digests = new Map([...files].map(([name, content]) => [name, sha256Hex(content)]));
    return { files, digests, imports: out.imports, exports: out.exports, transpileMs };
  }

  async #assemble(sha256: string, size: number, stored: StoredTranspile): Promise<Prepared> {
    const glueText = new TextDecoder().decode(stored.files.get(GLUE_FILE));
    const analysis = analyseGlue(glueText);
    const coreModules = new Map<string, Uint8Array>();
    const coreModuleSha256 = new Map<string, string>();
    const declarations = new Map<string, string>();
    for (const [name, content] of stored.files) {
      if (name.endsWith('.wasm')) {
        coreModules.set(name, content);
        coreModuleSha256.set(name, stored.digests.get(name) ?? sha256Hex(content));
      }
      else if (name.endsWith('.d.ts')) declarations.set(name, new TextDecoder().decode(content));
    }
    const unknown = analysis.coreModules.filter((name) => !coreModules.has(name));
    if (unknown.length > 0 || /\bbase64Compile\b/.test(glueText)) {
      throw new WasmgateError('WG_ERR_INTERNAL_BUG', 'component glue compiles core modules wasmgate does not hand it; refusing to run it');
    }
    const onDisk = this.#cacheDir ? join(entryDir(this.#cacheDir, sha256), GLUE_FILE) : undefined;
    const instantiate = await importGlue(sha256, glueText, onDisk && existsSync(onDisk) ? onDisk : undefined);
    const shape: TranspiledShape = { exports: stored.exports, imports: stored.imports, declarations, importedMembers: analysis.imports };
    return { sha256, size, shape, coreModules, coreModuleSha256, analysis, instantiate };
  }
}
