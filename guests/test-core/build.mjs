// Builds the test guests: every <name>.ts here is an AssemblyScript guest using the SDK and every
// <name>.wat a hand-written one, each built to <outDir>/<name>.wasm when its source changed.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileAssemblyScript } from '../sdk-assemblyscript/tools/compile-assemblyscript.mjs';
import { compileWat } from '../sdk-assemblyscript/tools/compile-wat.mjs';
import { isUpToDate } from '../sdk-assemblyscript/tools/build-output.mjs';

export async function build({ outDir, root, log }) {
  const here = import.meta.dirname;
  const sdk = join(root, 'guests', 'sdk-assemblyscript');
  const ascInputs = [join(sdk, 'assembly'), join(sdk, 'tools'), join(root, 'node_modules', 'assemblyscript', 'package.json')];
  const sources = readdirSync(here)
    .filter((f) => (f.endsWith('.ts') || f.endsWith('.wat')) && !f.endsWith('.d.ts'))
    .sort();
  for (const file of sources) {
    const source = join(here, file);
    const isWat = file.endsWith('.wat');
    const name = file.slice(0, file.lastIndexOf('.'));
    const outFile = join(outDir, `${name}.wasm`);
    const inputs = [source, import.meta.filename, ...(isWat ? [join(sdk, 'tools', 'compile-wat.mjs')] : ascInputs)];
    if (isUpToDate(outFile, inputs)) {
      log(`${name}.wasm up to date`);
      continue;
    }
    const t0 = performance.now();
    const size = isWat ? await compileWat({ source, outFile, root }) : await compileAssemblyScript({ entry: source, outFile, root });
    log(`${name}.wasm ${size} bytes in ${Math.round(performance.now() - t0)} ms`);
  }
}
