// The WIT a component is embedded with, and the imports a core module may have. The SDK's worlds
// (../wit/worlds.wit) are SMG's `smg` / `storage-hook` plus two optional imports; WIT drops every
// import the module does not use, so a module that never calls `config` or `clock` becomes a
// component for the plain SMG world.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const WIT_DIR = join(import.meta.dirname, '..', 'wit');

/** Build target -> world in ../wit/worlds.wit. */
export const WORLDS = Object.freeze({ smg: 'smg-guest', storage: 'storage-guest' });

/** What a core module may import: interface -> functions (with a hint for the usual mistakes). */
export const ALLOWED_IMPORTS = Object.freeze({
  'wasmgate:guest/config@0.1.0': new Set(['get-json', 'get']),
  'wasi:clocks/wall-clock@0.2.0': new Set(['now', 'resolution']),
});

const HINTS = Object.freeze({
  'env.abort': 'build with the SDK flags (--use abort=), which turn abort into a trap',
  'env.seed': 'Math.random needs a seed import components do not have; derive randomness from the request instead',
  'env.trace': 'trace() has no component equivalent; remove it',
});

/** `package x;` file text as a nested `package x { ... }` block. */
function nested(file) {
  const text = readFileSync(join(WIT_DIR, file), 'utf8');
  const m = /^package\s+([^;\s]+)\s*;/m.exec(text);
  if (!m) throw new Error(`${file}: no package declaration`);
  return `package ${m[1]} {\n${text.slice(0, m.index)}${text.slice(m.index + m[0].length)}\n}\n`;
}

let source;

/** All of ../wit as one WIT text (the worlds package first, the others nested). */
export function witSource() {
  source ??= [
    readFileSync(join(WIT_DIR, 'worlds.wit'), 'utf8'),
    nested('smg-gateway.wit'),
    nested('smg-storage.wit'),
    nested('wasmgate-guest.wit'),
    nested('wasi-clocks.wit'),
  ].join('\n');
  return source;
}

/** The WIT files the build depends on (for up-to-date checks). */
export const WIT_FILES = Object.freeze(['worlds.wit', 'smg-gateway.wit', 'smg-storage.wit', 'wasmgate-guest.wit', 'wasi-clocks.wit'].map((f) => join(WIT_DIR, f)));

/**
 * The interfaces `core` imports. Throws naming the first import a component cannot have.
 * @param {Uint8Array} core
 * @returns {string[]}
 */
export function checkImports(core) {
  const interfaces = new Set();
  for (const { module, name, kind } of WebAssembly.Module.imports(new WebAssembly.Module(core))) {
    const allowed = ALLOWED_IMPORTS[module];
    if (kind !== 'function' || !allowed?.has(name)) {
      const hint = HINTS[`${module}.${name}`];
      throw new Error(`the module imports ${module}.${name} (${kind}), which a wasmgate component cannot import${hint ? `: ${hint}` : ''}`);
    }
    interfaces.add(module);
  }
  return [...interfaces].sort();
}
