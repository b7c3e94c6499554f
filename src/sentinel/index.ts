// The Sentinel agent front door: a drop-in replacement for sentinel-agent-wasm that speaks the
// proxy's agent protocol (v1 and v2, detected per connection) on a Unix socket.
import type { SentinelAgentOptions } from './agent-config.js';
import { SentinelAgentServer, type SentinelAgent } from './agent-server.js';

/** Creates an agent; nothing is bound until `start()`. */
export function createSentinelAgent(options: SentinelAgentOptions): SentinelAgent {
  return new SentinelAgentServer(options);
}

export type { SentinelAgent, ReloadResult } from './agent-server.js';
export {
  DEFAULT_DRAIN_TIMEOUT_MS,
  DEFAULT_POOL_SIZE,
  DEFAULT_SOCKET_PATH,
  type SentinelAgentConfig,
  type SentinelAgentOptions,
} from './agent-config.js';
export type { EventMetricsSnapshot, LatencySummary, SentinelAgentMetrics } from './agent-metrics.js';
export type { AgentSettings as SentinelAgentSettings } from './event-payloads.js';
export type { ClosableGuest } from './guest-slot.js';
export { watchModuleFile, type ModuleFileWatcher, type ModuleFileWatcherOptions } from './module-file-watcher.js';
export type { HeaderListGuest, SentinelGuest, SentinelRequest, SentinelRequestInput, SentinelResponse, SentinelResponseInput, SentinelResult } from '../abi/index.js';
