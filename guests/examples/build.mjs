// Builds the example guests: every folder here with `assembly/index.ts` is one example, built to
// <outDir>/<folder>.wasm. Its build.json says which contract it implements
// ({"abi": "sentinel" | "smg" | "storage"}, default "sentinel"): a Sentinel JSON ABI example
// becomes a core module; an smg or storage one becomes a component for the smg:gateway or
// smg:storage world (../sdk-assemblyscript/tools/build-component.mjs). Incremental: an example is
// rebuilt only when its folder, the SDK, the compiler or this script changed.
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

/** Builds one example; returns a line for the log. */
async function buildOne({ abi, entry, outFile, root }) {
  if (abi === 'sentinel') {
    const size = await compileAssemblyScript({ entry, outFile, root });
    return `${size} bytes`;
  }
  // Loaded only when a component is out of date: jco's wasm-tools takes a moment to load.
  const { buildComponent } = await import('../sdk-assemblyscript/tools/build-component.mjs');
  const built = await buildComponent({ entry, outFile, root, world: abi });
  const imports = built.imports.length > 0 ? `, imports ${built.imports.join(', ')}` : '';
  return `${built.size} bytes (${abi} component, core ${built.coreSize}${imports})`;
}

export async function build({ outDir, root, log }) {
  const here = import.meta.dirname;
  const sdk = join(root, 'guests', 'sdk-assemblyscript');
  const compilerInputs = [
    join(sdk, 'assembly'),
    join(sdk, 'tools'),
    join(sdk, 'wit'),
    join(root, 'node_modules', 'assemblyscript', 'package.json'),
    join(root, 'node_modules', '@bytecodealliance', 'jco', 'package.json'),
    import.meta.filename,
  ].filter((p) => existsSync(p));
  const examples = readdirSync(here, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(here, e.name, 'assembly', 'index.ts')))
    .map((e) => e.name)
    .sort();
  for (const name of examples) {
    const dir = join(here, name);
    const abi = readAbi(dir, root);
    const outFile = join(outDir, `${name}.wasm`);
    const sources = [join(dir, 'assembly'), ...(existsSync(join(dir, 'build.json')) ? [join(dir, 'build.json')] : [])];
    if (isUpToDate(outFile, [...sources, ...compilerInputs])) {
      log(`${name}.wasm up to date`);
      continue;
    }
    const t0 = performance.now();
    const what = await buildOne({ abi, entry: join(dir, 'assembly', 'index.ts'), outFile, root });
    log(`${name}.wasm ${what} in ${Math.round(performance.now() - t0)} ms`);
  }
}
