#!/usr/bin/env node
// Builds every guest from source (npm packages only) into build/guests/<area>/.
// Each area folder under guests/ that has a build.mjs exporting `build({ outDir, log })` is built,
// in sorted order. Nothing built here is committed.
import { readdirSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const guestsDir = join(root, 'guests');
const only = process.argv.slice(2);
const started = performance.now();
for (const area of readdirSync(guestsDir).sort()) {
  const script = join(guestsDir, area, 'build.mjs');
  if (!existsSync(script) || (only.length > 0 && !only.includes(area))) continue;
  const outDir = join(root, 'build', 'guests', area);
  mkdirSync(outDir, { recursive: true });
  const t0 = performance.now();
  const { build } = await import(pathToFileURL(script).href);
  await build({ outDir, root, log: (msg) => console.log(`[guests/${area}] ${msg}`) });
  console.log(`[guests/${area}] built in ${Math.round(performance.now() - t0)} ms`);
}
console.log(`guests built in ${Math.round(performance.now() - started)} ms`);
