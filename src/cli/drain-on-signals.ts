// SIGINT / SIGTERM for a long-running command: the first signal drains (close() lets in-flight
// work finish) and exits 0, or 1 if closing failed; a second signal while draining exits 1 at once.
import type { Logger } from 'pino';

export function drainOnSignals(logger: Logger, close: () => Promise<void>): void {
  let stopping = false;
  const onStop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal while draining: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'draining before exit');
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while closing');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onStop).on('SIGTERM', onStop);
}
