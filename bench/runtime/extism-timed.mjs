// Measures @extism/extism with a timeout (which its JS SDK supports only with runInWorker) in a plain
// Node process: under tsx, Extism's data:-URL worker inherits tsx's loader and fails to start.
// Prints one JSON line: { nsPerOp }.
import { readFileSync } from 'node:fs';
import createPlugin from '@extism/extism';
import wabtInit from 'wabt';

const [watPath, requestJson, iterations, rounds, warmup] = process.argv.slice(2);
const wabt = await wabtInit();
const parsed = wabt.parseWat('extism-allow.wat', readFileSync(watPath, 'utf8'), {});
const bytes = new Uint8Array(parsed.toBinary({}).buffer);
const plugin = await createPlugin({ wasm: [{ data: bytes }] }, { useWasi: false, runInWorker: true, timeoutMs: 1000 });
const request = JSON.parse(requestJson);
const op = async () => JSON.parse((await plugin.call('on_request_headers', JSON.stringify(request))).text());
for (let i = 0; i < Number(warmup); i++) await op();
const perRound = [];
for (let r = 0; r < Number(rounds); r++) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < Number(iterations); i++) await op();
  perRound.push(Number(process.hrtime.bigint() - start) / Number(iterations));
}
perRound.sort((a, b) => a - b);
await plugin.close();
process.stdout.write(`${JSON.stringify({ nsPerOp: perRound[Math.floor(perRound.length / 2)] })}\n`);
