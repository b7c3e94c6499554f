// wasi:cli for a sandboxed guest: no environment, no arguments, no cwd, empty stdin, stdout and
// stderr to the log (capped), no terminal, and exit as a trap.
import { GuestFault } from '../../../runtime/index.js';
import type { GuestOutput } from './guest-output.js';
import { InputStream, OutputStream } from './io.js';

class TerminalInput {}
class TerminalOutput {}

function exitTrap(detail: string): GuestFault {
  return new GuestFault('trap', `guest called wasi:cli/exit (${detail})`);
}

export function cliInterfaces(output: GuestOutput): Record<string, object> {
  const stdout = new OutputStream((bytes) => output.write('stdout', bytes));
  const stderr = new OutputStream((bytes) => output.write('stderr', bytes));
  const stdin = new InputStream();
  return {
    'wasi:cli/environment': {
      getEnvironment: (): Array<[string, string]> => [],
      getArguments: (): string[] => [],
      initialCwd: (): string | undefined => undefined,
    },
    'wasi:cli/exit': {
      exit(status: { tag: 'ok' | 'err' }): never {
        throw exitTrap(`status ${status?.tag === 'ok' ? 'ok' : 'err'}`);
      },
      exitWithCode(code: number): never {
        throw exitTrap(`code ${code}`);
      },
    },
    'wasi:cli/stdin': { getStdin: () => stdin },
    'wasi:cli/stdout': { getStdout: () => stdout },
    'wasi:cli/stderr': { getStderr: () => stderr },
    'wasi:cli/terminal-input': { TerminalInput },
    'wasi:cli/terminal-output': { TerminalOutput },
    'wasi:cli/terminal-stdin': { getTerminalStdin: (): TerminalInput | undefined => undefined },
    'wasi:cli/terminal-stdout': { getTerminalStdout: (): TerminalOutput | undefined => undefined },
    'wasi:cli/terminal-stderr': { getTerminalStderr: (): TerminalOutput | undefined => undefined },
  };
}
