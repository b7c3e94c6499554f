// `wasmgate run --abi storage`: one smg:storage hook, before or after one operation.
import { WasmgateError } from '../../errors.js';
import { STORAGE_OPERATIONS, StorageHook, type StorageOperation } from '../../abi/index.js';
import { readModuleFile } from '../../runtime/index.js';
import { componentLoadOptions, parsePairs, printResults, type RunOptions } from './run-input.js';

export async function runStorage(opts: RunOptions): Promise<void> {
  if (opts.event !== 'before' && opts.event !== 'after') {
    throw new WasmgateError('WG_ERR_CONFIG_INVALID', `--event must be before or after for --abi storage, got "${opts.event}"`);
  }
  const op = opts.op as StorageOperation | undefined;
  if (!op || !STORAGE_OPERATIONS.includes(op)) {
    throw new WasmgateError('WG_ERR_CONFIG_INVALID', `--op must be one of ${STORAGE_OPERATIONS.join(', ')}; got ${JSON.stringify(opts.op ?? null)}`);
  }
  const context = parsePairs(opts.context, '--context').map(([key, value]) => ({ key, value }));
  const extra = parsePairs(opts.extra, '--extra').map(([name, value]) => ({ name, value }));
  const payload = opts.payload ?? '{}';
  const hook = await StorageHook.load(await readModuleFile(opts.module), componentLoadOptions(opts));
  try {
    const results = [];
    for (let i = 0; i < opts.repeat; i++) {
      if (opts.event === 'before') {
        const r = await hook.before(op, context, payload);
        results.push(r.tag === 'do-continue' ? { result: 'do-continue', columns: r.columns } : { result: 'reject', reason: r.reason });
      } else {
        results.push({ columns: await hook.after(op, context, payload, opts.resultJson ?? 'null', extra) });
      }
    }
    printResults(opts, results, { module: hook.name, sha256: hook.sha256, abi: 'storage', event: opts.event, op, limits: hook.limits, metrics: hook.metrics });
  } finally {
    await hook.close();
  }
}
