// Starts `wasmgate gateway` through the real CLI (bin/wasmgate.js over dist/, built by the pretest
// step) and waits until it prints the URL it listens on.
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

export async function startGatewayCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [BIN, 'gateway', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const closed = new Promise<void>((done) => child.once('close', () => done()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await closed;
  };
  try {
    const url = await new Promise<string>((found, failed) => {
      const timer = setTimeout(() => failed(new Error(`no "listening on" within 30 s:\n${out}`)), 30_000);
      child.stderr.on('data', () => {
        const match = /listening on (http:\/\/[^\s]+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          found(match[1]!);
        }
      });
      child.once('exit', (code) => failed(new Error(`exited ${code}:\n${out}`)));
    });
    return { url, output: () => out, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
