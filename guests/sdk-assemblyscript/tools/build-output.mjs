// Incremental builds: an output is rebuilt only when a source is newer, and is written atomically
// (temp file + rename) so a concurrent reader never sees half a module.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Every file under `dir` (recursively), skipping dot-folders and node_modules. */
export function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else out.push(full);
  }
  return out;
}

/** True when `outFile` exists and is newer than every one of `sources` (files or folders). */
export function isUpToDate(outFile, sources) {
  if (!existsSync(outFile)) return false;
  const built = statSync(outFile).mtimeMs;
  for (const source of sources) {
    const files = statSync(source).isDirectory() ? filesUnder(source) : [source];
    for (const file of files) if (statSync(file).mtimeMs >= built) return false;
  }
  return true;
}

/** Writes bytes to `outFile` atomically. */
export function writeOutput(outFile, bytes) {
  mkdirSync(dirname(outFile), { recursive: true });
  const temp = `${outFile}.${process.pid}.tmp`;
  writeFileSync(temp, bytes);
  renameSync(temp, outFile);
}
