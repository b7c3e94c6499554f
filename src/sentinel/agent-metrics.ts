// Counters and latencies per event type, kept in plain numbers so `metrics()` is cheap and
// synchronous. Percentiles come from the last LATENCY_WINDOW samples of each event type. An
// optional sink (the Prometheus exporter) is told about the same events.
import type { AgentEventType } from './event-payloads.js';

/** Samples kept per event type for p50/p99. */
export const LATENCY_WINDOW = 1024;

export interface LatencySummary {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export interface EventMetricsSnapshot {
  count: number;
  /** Guest errors and malformed events (each answered by the fail policy). */
  errors: number;
  /** Requests dropped before a reply: cancelled, or their client went away. */
  cancelled: number;
  decisions: Record<string, number>;
  /** Agent-side time from frame parsed to reply ready, in microseconds (includes queueing). */
  latencyUs: LatencySummary;
}

export interface SentinelAgentMetrics {
  uptimeMs: number;
  socketPath: string;
  poolSize: number;
  failOpen: boolean;
  guestGeneration: number;
  connections: { open: number; total: number; v1: number; v2: number };
  requests: { running: number; queued: number };
  reloads: { succeeded: number; failed: number };
  /** Bad input by reason (see docs/sentinel-agent.md). */
  protocolErrors: Record<string, number>;
  /** Replies that could not be written because the client had gone (EPIPE and friends). */
  undeliveredReplies: number;
  events: Partial<Record<AgentEventType, EventMetricsSnapshot>>;
}

/** Receives the same events as AgentMetrics (implemented by the Prometheus exporter). */
export interface MetricsSink {
  observeEvent(event: AgentEventType, decision: string, durationUs: number, error: boolean): void;
  observeCancelled(event: AgentEventType): void;
  observeProtocolError(reason: string): void;
  observeReload(ok: boolean): void;
}

class EventStats {
  count = 0;
  errors = 0;
  cancelled = 0;
  totalUs = 0;
  maxUs = 0;
  readonly decisions: Record<string, number> = {};
  readonly #window = new Float64Array(LATENCY_WINDOW);
  #filled = 0;
  #next = 0;

  record(decision: string, durationUs: number, error: boolean): void {
    this.count++;
    if (error) this.errors++;
    this.decisions[decision] = (this.decisions[decision] ?? 0) + 1;
    this.totalUs += durationUs;
    if (durationUs > this.maxUs) this.maxUs = durationUs;
    this.#window[this.#next] = durationUs;
    this.#next = (this.#next + 1) % LATENCY_WINDOW;
    if (this.#filled < LATENCY_WINDOW) this.#filled++;
  }

  snapshot(): EventMetricsSnapshot {
    const sorted = this.#window.slice(0, this.#filled).sort();
    const at = (q: number): number => (sorted.length === 0 ? 0 : round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0));
    return {
      count: this.count,
      errors: this.errors,
      cancelled: this.cancelled,
      decisions: { ...this.decisions },
      latencyUs: {
        p50: at(0.5),
        p99: at(0.99),
        max: round(this.maxUs),
        mean: this.count === 0 ? 0 : round(this.totalUs / this.count),
      },
    };
  }
}

function round(us: number): number {
  return Math.round(us * 10) / 10;
}

export interface LiveState {
  socketPath: string;
  poolSize: number;
  failOpen: boolean;
  guestGeneration: number;
  running: number;
  queued: number;
  openConnections: number;
}

export class AgentMetrics {
  readonly #startedAt = performance.now();
  readonly #events = new Map<AgentEventType, EventStats>();
  readonly #protocolErrors: Record<string, number> = {};
  #connections = { total: 0, v1: 0, v2: 0 };
  #reloads = { succeeded: 0, failed: 0 };
  #undelivered = 0;
  #sink: MetricsSink | undefined;

  attach(sink: MetricsSink): void {
    this.#sink = sink;
  }

  #stats(event: AgentEventType): EventStats {
    let stats = this.#events.get(event);
    if (stats === undefined) {
      stats = new EventStats();
      this.#events.set(event, stats);
    }
    return stats;
  }

  recordEvent(event: AgentEventType, decision: string, durationUs: number, error: boolean): void {
    this.#stats(event).record(decision, durationUs, error);
    this.#sink?.observeEvent(event, decision, durationUs, error);
  }

  recordCancelled(event: AgentEventType): void {
    this.#stats(event).cancelled++;
    this.#sink?.observeCancelled(event);
  }

  recordProtocolError(reason: string): void {
    this.#protocolErrors[reason] = (this.#protocolErrors[reason] ?? 0) + 1;
    this.#sink?.observeProtocolError(reason);
  }

  recordConnection(protocol: 'v1' | 'v2' | undefined): void {
    if (protocol === undefined) this.#connections.total++;
    else this.#connections[protocol]++;
  }

  recordReload(ok: boolean): void {
    if (ok) this.#reloads.succeeded++;
    else this.#reloads.failed++;
    this.#sink?.observeReload(ok);
  }

  recordUndeliveredReply(): void {
    this.#undelivered++;
  }

  snapshot(live: LiveState): SentinelAgentMetrics {
    const events: Partial<Record<AgentEventType, EventMetricsSnapshot>> = {};
    for (const [event, stats] of this.#events) events[event] = stats.snapshot();
    return {
      uptimeMs: Math.round(performance.now() - this.#startedAt),
      socketPath: live.socketPath,
      poolSize: live.poolSize,
      failOpen: live.failOpen,
      guestGeneration: live.guestGeneration,
      connections: { open: live.openConnections, ...this.#connections },
      requests: { running: live.running, queued: live.queued },
      reloads: { ...this.#reloads },
      protocolErrors: { ...this.#protocolErrors },
      undeliveredReplies: this.#undelivered,
      events,
    };
  }
}
