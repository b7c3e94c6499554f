// Loaded inside an executor thread by runtime/isolated-guest: builds the Sentinel module there.
import { SentinelJsonModule, type SentinelModuleOptions } from './sentinel-json-module.js';
import type { SentinelEvent, SentinelRequestInput, SentinelResponseInput } from './types.js';

export interface IsolatedSentinelArgs {
  bytes: Uint8Array;
  options: Pick<SentinelModuleOptions, 'name' | 'limits' | 'poolSize' | 'acquireTimeoutMs'>;
}

export async function createIsolatedGuest(args: IsolatedSentinelArgs) {
  const module = await SentinelJsonModule.load(args.bytes, {
    ...args.options,
    log: (level, message) => process.stderr.write(`${JSON.stringify({ level, module: args.options.name, guest: message })}\n`),
  });
  return {
    info: () => ({ sha256: module.sha256, size: module.size, limits: module.limits, events: [...module.events] }),
    call: ({ event, input }: { event: SentinelEvent; input: SentinelRequestInput | SentinelResponseInput }) => module.call(event, input),
    metrics: () => module.metrics,
    close: () => module.close(),
  };
}
