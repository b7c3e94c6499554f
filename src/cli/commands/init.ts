// `wasmgate init <name> --abi sentinel|smg|storage [--dir <parent>]`: scaffolds an AssemblyScript
// guest project from guests/templates/<abi>/ — package.json, a working handler, a build script,
// a `node --test` test that runs the built module through `wasmgate run`, and a README.
//
// Dependencies: by default the project depends on this wasmgate installation through `file:`
// paths (the SDK in guests/sdk-assemblyscript, the AssemblyScript compiler wasmgate resolves), so
// `npm install` works offline, and its `wasmgate` script runs this installation's CLI. With
// --npm-deps it depends on the published packages instead (semver ranges).
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { WasmgateError } from '../../errors.js';

export const TEMPLATE_ABIS = ['sentinel', 'smg', 'storage'] as const;
export type TemplateAbi = (typeof TEMPLATE_ABIS)[number];

export interface InitOptions {
  /** Project (and npm package) name; also the folder name. */
  name: string;
  abi: TemplateAbi;
  /** Folder the project folder is created in. */
  parentDir: string;
  /** Depend on the published npm packages instead of this installation. */
  npmDeps?: boolean;
}

export interface InitResult {
  dir: string;
  /** Files written, relative to `dir`. */
  files: string[];
  devDependencies: Record<string, string>;
}

/** The wasmgate package root: src/cli/commands (tsx) or dist/cli/commands (built) is 3 levels down. */
const PACKAGE_ROOT = resolve(import.meta.dirname, '..', '..', '..');
const TEMPLATES = join(PACKAGE_ROOT, 'guests', 'templates');
const SDK_DIR = join(PACKAGE_ROOT, 'guests', 'sdk-assemblyscript');
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const DESCRIPTIONS: Record<TemplateAbi, string> = {
  sentinel: 'a Sentinel JSON ABI guest (core module)',
  smg: 'an smg:gateway middleware component',
  storage: 'an smg:storage hook component',
};

