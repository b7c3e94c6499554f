// Worker entry: instruments one big module off the event loop (see core-compiler.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { instrumentModule } from './instrument/index.js';
import { serializeError } from './isolated-guest.js';

const { bytes, options } = workerData as { bytes: Uint8Array; options: Parameters<typeof instrumentModule>[1] };
try {
  const out = instrumentModule(bytes, options);
  parentPort!.postMessage({ ok: true, out }, [out.bytes.buffer as ArrayBuffer]);
} catch (err) {
  parentPort!.postMessage({ ok: false, error: serializeError(err) });
}
