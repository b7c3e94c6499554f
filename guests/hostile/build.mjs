// Builds the hostile guests: every <attack>.wat here to <outDir>/<attack>.wasm, plus the files
// that are not modules at all: not-wasm.wasm (a copy of not-wasm.txt), truncated.wasm (the first
// 20 bytes of test-core's allow module) and empty.wasm (0 bytes).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileWat, watToBinary } from '../sdk-assemblyscript/tools/compile-wat.mjs';
import { isUpToDate, writeOutput } from '../sdk-assemblyscript/tools/build-output.mjs';

const TRUNCATED_LENGTH = 20;

export async function build({ outDir, root, log }) {
  const here = import.meta.dirname;
  const compiler = join(root, 'guests', 'sdk-assemblyscript', 'tools', 'compile-wat.mjs');
  const allowWat = join(root, 'guests', 'test-core', 'allow.wat');
  const outputs = [
    ...readdirSync(here)
      .filter((f) => f.endsWith('.wat'))
      .sort()
      .map((f) => {
        const source = join(here, f);
        return { name: f.slice(0, -4), sources: [source, compiler], make: (outFile) => compileWat({ source, outFile, root }) };
      }),
    {
      name: 'not-wasm',
      sources: [join(here, 'not-wasm.txt')],
      make: (outFile) => write(outFile, readFileSync(join(here, 'not-wasm.txt'))),
    },
    {
      name: 'truncated',
      sources: [allowWat, compiler],
      make: async (outFile) => write(outFile, (await watToBinary({ source: allowWat, root })).slice(0, TRUNCATED_LENGTH)),
    },
    { name: 'empty', sources: [], make: (outFile) => write(outFile, new Uint8Array(0)) },
  ];
  for (const { name, sources, make } of outputs) {
    const outFile = join(outDir, `${name}.wasm`);
    if (isUpToDate(outFile, [...sources, import.meta.filename])) {
      log(`${name}.wasm up to date`);
      continue;
    }
    const t0 = performance.now();
    const size = await make(outFile);
    log(`${name}.wasm ${size} bytes in ${Math.round(performance.now() - t0)} ms`);
  }
}

function write(outFile, bytes) {
  writeOutput(outFile, bytes);
  return bytes.byteLength;
}
