// Enforces the one-way layering: runtime <- abi <- registry <- {gateway, sentinel} <- cli.
// errors.ts, config/ and types/ import no layer. Across layers only a layer's index.ts is imported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';

const src = resolve(import.meta.dirname, '../src');
const RANK: Record<string, number> = { runtime: 1, abi: 2, registry: 3, gateway: 4, sentinel: 4, cli: 5, 'index.ts': 6 };
const NEUTRAL = new Set(['errors.ts', 'config', 'types']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const full = join(dir, e);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

function layerOf(path: string): string {
  return relative(src, path).split('/')[0]!;
}

const imports = files(src).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)].map((m) => ({
    file,
    target: resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')),
  })),
);

test('layers import only downward: runtime <- abi <- registry <- front doors <- cli', () => {
  const bad = imports.filter(({ file, target }) => {
    const from = layerOf(file);
    const to = layerOf(target);
    if (from === to || NEUTRAL.has(to)) return false;
    if (NEUTRAL.has(from)) return true;
    return (RANK[to] ?? 0) >= (RANK[from] ?? 0);
  });
  assert.deepEqual(bad.map((b) => `${relative(src, b.file)} -> ${relative(src, b.target)}`), []);
});

test('the gateway and the sentinel agent never import each other', () => {
  const bad = imports.filter(({ file, target }) => {
    const pair = [layerOf(file), layerOf(target)].sort().join('/');
    return pair === 'gateway/sentinel';
  });
  assert.deepEqual(bad.map((b) => relative(src, b.file)), []);
});

test('across layers only a layer index.ts is imported', () => {
  const bad = imports.filter(({ file, target }) => {
    const from = layerOf(file);
    const to = layerOf(target);
    if (from === to || NEUTRAL.has(to)) return false;
    return relative(join(src, to), target) !== 'index.ts';
  });
  assert.deepEqual(bad.map((b) => `${relative(src, b.file)} -> ${relative(src, b.target)}`), []);
});