interface Manifest {
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function readManifest(path: string): Manifest {
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

/** The folder of an installed package, looked up from the wasmgate root as Node would. */
function installedPackage(name: string): string | undefined {
  for (let dir = PACKAGE_ROOT; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/** Semver ranges of the published packages this installation corresponds to. */
function publishedDependencies(abi: TemplateAbi): Record<string, string> {
  const own = readManifest(join(PACKAGE_ROOT, 'package.json'));
  const sdk = readManifest(join(SDK_DIR, 'package.json'));
  const deps: Record<string, string> = {
    '@wasmgate/sdk-assemblyscript': `^${sdk.version}`,
    assemblyscript: own.devDependencies?.assemblyscript ?? '^0.28.0',
    wasmgate: `^${own.version}`,
  };
  if (abi !== 'sentinel') deps['@bytecodealliance/jco'] = own.dependencies?.['@bytecodealliance/jco'] ?? '^1.15.4';
  return deps;
}

interface Dependencies {
  devDependencies: Record<string, string>;
  /** The `wasmgate` npm script: this installation's CLI, or the wasmgate package's bin. */
  cliScript: string;
  /** README text saying where the dependencies come from. */
  note: string;
}

function dependencies(abi: TemplateAbi, npmDeps: boolean): Dependencies {
  const published = publishedDependencies(abi);
  if (npmDeps) {
    return {
      devDependencies: published,
      cliScript: 'wasmgate',
      note: 'The dependencies are the published npm packages; `npm run wasmgate` runs the `wasmgate` package installed with them.',
    };
  }
  const assemblyscript = installedPackage('assemblyscript');
  const devDependencies: Record<string, string> = {
    '@wasmgate/sdk-assemblyscript': `file:${SDK_DIR}`,
    assemblyscript: assemblyscript ? `file:${assemblyscript}` : published.assemblyscript!,
  };
  return {
    devDependencies,
    cliScript: `node ${JSON.stringify(join(PACKAGE_ROOT, 'bin', 'wasmgate.js'))}`,
    note: [
      `\`wasmgate init\` linked this project to the wasmgate installation it ran from (${PACKAGE_ROOT}):`,
      'the SDK and the AssemblyScript compiler are `file:` dependencies, so `npm install` needs no',
      'network, and `npm run wasmgate` runs that installation\'s CLI. The SDK\'s build tools find jco',
      'through the SDK\'s own location. Moving that installation breaks these paths: run',
      '`wasmgate init --npm-deps` to depend on the published packages instead.',
    ].join('\n'),
  };
}

function packageJson(options: InitOptions, deps: Dependencies): string {
  const pkg = {
    name: options.name,
    version: '0.1.0',
    private: true,
    description: `${DESCRIPTIONS[options.abi]} for wasmgate, in AssemblyScript`,
    type: 'module',
    scripts: {
      build: 'node build.mjs',
      test: 'node build.mjs && node --test test/module.test.mjs',
      wasmgate: deps.cliScript,
    },
    devDependencies: deps.devDependencies,
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** Template files under `dir`, relative, sorted. */
function templateFiles(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? templateFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)]))
    .sort();
}

/** Throws unless `dir` is absent or an empty folder. */
function checkTarget(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new WasmgateError('WG_ERR_CONFIG_INVALID', `${dir} exists and is not a folder`);
  if (readdirSync(dir).length > 0) {
    throw new WasmgateError('WG_ERR_CONFIG_INVALID', `${dir} already exists and is not empty; choose another name or --dir (nothing was written)`);
  }
}

/** Creates the project; throws WG_ERR_CONFIG_INVALID for a bad name or a non-empty target folder. */
export function initProject(options: InitOptions): InitResult {
  if (!NAME.test(options.name)) {
    throw new WasmgateError(
      'WG_ERR_CONFIG_INVALID',
      `project name "${options.name}" must be 1-64 characters of a-z, 0-9, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  if (!(TEMPLATE_ABIS as readonly string[]).includes(options.abi)) {
    throw new WasmgateError('WG_ERR_CONFIG_INVALID', `--abi must be one of ${TEMPLATE_ABIS.join(', ')}, got "${options.abi}"`);
  }
  const templateDir = join(TEMPLATES, options.abi);
  if (!existsSync(templateDir)) throw new WasmgateError('WG_ERR_INTERNAL_BUG', `the ${options.abi} template is missing from ${TEMPLATES}`);
  const dir = resolve(options.parentDir, options.name);
  checkTarget(dir);
  const deps = dependencies(options.abi, options.npmDeps ?? false);
  const values: Record<string, string> = {
    name: options.name,
    depsNote: deps.note,
    publishedDeps: JSON.stringify({ devDependencies: publishedDependencies(options.abi) }, null, 2),
  };
  const fill = (text: string) => text.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const file of templateFiles(templateDir)) {
    // npm drops files named .gitignore from published packages, so the template calls it gitignore.
    const target = file === 'gitignore' ? '.gitignore' : file;
    mkdirSync(dirname(join(dir, target)), { recursive: true });
    writeFileSync(join(dir, target), fill(readFileSync(join(templateDir, file), 'utf8')));
    files.push(target);
  }
  writeFileSync(join(dir, 'package.json'), packageJson(options, deps));
  files.push('package.json');
  return { dir, files: files.sort(), devDependencies: deps.devDependencies };
}

interface InitCommandOptions {
  abi: TemplateAbi;
  dir: string;
  npmDeps?: boolean;
}

export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('scaffold an AssemblyScript guest project: handler, build script, test, README')
    .argument('<name>', 'project name (the folder created and the npm package name)')
    .addOption(new Option('--abi <abi>', 'guest contract').choices([...TEMPLATE_ABIS]).default('smg'))
    .option('--dir <parent>', 'folder to create the project in', '.')
    .option('--npm-deps', 'depend on the published npm packages instead of this wasmgate installation')
    .action((name: string, opts: InitCommandOptions) => {
      const result = initProject({ name, abi: opts.abi, parentDir: opts.dir, npmDeps: opts.npmDeps });
      const fromHere = relative(process.cwd(), result.dir);
      const where = fromHere.startsWith('..') ? result.dir : fromHere || '.';
      process.stdout.write(
        `Created ${name}, ${DESCRIPTIONS[opts.abi]}, in ${result.dir}\n` +
          `  ${result.files.join('\n  ')}\n\nNext:\n  cd ${where}\n  npm install\n  npm test\n`,
      );
    });
}
