#!/usr/bin/env node
// Runs every test/**/*.test.ts with Node's test runner through tsx.
// Node 20's `--test` does not expand globs nor pick up .ts files, so the list is built here.
// Usage: npm test [-- <path-substring> ...] runs only files whose path contains one of the substrings.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...collect(full));
    else if (entry.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = collect('test')
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// A test that hangs fails its file after FILE_TIMEOUT_MS (Node 20 applies --test-timeout to each
// file as a whole), so CI gets a summary naming it instead of running into its own time limit.
const FILE_TIMEOUT_MS = 10 * 60 * 1000;
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', `--test-timeout=${FILE_TIMEOUT_MS}`, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
