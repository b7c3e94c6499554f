// Builds the component test guests from source into build/guests/components/<name>.wasm, with no
// Rust toolchain:
// - WAT guests: hand-written canonical-ABI core modules (wat/*.wat, sharing wat/prelude.wat),
//   assembled by jco's wasm-tools `parse`, then `componentEmbed` (WIT from /wit or ./wit) and
//   `componentNew`. A few KB each, built in well under a second.
// - JavaScript guests (js/*.js): componentize-js (SpiderMonkey inside, ~11 MB each, ~10 s each).
//   Pinned to @bytecodealliance/componentize-js 0.19.3 with jco 1.15.x: the newest jco
//   (1.35 with preview2-shim 0.26) failed on this machine with "os error 44".
// - "component" guests: a whole component written in WAT (wat/*.component.wat), assembled by
//   `parse` alone; for shapes componentNew would never produce (hostile core names).
// - "dummy" guests: wasm-tools' dummy module for a world (every function traps); used where only
//   the component's exports and imports matter (wrong world, wrong signature, unknown import).
// Incremental: a guest is rebuilt only when one of its inputs is newer than its output.
import { readFileSync, writeFileSync, statSync, existsSync, renameSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;

/** @typedef {{ kind: 'wat' | 'component' | 'js' | 'dummy', src?: string, wit?: string, world?: string, disableFeatures?: string[] }} GuestSpec */

/** @type {Record<string, GuestSpec>} */
export const GUESTS = {
  continue: { kind: 'wat', src: 'wat/continue.wat', wit: 'smg', world: 'smg' },
  'reject-401': { kind: 'wat', src: 'wat/reject-401.wat', wit: 'smg', world: 'smg' },
  'modify-request': { kind: 'wat', src: 'wat/modify-request.wat', wit: 'smg', world: 'smg' },
  'modify-response': { kind: 'wat', src: 'wat/modify-response.wat', wit: 'smg', world: 'smg' },
  echo: { kind: 'wat', src: 'wat/echo.wat', wit: 'smg', world: 'smg' },
  counter: { kind: 'wat', src: 'wat/counter.wat', wit: 'smg', world: 'smg' },
  trap: { kind: 'wat', src: 'wat/trap.wat', wit: 'smg', world: 'smg' },
  'infinite-loop': { kind: 'wat', src: 'wat/infinite-loop.wat', wit: 'smg', world: 'smg' },
  'memory-bomb': { kind: 'wat', src: 'wat/memory-bomb.wat', wit: 'smg', world: 'smg' },
  'bad-output': { kind: 'wat', src: 'wat/bad-output.wat', wit: 'smg', world: 'smg' },
  'on-request-only': { kind: 'wat', src: 'wat/on-request-only.wat', wit: 'smg', world: 'smg-on-request-only' },
  'wasi-probe-core': { kind: 'wat', src: 'wat/wasi-probe-core.wat', wit: 'wasi-probe', world: 'wasi-probe' },
  'storage-tenant': { kind: 'wat', src: 'wat/storage-tenant.wat', wit: 'storage', world: 'storage-hook' },
  'storage-passthrough': { kind: 'wat', src: 'wat/storage-passthrough.wat', wit: 'storage', world: 'storage-hook' },
  'storage-echo': { kind: 'wat', src: 'wat/storage-echo.wat', wit: 'storage', world: 'storage-hook' },
  'storage-trap': { kind: 'wat', src: 'wat/storage-trap.wat', wit: 'storage', world: 'storage-hook' },
  'storage-loop': { kind: 'wat', src: 'wat/storage-loop.wat', wit: 'storage', world: 'storage-hook' },
  'storage-after-trap': { kind: 'wat', src: 'wat/storage-after-trap.wat', wit: 'storage', world: 'storage-hook' },
  'wrong-world': { kind: 'dummy', wit: 'wrong-world', world: 'wrong' },
  'wrong-signature': { kind: 'dummy', wit: 'wrong-signature', world: 'smg-wrong-signature' },
  'imports-unknown': { kind: 'dummy', wit: 'wrong-world', world: 'imports-unknown' },
  injection: { kind: 'component', src: 'wat/injection.component.wat' },
  'js-modify': { kind: 'js', src: 'js/js-modify.js', wit: 'smg', world: 'smg' },
  'js-auth': { kind: 'js', src: 'js/js-auth.js', wit: 'smg', world: 'smg' },
  'js-loop': { kind: 'js', src: 'js/js-loop.js', wit: 'smg', world: 'smg', disableFeatures: ['stdio', 'random', 'clocks', 'http'] },
  'wasi-probe': { kind: 'js', src: 'js/wasi-probe.js', wit: 'smg', world: 'smg' },
};

/** WIT sources by key: file paths (for mtimes) and the text handed to componentEmbed. */
function witSources(root) {
  const smg = join(root, 'wit', 'smg-gateway.wit');
  const storage = join(root, 'wit', 'smg-storage.wit');
  const testWorlds = join(here, 'wit', 'test-worlds.wit');
  const probe = join(here, 'wit', 'wasi-probe.wit');
  const nested = (path) => {
    const text = readFileSync(path, 'utf8');
    const m = /^package\s+([^;\s]+)\s*;/m.exec(text);
    if (!m) throw new Error(`${path}: no package declaration`);
    return `package ${m[1]} {\n${text.replace(m[0], '')}\n}\n`;
  };
  return {
    smg: { files: [smg, testWorlds], text: () => readFileSync(smg, 'utf8') + '\n' + readFileSync(testWorlds, 'utf8') },
    storage: { files: [storage], text: () => readFileSync(storage, 'utf8') },
    'wrong-world': {
      files: [join(here, 'wit', 'wrong-world.wit'), smg],
      text: () => readFileSync(join(here, 'wit', 'wrong-world.wit'), 'utf8') + '\n' + nested(smg),
    },
    'wrong-signature': {
      files: [join(here, 'wit', 'wrong-signature.wit')],
      text: () => readFileSync(join(here, 'wit', 'wrong-signature.wit'), 'utf8'),
    },
    'wasi-probe': { files: [probe, smg], text: () => readFileSync(probe, 'utf8') + '\n' + nested(smg) },
  };
}

/**
 * Expands the WAT macros: ";;@prelude" and ";;@storage-prelude" splice in the shared helpers;
 * `(str "text")` becomes `(i32.const ptr) (i32.const len)`, `(str_ptr "text")` / `(str_len "text")`
 * one of them, with each distinct literal placed once in a data segment from offset 1024. Literals
 * are printable ASCII, plus the escapes \\n and \\t.
 */
/** Bytes of a WAT string literal (printable ASCII plus the escapes \\n and \\t). */
function byteLength(literal) {
  return literal.replace(/\\[nt]/g, '_').length;
}

export function expandWat(source) {
  let text = source
    .replace(';;@prelude', readFileSync(join(here, 'wat', 'prelude.wat'), 'utf8'))
    .replace(';;@storage-prelude', readFileSync(join(here, 'wat', 'storage-prelude.wat'), 'utf8'));
  const literals = new Map();
  let next = 1024;
  const place = (literal) => {
    if (/\\[^nt]/.test(literal) || /[^\x20-\x7e]/.test(literal)) throw new Error(`unsupported WAT literal ${JSON.stringify(literal)}`);
    let at = literals.get(literal);
    if (at === undefined) {
      at = next;
      literals.set(literal, at);
      next += byteLength(literal);
    }
    if (next > 65536) throw new Error('string literals overflow the first page');
    return at;
  };
  text = text.replace(/\((str|str_ptr|str_len) "([^"]*)"\)/g, (_, macro, literal) => {
    const ptr = place(literal);
    if (macro === 'str_ptr') return `(i32.const ${ptr})`;
    if (macro === 'str_len') return `(i32.const ${byteLength(literal)})`;
    return `(i32.const ${ptr}) (i32.const ${byteLength(literal)})`;
  });
  const data = [...literals].map(([literal, at]) => `  (data (i32.const ${at}) "${literal}")`).join('\n');
  const end = text.lastIndexOf(')');
  return `${text.slice(0, end)}\n${data}\n)\n`;
}

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

