// `npm run bench` runs every group; `npm run bench -- runtime` runs one. Benches print side-by-side
// tables with ratio rows; they never assert (tests assert behaviour, benches report numbers).
//
// Each bench file runs in a Node process of its own, one after the other: in one shared process the
// earlier files left their state behind (a bigger heap, call sites in the runtime made polymorphic
// by other ABIs, worker threads), and a Sentinel ABI call measured after the component and gateway
// benches took about twice as long as in a fresh process. A deployment runs one front door per
// process, so a fresh process is also the realistic one.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = import.meta.dirname;
const self = fileURLToPath(import.meta.url);
const ONE_FILE = '--one-file';

async function runOne(file: string): Promise<void> {
  const bench = (await import(pathToFileURL(file).href)) as { run(): Promise<void> };
  await bench.run();
}

function runAll(wanted: string[]): number {
  const groups = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'fixtures' && (wanted.length === 0 || wanted.includes(d.name)))
    .map((d) => d.name)
    .sort();
  console.log(`# wasmgate benchmarks — Node ${process.version}, ${availableParallelism()} cores, ${new Date().toISOString()}`);
  let failed = 0;
  for (const group of groups) {
    for (const file of readdirSync(join(root, group)).filter((f) => f.endsWith('.bench.ts')).sort()) {
      console.log(`\n# ${group}/${file}`);
      const child = spawnSync(process.execPath, [...process.execArgv, self, ONE_FILE, join(root, group, file)], { stdio: 'inherit' });
      if (child.status !== 0) {
        failed++;
        console.log(`\n(${group}/${file} failed: ${child.error?.message ?? `exit ${child.status ?? child.signal}`})`);
      }
    }
  }
  return failed === 0 ? 0 : 1;
}

const args = process.argv.slice(2);
if (args[0] === ONE_FILE) await runOne(args[1]!);
else process.exitCode = runAll(args);
