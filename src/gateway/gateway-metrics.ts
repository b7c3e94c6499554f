// The gateway's Prometheus metrics, in its own Registry (never prom-client's global one).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AttachPoint } from '../registry/index.js';

const GUEST_BUCKETS_SECONDS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const PROXY_BUCKETS_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export type CallOutcome = 'continue' | 'reject' | 'modify' | 'error';
export type UpstreamErrorKind = 'unreachable' | 'timeout' | 'reset';

export interface LiveCounts {
  modulesLoaded(): number;
  modulesFailed(): number;
  upstreamsHealthy(): number;
}

interface ModuleSeries {
  readonly calls: Map<CallOutcome, { inc(): void }>;
  readonly seconds: { observe(value: number): void };
}

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly #calls: Counter<'module' | 'attach_point' | 'outcome'>;
  readonly #errors: Counter<'module' | 'attach_point' | 'kind'>;
  readonly #callSeconds: Histogram<'module' | 'attach_point'>;
  readonly #requests: Counter<'status_class'>;
  readonly #requestSeconds: Histogram<'status_class'>;
  readonly #upstreamErrors: Counter<'upstream' | 'kind'>;
  /**
   * The label children of each module and attach point, made once: prom-client hashes the label
   * set on every inc/observe given labels, a measurable share of a guest call.
   */
  readonly #moduleSeries = new Map<string, ModuleSeries>();
  readonly #requestSeries = new Map<string, { readonly requests: { inc(): void }; readonly seconds: { observe(value: number): void } }>();

  constructor(live: LiveCounts) {
    const registers = [this.registry];
    this.#calls = new Counter({
      name: 'wasmgate_module_calls_total',
      help: 'Guest calls by module name, attach point and outcome (error = the call failed)',
      labelNames: ['module', 'attach_point', 'outcome'],
      registers,
    });
    this.#errors = new Counter({
      name: 'wasmgate_module_errors_total',
      help: 'Failed guest calls by module name, attach point and kind (timeout, memory, stack, trap, bad-output, missing-export, other)',
      labelNames: ['module', 'attach_point', 'kind'],
      registers,
    });
    this.#callSeconds = new Histogram({
      name: 'wasmgate_module_call_duration_seconds',
      help: 'Guest call latency as the gateway sees it (waiting for a free instance included)',
      labelNames: ['module', 'attach_point'],
      buckets: GUEST_BUCKETS_SECONDS,
      registers,
    });
    this.#requests = new Counter({
      name: 'wasmgate_proxy_requests_total',
      help: 'Proxied requests by response status class (aborted: the client left before the response ended)',
      labelNames: ['status_class'],
      registers,
    });
    this.#requestSeconds = new Histogram({
      name: 'wasmgate_proxy_request_duration_seconds',
      help: 'Proxied request latency, first byte in to last byte out',
      labelNames: ['status_class'],
      buckets: PROXY_BUCKETS_SECONDS,
      registers,
    });
    this.#upstreamErrors = new Counter({
      name: 'wasmgate_upstream_errors_total',
      help: 'Upstream failures by worker and kind (unreachable, timeout, reset)',
      labelNames: ['upstream', 'kind'],
      registers,
    });
    const gauge = (name: string, help: string, read: () => number): void => {
      new Gauge({ name, help, registers, collect() { this.set(read()); } });
    };
    gauge('wasmgate_modules_loaded', 'Registered modules that are loaded and in the chain', () => live.modulesLoaded());
    gauge('wasmgate_modules_failed', 'Registered modules that failed to load at startup', () => live.modulesFailed());
    gauge('wasmgate_upstreams_healthy', 'Upstream workers not cooling down after a connect failure', () => live.upstreamsHealthy());
  }

  moduleCall(module: string, point: AttachPoint, outcome: CallOutcome, durationUs: number, failureKind?: string): void {
    const key = `${module}\0${point}`;
    let series = this.#moduleSeries.get(key);
    if (series === undefined) {
      series = { calls: new Map(), seconds: this.#callSeconds.labels({ module, attach_point: point }) };
      this.#moduleSeries.set(key, series);
    }
    let calls = series.calls.get(outcome);
    if (calls === undefined) series.calls.set(outcome, (calls = this.#calls.labels({ module, attach_point: point, outcome })));
    calls.inc();
    series.seconds.observe(durationUs / 1e6);
    if (failureKind !== undefined) this.#errors.inc({ module, attach_point: point, kind: failureKind });
  }

  proxyRequest(statusClass: string, durationMs: number): void {
    let series = this.#requestSeries.get(statusClass);
    if (series === undefined) {
      const labels = { status_class: statusClass };
      series = { requests: this.#requests.labels(labels), seconds: this.#requestSeconds.labels(labels) };
      this.#requestSeries.set(statusClass, series);
    }
    series.requests.inc();
    series.seconds.observe(durationMs / 1e3);
  }

  upstreamError(upstream: string, kind: UpstreamErrorKind): void {
    this.#upstreamErrors.inc({ upstream, kind });
  }
}

export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