function writeAtomic(path, bytes) {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

async function buildWat(spec, wits, jco) {
  const core = await jco.parse(expandWat(readFileSync(join(here, spec.src), 'utf8')));
  const embedded = await jco.componentEmbed({ binary: core, witSource: wits[spec.wit].text(), world: spec.world });
  return jco.componentNew(embedded, []);
}

async function buildDummy(spec, wits, jco) {
  const embedded = await jco.componentEmbed({ dummy: true, witSource: wits[spec.wit].text(), world: spec.world });
  return jco.componentNew(embedded, []);
}

async function buildJs(spec, root) {
  const { componentize } = await import('@bytecodealliance/componentize-js');
  const witPath = spec.wit === 'smg' ? join(root, 'wit', 'smg-gateway.wit') : join(root, 'wit', 'smg-storage.wit');
  const { component } = await componentize({
    sourcePath: join(here, spec.src),
    witPath,
    worldName: spec.world,
    disableFeatures: spec.disableFeatures ?? [],
  });
  return component;
}

/** Runs `jobs` with at most `limit` in flight. */
async function pool(jobs, limit) {
  const queue = [...jobs];
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, async () => {
    while (queue.length > 0) await queue.shift()();
  }));
}

export async function build({ outDir, root, log = () => {}, only } = {}) {
  mkdirSync(outDir, { recursive: true });
  const wits = witSources(root);
  const self = mtime(join(here, 'build.mjs'));
  const preludes = [join(here, 'wat', 'prelude.wat'), join(here, 'wat', 'storage-prelude.wat')];
  const stale = [];
  for (const [name, spec] of Object.entries(GUESTS)) {
    if (only && !only.includes(name)) continue;
    const out = join(outDir, `${name}.wasm`);
    const inputs = [...(spec.wit ? wits[spec.wit].files : []), ...(spec.src ? [join(here, spec.src)] : [])];
    // JS guests take ~10 s each: editing build.mjs or the WAT preludes does not rebuild them.
    if (spec.kind !== 'js') inputs.push(join(here, 'build.mjs'), ...preludes);
    const newest = Math.max(...inputs.map(mtime), spec.kind === 'js' ? 0 : self);
    if (mtime(out) > newest) continue;
    stale.push([name, spec, out]);
  }
  if (stale.length === 0) return;
  const jco = await import('@bytecodealliance/jco');
  const small = stale.filter(([, spec]) => spec.kind !== 'js');
  const big = stale.filter(([, spec]) => spec.kind === 'js');
  for (const [name, spec, out] of small) {
    const started = performance.now();
    const bytes =
      spec.kind === 'wat'
        ? await buildWat(spec, wits, jco)
        : spec.kind === 'component'
          ? await jco.parse(readFileSync(join(here, spec.src), 'utf8'))
          : await buildDummy(spec, wits, jco);
    writeAtomic(out, bytes);
    log(`${name}.wasm: ${bytes.byteLength} bytes in ${Math.round(performance.now() - started)} ms`);
  }
  await pool(
    big.map(([name, spec, out]) => async () => {
      const started = performance.now();
      const bytes = await buildJs(spec, root);
      writeAtomic(out, bytes);
      log(`${name}.wasm (componentize-js): ${bytes.byteLength} bytes in ${Math.round(performance.now() - started)} ms`);
    }),
    2,
  );
}
