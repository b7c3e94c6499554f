// Builds the SDK's test guests (test-guests/*.ts):
// - component guests for test/unit/guests/sdk-canonical.test.ts into <outDir>/<name>.wasm (the
//   component) and <name>.core.wasm (the core module inside it, which the test drives through the
//   canonical ABI by hand);
// - core Sentinel guests for test/unit/guests/sentinel-sdk.test.ts into <outDir>/<name>.wasm.
// Incremental: a guest is rebuilt only when its source, the SDK or the compiler changed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isUpToDate } from './tools/build-output.mjs';
import { buildComponent } from './tools/build-component.mjs';
import { compileAssemblyScript } from './tools/compile-assemblyscript.mjs';
import { WIT_FILES } from './tools/component-world.mjs';

/** Component test guest -> world. */
const GUESTS = Object.freeze({ 'smg-echo': 'smg', 'smg-imports': 'smg', 'storage-echo': 'storage' });
/** Core test guests (Sentinel JSON ABI). */
const CORE_GUESTS = Object.freeze(['sentinel-probe']);

export async function build({ outDir, root, log }) {
  const here = import.meta.dirname;
  const inputs = [
    join(here, 'assembly'),
    join(here, 'tools'),
    ...WIT_FILES,
    join(root, 'node_modules', 'assemblyscript', 'package.json'),
    join(root, 'node_modules', '@bytecodealliance', 'jco', 'package.json'),
    import.meta.filename,
  ].filter((p) => existsSync(p));
  for (const [name, world] of Object.entries(GUESTS)) {
    const entry = join(here, 'test-guests', `${name}.ts`);
    const outFile = join(outDir, `${name}.wasm`);
    const coreOutFile = join(outDir, `${name}.core.wasm`);
    if (isUpToDate(outFile, [entry, ...inputs]) && isUpToDate(coreOutFile, [entry, ...inputs])) {
      log(`${name}.wasm up to date`);
      continue;
    }
    const t0 = performance.now();
    const built = await buildComponent({ entry, outFile, coreOutFile, root, world });
    log(`${name}.wasm ${built.size} bytes (core ${built.coreSize}) in ${Math.round(performance.now() - t0)} ms`);
  }
  for (const name of CORE_GUESTS) {
    const entry = join(here, 'test-guests', `${name}.ts`);
    const outFile = join(outDir, `${name}.wasm`);
    if (isUpToDate(outFile, [entry, ...inputs])) {
      log(`${name}.wasm up to date`);
      continue;
    }
    const t0 = performance.now();
    const size = await compileAssemblyScript({ entry, outFile, root });
    log(`${name}.wasm ${size} bytes in ${Math.round(performance.now() - t0)} ms`);
  }
}
