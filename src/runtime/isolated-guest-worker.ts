// Entry point of an executor thread (see isolated-guest.ts): loads the guest through the factory
// named in workerData, then serves calls by method name until told to close.
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from './isolated-guest.js';

interface Guest {
  close(): Promise<void>;
  [method: string]: (arg: unknown) => unknown;
}

const port = parentPort!;
const { factoryUrl, factoryArgs } = workerData as { factoryUrl: string; factoryArgs: unknown };

try {
  const factory = (await import(factoryUrl)) as { createIsolatedGuest(args: unknown): Promise<Guest> };
  const guest = await factory.createIsolatedGuest(factoryArgs);
  port.on('message', async ({ id, method, arg }: { id: number; method: string; arg: unknown }) => {
    try {
      const fn = guest[method];
      if (typeof fn !== 'function') throw new Error(`isolated guest has no method ${method}`);
      const value = await fn.call(guest, arg);
      port.postMessage({ id, ok: true, value });
    } catch (err) {
      port.postMessage({ id, ok: false, error: serializeError(err) });
    }
  });
  port.postMessage({ ready: true });
} catch (err) {
  port.postMessage({ fatal: serializeError(err) });
}
