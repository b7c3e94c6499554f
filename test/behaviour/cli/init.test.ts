// `wasmgate init`: scaffolds a guest project for each ABI that installs offline, builds, and passes
// its own test (which runs the module through `wasmgate run`) within a minute, as issue #7 asks.
// The command is registered on a fresh commander program here (the lead wires it into main.ts).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { initProject, registerInitCommand, TEMPLATE_ABIS } from '../../../src/cli/commands/init.js';
import { WasmgateError } from '../../../src/errors.js';

const work = mkdtempSync(join(tmpdir(), 'wg-init-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Runs `wasmgate init ...` on a fresh program; resolves with what it printed. */
async function initCommand(args: string[]): Promise<string> {
  const program = new Command('wasmgate').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerInitCommand(program);
  let printed = '';
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => {
    printed += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['init', ...args], { from: 'user' });
  } finally {
    process.stdout.write = write;
  }
  return printed;
}

function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    // Without NODE_TEST_CONTEXT, which would make the project's `node --test` skip its files.
    const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
    const child = spawn(command, args, { cwd, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

const isConfigError = (err: unknown) => err instanceof WasmgateError && err.code === 'WG_ERR_CONFIG_INVALID';

for (const abi of TEMPLATE_ABIS) {
  test(`init --abi ${abi}: npm install (offline), build and the project's own test pass within a minute`, async (t) => {
    const started = performance.now();
    const printed = await initCommand([`my-${abi}-filter`, '--abi', abi, '--dir', work]);
    const dir = join(work, `my-${abi}-filter`);
    assert.match(printed, /npm install\n {2}npm test/);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    assert.equal(pkg.name, `my-${abi}-filter`);
    assert.match(pkg.devDependencies['@wasmgate/sdk-assemblyscript'], /^file:\/.*guests\/sdk-assemblyscript$/);
    assert.match(pkg.devDependencies.assemblyscript, /^file:\//);
    assert.ok(!readFileSync(join(dir, 'assembly', 'index.ts'), 'utf8').includes('{{'), 'placeholders filled');

    const install = await sh('npm', ['install', '--offline', '--no-audit', '--no-fund'], dir);
    assert.equal(install.code, 0, install.out);
    const cache = join(work, `cache-${abi}`);
    const run = await sh('npm', ['test'], dir, { WASMGATE_CACHE_DIR: cache });
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /# pass 3\n# fail 0/);
    const ms = performance.now() - started;
    t.diagnostic(`init -> passing test in ${Math.round(ms)} ms; ${(run.out.match(/ran through [\w -]+/) ?? ['ran through wasmgate run'])[0]}`);
    assert.ok(existsSync(join(dir, 'build', `my-${abi}-filter.wasm`)));
    assert.ok(ms < 60_000, `took ${Math.round(ms)} ms (issue #7: under a minute)`);
  });
}

test('init refuses a folder that exists and is not empty, and writes nothing', async () => {
  const dir = join(work, 'taken');
  mkdirSync(dir);
  writeFileSync(join(dir, 'keep.txt'), 'mine');
  await assert.rejects(initCommand(['taken', '--dir', work]), isConfigError);
  assert.deepEqual(readdirSync(dir), ['keep.txt']);
  assert.equal(readFileSync(join(dir, 'keep.txt'), 'utf8'), 'mine');
});

test('init fills an existing empty folder', () => {
  mkdirSync(join(work, 'empty'));
  const result = initProject({ name: 'empty', abi: 'storage', parentDir: work });
  assert.ok(result.files.includes('assembly/index.ts') && result.files.includes('.gitignore') && result.files.includes('package.json'));
});

test('init refuses names that are not npm package names', () => {
  for (const name of ['My-Filter', '-x', 'a/b', "it's", '', 'x'.repeat(65)]) {
    assert.throws(() => initProject({ name, abi: 'smg', parentDir: work }), isConfigError, name);
  }
});

test('--abi accepts only sentinel, smg and storage', async () => {
  await assert.rejects(initCommand(['x', '--abi', 'wasi', '--dir', work]), (err: unknown) => (err as { code?: string }).code === 'commander.invalidArgument');
});

test('--npm-deps depends on the published packages, with the wasmgate CLI among them', () => {
  const result = initProject({ name: 'published', abi: 'smg', parentDir: work, npmDeps: true });
  const pkg = JSON.parse(readFileSync(join(result.dir, 'package.json'), 'utf8'));
  assert.deepEqual(Object.keys(pkg.devDependencies).sort(), ['@bytecodealliance/jco', '@wasmgate/sdk-assemblyscript', 'assemblyscript', 'wasmgate']);
  for (const range of Object.values(pkg.devDependencies)) assert.match(range as string, /^\^\d/);
  assert.equal(pkg.scripts.wasmgate, 'wasmgate');
  assert.match(readFileSync(join(result.dir, 'README.md'), 'utf8'), /"@wasmgate\/sdk-assemblyscript": "\^0\.1\.0"/);
});
