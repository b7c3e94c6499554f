// The gateway's real ModuleLoader: smg:gateway components run by the runtime (pooled, limited,
// metered), with transpiled output cached on disk under the data directory.
import type { Logger } from 'pino';
import { SmgMiddlewareModule, prewarmTranspiler } from '../abi/index.js';
import type { ModuleLoader } from '../gateway/index.js';

export function createComponentLoader(options: { cacheDir: string; logger: Logger }): ModuleLoader {
  const { cacheDir, logger } = options;
  return {
    prewarm: prewarmTranspiler,
    async load(bytes, spec) {
      const module = await SmgMiddlewareModule.load(bytes, {
        name: spec.name,
        limits: spec.limits,
        poolSize: spec.poolSize,
        config: spec.config,
        cacheDir,
        log: (event, fields) => logger.info({ module: spec.name, ...fields }, event),
        onInstanceEvent: (event, err) => logger.warn({ module: spec.name, event, err: String(err) }, 'guest instance replaced'),
      });
      return {
        sha256: module.sha256,
        onRequest: module.onRequest,
        onResponse: module.onResponse,
        metrics: () => {
          const s = module.metrics;
          return { calls: s.executions, failures: s.failures, totalUs: s.totalExecutionTimeUs, maxUs: s.maxExecutionTimeUs };
        },
        close: () => module.close(),
      };
    },
  };
}
