// `wasmgate run --abi smg`: one smg:gateway component, on-request or on-response, action printed as JSON.
import { WasmgateError } from '../../errors.js';
import { SmgMiddlewareModule, actionToJson, requestFromJson, responseFromJson } from '../../abi/index.js';
import { readModuleFile } from '../../runtime/index.js';
import { componentLoadOptions, printResults, readInput, type RunOptions } from './run-input.js';

export async function runSmg(opts: RunOptions): Promise<void> {
  if (opts.event !== 'on-request' && opts.event !== 'on-response') {
    throw new WasmgateError('WG_ERR_CONFIG_INVALID', `--event must be on-request or on-response for --abi smg, got "${opts.event}"`);
  }
  const raw = await readInput(opts.input);
  const started = performance.now();
  const module = await SmgMiddlewareModule.load(await readModuleFile(opts.module), componentLoadOptions(opts));
  const loadMs = performance.now() - started;
  try {
    const exported = opts.event === 'on-request' ? module.onRequest : module.onResponse;
    if (!exported) {
      throw new WasmgateError('WG_ERR_MODULE_MISSING_EXPORT', `the component does not export smg:gateway/middleware-${opts.event}`);
    }
    const request = opts.event === 'on-request' ? requestFromJson(raw) : undefined;
    const response = opts.event === 'on-response' ? responseFromJson(raw) : undefined;
    const results = [];
    for (let i = 0; i < opts.repeat; i++) {
      const action = request ? await module.onRequest!(request) : await module.onResponse!(response!);
      results.push(actionToJson(action));
    }
    printResults(opts, results, {
      module: module.name,
      sha256: module.sha256,
      abi: 'smg',
      event: opts.event,
      limits: module.limits,
      load_ms: Math.round(loadMs),
      transpile_ms: Math.round(module.component.transpileMs),
      metrics: module.metrics,
    });
  } finally {
    await module.close();
  }
}
