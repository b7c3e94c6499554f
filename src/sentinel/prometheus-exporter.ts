// Prometheus view of the agent's metrics, in its own Registry (never prom-client's global one, so
// two agents in one process, or a gateway beside an agent, do not collide).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LiveState, MetricsSink } from './agent-metrics.js';
import type { AgentEventType } from './event-payloads.js';

const DURATION_BUCKETS_SECONDS = [
  0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

export class PrometheusExporter implements MetricsSink {
  readonly registry = new Registry();
  readonly #events: Counter<'event' | 'decision'>;
  readonly #errors: Counter<'event'>;
  readonly #cancelled: Counter<'event'>;
  readonly #duration: Histogram<'event'>;
  readonly #protocolErrors: Counter<'reason'>;
  readonly #reloads: Counter<'outcome'>;

  constructor(live: () => LiveState) {
    const registers = [this.registry];
    this.#events = new Counter({
      name: 'wasmgate_sentinel_events_total',
      help: 'Agent events answered, by event type and decision',
      labelNames: ['event', 'decision'],
      registers,
    });
    this.#errors = new Counter({
      name: 'wasmgate_sentinel_event_errors_total',
      help: 'Events answered by the fail policy (guest error or malformed event)',
      labelNames: ['event'],
      registers,
    });
    this.#cancelled = new Counter({
      name: 'wasmgate_sentinel_events_cancelled_total',
      help: 'Events dropped without a reply (cancelled, or the client went away)',
      labelNames: ['event'],
      registers,
    });
    this.#duration = new Histogram({
      name: 'wasmgate_sentinel_event_duration_seconds',
      help: 'Agent-side time per event, queueing included',
      labelNames: ['event'],
      buckets: DURATION_BUCKETS_SECONDS,
      registers,
    });
    this.#protocolErrors = new Counter({
      name: 'wasmgate_sentinel_protocol_errors_total',
      help: 'Bad input from clients, by reason',
      labelNames: ['reason'],
      registers,
    });
    this.#reloads = new Counter({
      name: 'wasmgate_sentinel_reloads_total',
      help: 'Guest reloads, by outcome',
      labelNames: ['outcome'],
      registers,
    });
    const gauge = (name: string, help: string, read: (s: LiveState) => number): void => {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read(live()));
        },
      });
    };
    gauge('wasmgate_sentinel_connections_open', 'Open client connections', (s) => s.openConnections);
    gauge('wasmgate_sentinel_requests_running', 'Guest calls running', (s) => s.running);
    gauge('wasmgate_sentinel_requests_queued', 'Guest calls waiting for a free slot', (s) => s.queued);
    gauge('wasmgate_sentinel_pool_size', 'Configured pool size (max concurrent guest calls)', (s) => s.poolSize);
    gauge('wasmgate_sentinel_guest_generation', 'Number of the guest load in service', (s) => s.guestGeneration);
  }

  observeEvent(event: AgentEventType, decision: string, durationUs: number, error: boolean): void {
    this.#events.inc({ event, decision });
    if (error) this.#errors.inc({ event });
    this.#duration.observe({ event }, durationUs / 1e6);
  }

  observeCancelled(event: AgentEventType): void {
    this.#cancelled.inc({ event });
  }

  observeProtocolError(reason: string): void {
    this.#protocolErrors.inc({ reason });
  }

  observeReload(ok: boolean): void {
    this.#reloads.inc({ outcome: ok ? 'succeeded' : 'failed' });
  }
}
