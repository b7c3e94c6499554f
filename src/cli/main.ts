// The composition root: builds the commander program and wires each command to the library.
import { Command, CommanderError } from 'commander';
import pino from 'pino';
import { WasmgateError } from '../errors.js';
import { IsolatedSentinelModule, SentinelJsonModule } from '../abi/index.js';
import type { ModuleLoader } from '../gateway/index.js';
import type { Isolation } from '../config/index.js';
import { createComponentLoader } from './component-loader.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerGatewayCommand } from './commands/gateway.js';
import { registerInitCommand } from './commands/init.js';
import { registerRunCommand } from './commands/run.js';
import { registerSentinelAgentCommand } from './commands/sentinel-agent.js';
import { defaultCacheDir } from './options.js';

export function buildProgram(): Command {
  const program = new Command('wasmgate')
    .description('Run untrusted WebAssembly modules as HTTP request/response middleware, safely and fast.')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerRunCommand(program);
  registerInitCommand(program);
  const loaderFor = (isolation: Isolation): ModuleLoader => createComponentLoader({ cacheDir: defaultCacheDir(), logger: pino({ name: 'wasmgate' }), isolation });
  registerGatewayCommand(program, { loaderFor });
  registerDemoCommand(program, { loader: loaderFor('inline') });
  registerSentinelAgentCommand(program, {
    createGuestLoader: (modulePath, options) => () => {
      const limits = { maxExecutionTimeMs: options.maxExecutionTimeMs, maxMemoryPages: options.maxMemoryPages };
      if (options.isolation === 'worker') {
        return IsolatedSentinelModule.load(modulePath, {
          poolSize: options.poolSize,
          limits,
          onWorkerExit: (err) => options.logger.warn({ module: modulePath, err: String(err) }, 'executor thread exited; restarting it'),
        });
      }
      return SentinelJsonModule.load(modulePath, {
        poolSize: options.poolSize,
        limits,
        log: (level, message) => options.logger[level]({ module: modulePath, guest: message }, 'guest output'),
        onInstanceEvent: (event, err) => options.logger.warn({ module: modulePath, event, err: String(err) }, 'guest instance replaced'),
      });
    },
  });
  return program;
}

/** Exit codes: 0 ok, 1 the guest failed, 2 bad usage, input or module. */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed the message (or help/version, exit code 0).
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    if (err instanceof WasmgateError) {
      process.stderr.write(`wasmgate: ${err.code}: ${err.message}\n`);
      process.exitCode = err.code.startsWith('WG_ERR_GUEST_') || err.code === 'WG_ERR_POOL_EXHAUSTED' ? 1 : 2;
      return;
    }
    throw err;
  }
}
