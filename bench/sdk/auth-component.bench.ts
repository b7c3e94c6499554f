// sdk/: the AssemblyScript SDK's `auth` example component vs the same logic as a componentize-js
// component: size on disk and µs per on-request call through wasmgate, side by side.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SmgMiddlewareModule, type SmgRequest } from '../../dist/abi/index.js';
import { measure, printRatios, printTable } from '../measure.js';

const root = resolve(import.meta.dirname, '../..');
const cacheDir = join(root, 'build', 'cache', 'components');
const paths = {
  assemblyscript: join(root, 'build', 'guests', 'examples', 'auth.wasm'),
  componentizeJs: join(root, 'build', 'guests', 'components', 'js-auth.wasm'),
};

const request: SmgRequest = {
  method: 'POST',
  path: '/v1/chat/completions',
  query: '',
  headers: [
    { name: 'content-type', value: 'application/json' },
    { name: 'authorization', value: 'Bearer secret-api-key-12345' },
    { name: 'user-agent', value: 'bench' },
  ],
  body: new TextEncoder().encode('{"model":"m"}'),
  requestId: 'req-1',
  nowEpochMs: Date.now(),
};

export async function run(): Promise<void> {
  const config = { api_key: 'secret-api-key-12345' };
  const as = await SmgMiddlewareModule.load(new Uint8Array(readFileSync(paths.assemblyscript)), { name: 'auth-as', cacheDir, config, poolSize: 1 });
  const js = await SmgMiddlewareModule.load(new Uint8Array(readFileSync(paths.componentizeJs)), { name: 'auth-js', cacheDir, poolSize: 1 });
  for (const m of [as, js]) {
    const action = await m.onRequest!(request);
    if (action.tag !== 'continue') throw new Error(`${m.name} rejected a valid key: ${JSON.stringify(action)}`);
  }
  const asCall = await measure('sdk/auth/assemblyscript component', () => as.onRequest!(request), { iterations: 50000 });
  const jsCall = await measure('sdk/auth/componentize-js component', () => js.onRequest!(request), { iterations: 5000, warmup: 500 });
  printTable('auth on-request call through wasmgate', [asCall, jsCall]);
  const asSize = statSync(paths.assemblyscript).size;
  const jsSize = statSync(paths.componentizeJs).size;
  console.log('\n| component | size |\n|---|---:|');
  console.log(`| auth (AssemblyScript SDK) | ${(asSize / 1024).toFixed(1)} KiB |`);
  console.log(`| auth (componentize-js) | ${(jsSize / 1024 / 1024).toFixed(1)} MiB |`);
  printRatios([
    ['componentize-js ÷ AssemblyScript, time per call', jsCall.nsPerOp / asCall.nsPerOp],
    ['componentize-js ÷ AssemblyScript, size', jsSize / asSize],
  ]);
  await as.close();
  await js.close();
}
