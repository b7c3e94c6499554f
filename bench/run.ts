// `npm run bench` runs every group; `npm run bench -- runtime` runs one. Benches print side-by-side
// tables with ratio rows; they never assert (tests assert behaviour, benches report numbers).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = import.meta.dirname;
const wanted = process.argv.slice(2);
const groups = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'fixtures' && (wanted.length === 0 || wanted.includes(d.name)))
  .map((d) => d.name)
  .sort();

console.log(`# wasmgate benchmarks — Node ${process.version}, ${(await import('node:os')).availableParallelism()} cores, ${new Date().toISOString()}`);
for (const group of groups) {
  for (const file of readdirSync(join(root, group)).filter((f) => f.endsWith('.bench.ts')).sort()) {
    console.log(`\n# ${group}/${file}`);
    const bench = (await import(pathToFileURL(join(root, group, file)).href)) as { run(): Promise<void> };
    await bench.run();
  }
}
