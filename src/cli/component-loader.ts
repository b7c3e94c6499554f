// The gateway's real ModuleLoader: smg:gateway components run by the runtime (pooled, limited,
// metered), with transpiled output cached on disk. `isolation: 'worker'` puts each module's
// instances on executor threads (IsolatedSmgModule), so a runaway guest never holds the event loop.
import type { Logger } from 'pino';
import { IsolatedSmgModule, SmgMiddlewareModule, prewarmTranspiler, transpilerWarmedUp } from '../abi/index.js';
import type { ModuleMetricsSnapshot } from '../runtime/index.js';
import type { Isolation } from '../config/index.js';
import type { LoadSpec, LoadedModule, ModuleLoader } from '../gateway/index.js';

export interface ComponentLoaderOptions {
  cacheDir: string;
  logger: Logger;
  /** Default inline: instances run on the event loop (fastest; the deadline bounds each call). */
  isolation?: Isolation;
}

function loaded(module: IsolatedSmgModule | SmgMiddlewareModule): LoadedModule {
  return {
    sha256: module.sha256,
    onRequest: module.onRequest,
    onResponse: module.onResponse,
    runsNow: module instanceof SmgMiddlewareModule ? () => module.idle : undefined,
    metrics: () => {
      const s: ModuleMetricsSnapshot = module.metrics;
      return { calls: s.executions, failures: s.failures, totalUs: s.totalExecutionTimeUs, maxUs: s.maxExecutionTimeUs };
    },
    close: () => module.close(),
  };
}

export function createComponentLoader(options: ComponentLoaderOptions): ModuleLoader {
  const { cacheDir, logger } = options;
  const common = (spec: LoadSpec) => ({ name: spec.name, limits: spec.limits, poolSize: spec.poolSize, config: spec.config, cacheDir });
  return {
    async prewarm() {
      await prewarmTranspiler();
      void transpilerWarmedUp().then((r) =>
        logger.info({ dummyTranspiles: r.jobs, ms: r.ms, lastTranspileMs: r.lastMs }, 'component transpiler warmed up (background JIT warm-up done)'),
      );
    },
    async load(bytes, spec) {
      if (options.isolation === 'worker') {
        const module = await IsolatedSmgModule.load(bytes, {
          ...common(spec),
          onWorkerExit: (err) => logger.warn({ module: spec.name, err: String(err) }, 'executor thread exited; restarting it'),
        });
        return loaded(module);
      }
      const module = await SmgMiddlewareModule.load(bytes, {
        ...common(spec),
        log: (event, fields) => logger.info({ module: spec.name, ...fields }, event),
        onInstanceEvent: (event, err) => logger.warn({ module: spec.name, event, err: String(err) }, 'guest instance replaced'),
      });
      return loaded(module);
    },
  };
}
