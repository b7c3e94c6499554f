// components/: µs per on-request call for a small hand-written component and a componentize-js
// component, side by side with a direct JS function doing the same logic and with jco's own glue;
// then cold transpile, cached (memory) load and disk-cache load for both.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ComponentLoader, IsolatedSmgModule, SmgMiddlewareModule, loadSmgComponent, plainCoreModuleHooks, prewarmTranspiler, transpilerWarmedUp, type SmgAction, type SmgRequest } from '../../dist/abi/index.js';
import { measure, printRatios, printTable, type Measurement } from '../measure.js';

const root = resolve(import.meta.dirname, '../..');
const guest = (name: string) => new Uint8Array(readFileSync(join(root, 'build', 'guests', 'components', `${name}.wasm`)));
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const request: SmgRequest = {
  method: 'POST',
  path: '/v1/chat/completions',
  query: 'stream=false',
  headers: [
    { name: 'content-type', value: 'application/json' },
    { name: 'authorization', value: 'Bearer secret-api-key-12345' },
    { name: 'x-request-id', value: 'req-1' },
    { name: 'user-agent', value: 'bench' },
    { name: 'x-drop', value: '1' },
  ],
  body: encoder.encode('{"model":"m","messages":[]}'),
  requestId: 'req-1',
  nowEpochMs: Date.now(),
};

/** What js-modify.js does, as a plain host function: the floor for "same logic without wasm". */
function jsModify(req: SmgRequest): SmgAction {
  return {
    tag: 'modify',
    modify: {
      headersSet: [{ name: 'x-js', value: `${req.method} ${req.path}` }],
      headersAdd: [{ name: 'x-body-len', value: String(req.body.length) }],
      headersRemove: ['x-drop'],
      bodyReplace: encoder.encode(`from js: ${decoder.decode(req.body)}`),
    },
  };
}

/**
 * `bytes` plus a custom section holding `nonce`: the same component to every tool, but new bytes
 * (a new sha256), so each load of it is a cold one.
 */
