// Starts `wasmgate gateway` (or `wasmgate demo`) through the real CLI (bin/wasmgate.js over dist/,
// built by the pretest step) and waits until it prints the URL it listens on.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../../bin/wasmgate.js');

export interface GatewayProcess {
  readonly url: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then waits for the process to go. */
  stop(): Promise<void>;
}

export function startGatewayCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<GatewayProcess> {
  return startServingCli(['gateway', ...args], /listening on (http:\/\/[^\s]+)/, env);
}

/** `wasmgate demo`: its gateway URL is on the first line it prints. */
export function startDemoCli(args: string[]): Promise<GatewayProcess> {
  return startServingCli(['demo', ...args], /gateway on (http:\/\/[^\s,]+)/);
}

async function startServingCli(argv: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [BIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  const closed = new Promise<void>((done) => child.once('close', () => done()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await closed;
  };
  try {
    const url = await new Promise<string>((found, failed) => {
      const timer = setTimeout(() => failed(new Error(`no URL (${ready}) within 30 s:\n${out}`)), 30_000);
      const onData = (d: Buffer): void => {
        out += d;
        const match = ready.exec(out);
        if (match) {
          clearTimeout(timer);
          found(match[1]!);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => failed(new Error(`exited ${code}:\n${out}`)));
    });
    return { url, output: () => out, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
