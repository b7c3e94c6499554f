// Watches a module file for replacement. The directory is watched (not the file), so an atomic
// replace (write elsewhere, rename over) is seen; events are debounced, and a change is reported
// only when the content differs (a touch or a rewrite with the same bytes is not a change).
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';

export const DEFAULT_WATCH_DEBOUNCE_MS = 200;

export interface ModuleFileWatcherOptions {
  path: string;
  /** Called once per content change, after events have been quiet for `debounceMs`. */
  onChange(): void;
  logger: Logger;
  debounceMs?: number;
}

export interface ModuleFileWatcher {
  /** Resolves once the starting fingerprint has been taken. */
  readonly ready: Promise<void>;
  close(): void;
}

interface Fingerprint {
  mtimeMs: number;
  size: number;
  sha256: string;
}

async function fingerprint(path: string, previous: Fingerprint | undefined): Promise<Fingerprint | undefined> {
  try {
    const info = await stat(path);
    if (previous !== undefined && info.mtimeMs === previous.mtimeMs && info.size === previous.size) return previous;
    const sha256 = createHash('sha256').update(await readFile(path)).digest('hex');
    return { mtimeMs: info.mtimeMs, size: info.size, sha256 };
  } catch {
    return undefined; // mid-replace or removed: wait for the next event
  }
}

export function watchModuleFile(options: ModuleFileWatcherOptions): ModuleFileWatcher {
  const { path, onChange, logger } = options;
  const debounceMs = options.debounceMs ?? DEFAULT_WATCH_DEBOUNCE_MS;
  const name = basename(path);
  let current: Fingerprint | undefined;
  let timer: NodeJS.Timeout | undefined;
  let checking = Promise.resolve();
  let closed = false;

  const check = async (): Promise<void> => {
    const next = await fingerprint(path, current);
    if (closed || next === undefined || next === current) return;
    const changed = current === undefined || next.sha256 !== current.sha256;
    current = next;
    if (changed) {
      logger.info({ module: path, sha256: next.sha256 }, 'module file changed');
      onChange();
    } else {
      logger.debug({ module: path }, 'module file touched; content unchanged');
    }
  };

  const ready = fingerprint(path, undefined).then((first) => {
    current = first;
  });

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), (_event, filename) => {
      if (filename !== null && filename !== name) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        checking = checking.then(() => ready).then(check);
      }, debounceMs);
    });
    watcher.on('error', (err) => logger.warn({ err, module: path }, 'module file watcher failed; reload with SIGHUP'));
  } catch (err) {
    logger.warn({ err, module: path }, 'cannot watch the module file; reload with SIGHUP');
  }

  return {
    ready,
    close() {
      closed = true;
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
