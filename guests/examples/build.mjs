// Builds the example guests: every folder here with `assembly/index.ts` is one example, built to
// <outDir>/<folder>.wasm. An optional build.json says which contract it implements
// ({"abi": "sentinel" | "smg" | "storage"}, default "sentinel"); this script builds the Sentinel
// JSON ABI ones (core modules) and leaves the others to the build that handles their ABI.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { compileAssemblyScript } from '../sdk-assemblyscript/tools/compile-assemblyscript.mjs';
import { isUpToDate } from '../sdk-assemblyscript/tools/build-output.mjs';

const ABIS = new Set(['sentinel', 'smg', 'storage']);

/** Reads an example's build.json; throws naming the file when it is not valid. */
function readAbi(dir, root) {
  const file = join(dir, 'build.json');
  if (!existsSync(file)) return 'sentinel';
  let abi;
  try {
    abi = JSON.parse(readFileSync(file, 'utf8')).abi ?? 'sentinel';
  } catch (err) {
    throw new Error(`${relative(root, file)}: not valid JSON (${err.message})`);
  }
  if (!ABIS.has(abi)) throw new Error(`${relative(root, file)}: unknown abi "${abi}" (expected ${[...ABIS].join(', ')})`);
  return abi;
}

export async function build({ outDir, root, log }) {
  const here = import.meta.dirname;
  const sdk = join(root, 'guests', 'sdk-assemblyscript');
  const compilerInputs = [join(sdk, 'assembly'), join(sdk, 'tools'), join(root, 'node_modules', 'assemblyscript', 'package.json'), import.meta.filename];
  const examples = readdirSync(here, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(here, e.name, 'assembly', 'index.ts')))
    .map((e) => e.name)
    .sort();
  for (const name of examples) {
    const dir = join(here, name);
    const abi = readAbi(dir, root);
    if (abi !== 'sentinel') {
      log(`${name}: skipped, abi ${abi} (this build makes Sentinel JSON core modules only)`);
      continue;
    }
    const outFile = join(outDir, `${name}.wasm`);
    const sources = [join(dir, 'assembly'), ...(existsSync(join(dir, 'build.json')) ? [join(dir, 'build.json')] : [])];
    if (isUpToDate(outFile, [...sources, ...compilerInputs])) {
      log(`${name}.wasm up to date`);
      continue;
    }
    const t0 = performance.now();
    const size = await compileAssemblyScript({ entry: join(dir, 'assembly', 'index.ts'), outFile, root });
    log(`${name}.wasm ${size} bytes in ${Math.round(performance.now() - t0)} ms`);
  }
}