function withNonce(bytes: Uint8Array, nonce: number): Uint8Array {
  const name = encoder.encode('wasmgate-bench-nonce');
  const payload = encoder.encode(String(nonce));
  const size = 1 + name.length + payload.length; // name length (< 128: one LEB128 byte), name, payload
  return new Uint8Array([...bytes, 0, size, name.length, ...name, ...payload]);
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timeLoads(name: string, coldRuns: number): Promise<Measurement[]> {
  const bytes = guest(name);
  const cacheDir = mkdtempSync(join(tmpdir(), 'wg-bench-cache-'));
  const rows: Measurement[] = [];
  const time = async (id: string, fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    const ms = performance.now() - t0;
    rows.push({ id, nsPerOp: ms * 1e6, opsPerSec: 1000 / ms });
  };
  const loader = new ComponentLoader({ cacheDir });
  // Each cold load gets bytes never seen before; the median of several is reported (one shot on a
  // shared machine is mostly noise), with the range.
  const colds: number[] = [];
  for (let i = 0; i < coldRuns; i++) {
    const t0 = performance.now();
    // The last run loads the bytes themselves, so the cached loads below find them.
    await loadSmgComponent(i === coldRuns - 1 ? bytes : withNonce(bytes, i), { maxBodySize: 1 << 20, loader });
    colds.push(performance.now() - t0);
  }
  const coldMs = median(colds);
  const range = coldRuns > 1 ? `, median of ${coldRuns}: ${Math.min(...colds).toFixed(1)}-${Math.max(...colds).toFixed(1)} ms` : '';
  rows.push({ id: `load/${name}/cold transpile (warm worker${range})`, nsPerOp: coldMs * 1e6, opsPerSec: 1000 / coldMs });
  await time(`load/${name}/cached (memory)`, () => loadSmgComponent(bytes, { maxBodySize: 1 << 20, loader }));
  await time(`load/${name}/cached (disk, fresh loader)`, () => loadSmgComponent(bytes, { maxBodySize: 1 << 20, loader: new ComponentLoader({ cacheDir }) }));
  return rows;
}

export async function run(): Promise<void> {
  const cacheDir = join(root, 'build', 'cache', 'components');
  const small = await SmgMiddlewareModule.load(guest('modify-request'), { name: 'modify-request', cacheDir, poolSize: 1 });
  const smallGlue = await (await loadSmgComponent(guest('modify-request'), { maxBodySize: 1 << 20, cacheDir, callPath: 'glue' })).instantiate(plainCoreModuleHooks);
  const js = await SmgMiddlewareModule.load(guest('js-modify'), { name: 'js-modify', cacheDir, poolSize: 1 });
  const jsGlue = await (await loadSmgComponent(guest('js-modify'), { maxBodySize: 1 << 20, cacheDir, callPath: 'glue' })).instantiate(plainCoreModuleHooks);

  const fn = await measure('call/js-function (same logic, no wasm)', async () => jsModify(request), { iterations: 50000 });
  const smallDirect = await measure('call/small-component (4 KB WAT, wasmgate: pool + limits + direct ABI)', () => small.onRequest!(request), { iterations: 50000 });
  const smallViaGlue = await measure('call/small-component via jco glue (no pool, no limits)', async () => smallGlue.onRequest!(request), { iterations: 20000 });
  const jsDirect = await measure('call/componentize-js (11 MB, wasmgate)', () => js.onRequest!(request), { iterations: 5000, warmup: 500 });
  const jsViaGlue = await measure('call/componentize-js via jco glue (no pool, no limits)', async () => jsGlue.onRequest!(request), { iterations: 5000, warmup: 500 });
  const isolated = await IsolatedSmgModule.load(guest('modify-request'), { name: 'modify-request', cacheDir, poolSize: 1 });
  const smallIsolated = await measure('call/small-component on an executor thread (--isolation worker)', () => isolated.onRequest!(request), { iterations: 5000, warmup: 500 });
  await isolated.close();
  printTable('on-request call', [fn, smallDirect, smallViaGlue, smallIsolated, jsDirect, jsViaGlue]);
  printRatios([
    ['small component ÷ JS function (glue + guest cost)', smallDirect.nsPerOp / fn.nsPerOp],
    ['jco glue ÷ wasmgate direct (small component)', smallViaGlue.nsPerOp / smallDirect.nsPerOp],
    ['componentize-js ÷ small component', jsDirect.nsPerOp / smallDirect.nsPerOp],
    ['executor thread ÷ inline (small component, one call at a time)', smallIsolated.nsPerOp / smallDirect.nsPerOp],
  ]);
  await small.close();
  await js.close();

  // Runs first in a fresh process to show the one-time worker + jco start-up a server pays at boot.
  const startup: Measurement[] = [];
  const t0 = performance.now();
  await prewarmTranspiler();
  const ms = performance.now() - t0;
  startup.push({ id: 'load/transpile worker + jco start-up (once per process, at server start)', nsPerOp: ms * 1e6, opsPerSec: 1000 / ms });
  // What `wasmgate gateway` does next, in the background while it serves: warm jco's generator up.
  const warm = await transpilerWarmedUp();
  startup.push({ id: `load/background warm-up after start-up (${warm.jobs} dummy transpiles, last ${warm.lastMs} ms)`, nsPerOp: warm.ms * 1e6, opsPerSec: 1000 / warm.ms });
  const loads = [...startup, ...(await timeLoads('modify-request', 7)), ...(await timeLoads('js-modify', 1))];
  console.log('\n## Component load (one shot each; time/op is the load time)');
  console.log('| variant | ms |');
  console.log('|---|---:|');
  for (const r of loads) console.log(`| ${r.id} | ${(r.nsPerOp / 1e6).toFixed(1)} |`);
}
