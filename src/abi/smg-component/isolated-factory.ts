// Loaded inside an executor thread by runtime/isolated-guest: builds the smg:gateway module there.
import { SmgMiddlewareModule, type SmgMiddlewareOptions } from './smg-middleware-module.js';
import type { SmgRequest, SmgResponse } from './types.js';

export interface IsolatedSmgArgs {
  bytes: Uint8Array;
  options: Pick<SmgMiddlewareOptions, 'name' | 'limits' | 'poolSize' | 'config' | 'cacheDir' | 'acquireTimeoutMs'>;
}

/** What the main thread learns about the module once a thread has loaded it. */
export interface IsolatedSmgInfo {
  sha256: string;
  size: number;
  exportsOnRequest: boolean;
  exportsOnResponse: boolean;
}

export async function createIsolatedGuest(args: IsolatedSmgArgs) {
  const module = await SmgMiddlewareModule.load(args.bytes, {
    ...args.options,
    // Threads have no logger of their own: one JSON line per event on stderr, as the main thread logs.
    log: (event, fields) => process.stderr.write(`${JSON.stringify({ level: 30, module: args.options.name, ...fields, msg: event })}\n`),
  });
  return {
    info: (): IsolatedSmgInfo => ({
      sha256: module.sha256,
      size: module.size,
      exportsOnRequest: module.onRequest !== undefined,
      exportsOnResponse: module.onResponse !== undefined,
    }),
    onRequest: (request: SmgRequest) => module.onRequest!(request),
    onResponse: (response: SmgResponse) => module.onResponse!(response),
    metrics: () => module.metrics,
    close: () => module.close(),
  };
}
