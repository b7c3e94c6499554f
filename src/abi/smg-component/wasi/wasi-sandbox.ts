// The WASI 0.2 a component guest gets, matching the upstream host's default context (SMG reference
// §2.5): clocks and random work; no environment, arguments or preopened directories; stdin empty;
// stdout and stderr go to the log (capped per call); outgoing HTTP and sockets are denied; exit traps.
// Nothing is taken from preview2-shim's Node filesystem, environment, sockets or http: those reach
// the real host (and its stream code can exit the process on an unexpected error).
import type { ComponentLog } from '../component/component-log.js';
import { cliInterfaces } from './cli.js';
import { clocksRandomInterfaces } from './clocks-random.js';
import { filesystemSocketInterfaces } from './filesystem-sockets.js';
import { guestConfigInterface, type GuestConfig } from './guest-config.js';
import { GuestOutput } from './guest-output.js';
import { httpInterfaces } from './http.js';
import { ioInterfaces } from './io.js';

export interface WasiSandbox {
  /** Import object for jco's `instantiate`, keyed by unversioned interface name (`wasi:cli/stdout`). */
  readonly imports: Record<string, Record<string, unknown>>;
  /** Call after each guest call: flushes a partial output line and logs any truncation. */
  endCall(): void;
}

/** Builds one instance's WASI (and wasmgate:guest/config): `module` names the guest in log events. */
export function createWasiSandbox(module: string, unsafeLog: ComponentLog, config: GuestConfig = {}): WasiSandbox {
  // A throwing logger must not turn into a guest trap (or mask a call's result).
  const log: ComponentLog = (event, fields) => {
    try {
      unsafeLog(event, fields);
    } catch {
      // dropped: logging is best effort
    }
  };
  const output = new GuestOutput(module, log);
  const imports = {
    ...ioInterfaces(),
    ...clocksRandomInterfaces(),
    ...cliInterfaces(output),
    ...filesystemSocketInterfaces(module, log),
    ...httpInterfaces(module, log),
    ...guestConfigInterface(config),
  } as Record<string, Record<string, unknown>>;
  return { imports, endCall: () => output.endCall() };
}

/** Names each provided interface exports, for checking a component's imports at load time. */
export const PROVIDED_WASI: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(createWasiSandbox('', () => {}).imports).map(([iface, members]) => [iface, new Set(Object.keys(members))]),
);
