// Test helper (not a test): builds the component guests from source (incremental, see
// guests/components/build.mjs) once per test process and hands out their bytes.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ComponentLog } from '../../../../src/abi/smg-component/component/component-log.js';

export const ROOT = resolve(import.meta.dirname, '../../../..');
export const GUEST_DIR = join(ROOT, 'build', 'guests', 'components');
/** Transpiled components kept across test runs (the componentize-js ones take ~8 s each to transpile). */
export const SHARED_CACHE_DIR = join(ROOT, 'build', 'cache', 'components');

let built: Promise<void> | undefined;

/** Builds every component guest that is out of date; shared by all tests in this process. */
export function buildGuests(): Promise<void> {
  built ??= (async () => {
    const { build } = (await import(pathToFileURL(join(ROOT, 'guests', 'components', 'build.mjs')).href)) as {
      build(options: { outDir: string; root: string; log?: (msg: string) => void }): Promise<void>;
    };
    await build({ outDir: GUEST_DIR, root: ROOT });
  })();
  return built;
}

export async function guestBytes(name: string): Promise<Uint8Array> {
  await buildGuests();
  return new Uint8Array(readFileSync(join(GUEST_DIR, `${name}.wasm`)));
}

export interface LogEntry {
  event: string;
  fields: Record<string, unknown>;
}

/** A ComponentLog that keeps what it gets. */
export function collectingLog(): { log: ComponentLog; entries: LogEntry[]; events(name: string): LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    log: (event, fields) => entries.push({ event, fields }),
    entries,
    events: (name) => entries.filter((e) => e.event === name),
  };
}

export const text = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8'));
