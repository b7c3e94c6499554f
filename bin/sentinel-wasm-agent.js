#!/usr/bin/env node
// Drop-in name of the upstream agent binary: same flags and env vars as `wasmgate sentinel-agent`.
import { main } from '../dist/cli/main.js';

main([process.argv[0], process.argv[1], 'sentinel-agent', ...process.argv.slice(2)]).catch((err) => {
  process.stderr.write(`sentinel-wasm-agent: ${err?.message ?? err}\n`);
  process.exitCode = process.exitCode || 1;
});
