// The agent process's server: owns the Unix socket, the connections, the guest in service and the
// metrics, and runs the lifecycle start → (reload)* → close (drain). See docs/sentinel-agent.md.
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { WasmgateError, describeError } from '../errors.js';
import { AgentConnection } from './agent-connection.js';
import { resolveAgentConfig, type SentinelAgentConfig, type SentinelAgentOptions } from './agent-config.js';
import { AgentMetrics, type LiveState, type SentinelAgentMetrics } from './agent-metrics.js';
import { CallGate } from './call-gate.js';
import { EventHandler } from './event-handler.js';
import { GuestSlot, type ClosableGuest } from './guest-slot.js';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';
import { PrometheusExporter } from './prometheus-exporter.js';
import { V1Session } from './protocol-v1.js';
import { V2Session } from './protocol-v2.js';
import { prepareSocketPath, removeSocketFile, secureSocketFile, type SocketFileId } from './socket-file.js';

export type ReloadResult = { reloaded: true; generation: number } | { reloaded: false; error: unknown };

export interface SentinelAgent {
  /** The Unix socket path. */
  readonly address: string;
  /** The Prometheus endpoint once started with `metricsPort`, else undefined. */
  readonly metricsUrl: string | undefined;
  /** Loads the guest, binds the socket (mode 0660) and starts serving. */
  start(): Promise<void>;
  /** Loads a new guest; on failure the old one stays in service. Never rejects. */
  reload(): Promise<ReloadResult>;
  /** Stops accepting, answers accepted requests (bounded), closes guests, removes the socket. */
  close(): Promise<void>;
  metrics(): SentinelAgentMetrics;
}

type ServerState = 'new' | 'starting' | 'running' | 'closing' | 'closed';

/** Resolves true if `promise` settles within `ms`, false otherwise. */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, ms));
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class SentinelAgentServer implements SentinelAgent {
  readonly #config: SentinelAgentConfig;
  readonly #logger: Logger;
  readonly #metrics = new AgentMetrics();
  readonly #gate: CallGate;
  readonly #guests: GuestSlot;
  readonly #handler: EventHandler;
  readonly #connections = new Set<AgentConnection>();
  #state: ServerState = 'new';
  #server: Server | undefined;
  #socketId: SocketFileId | undefined;
  #metricsServer: MetricsServer | undefined;
  #nextConnectionId = 1;
  #reloads: Promise<ReloadResult> = Promise.resolve({ reloaded: true, generation: 0 });
  #starting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: SentinelAgentOptions) {
    const config = resolveAgentConfig(options);
    this.#config = config;
    this.#logger = config.logger;
    this.#gate = new CallGate(config.poolSize, config.queueTimeoutMs);
    this.#guests = new GuestSlot((err, generation) =>
      this.#logger.error({ err, generation }, 'closing a retired guest failed'),
    );
    this.#handler = new EventHandler({
      gate: this.#gate,
      guests: this.#guests,
      metrics: this.#metrics,
      logger: this.#logger,
      settings: { poolSize: config.poolSize, failOpen: config.failOpen },
      onConfigure: config.onConfigure,
    });
  }

  get address(): string {
    return this.#config.socketPath;
  }

  get metricsUrl(): string | undefined {
    return this.#metricsServer?.url;
  }

  start(): Promise<void> {
    if (this.#state !== 'new') return Promise.reject(new Error(`start() called on a ${this.#state} agent`));
    this.#state = 'starting';
    this.#starting = this.#start();
    return this.#starting;
  }

  async #start(): Promise<void> {
    const path = this.#config.socketPath;
    try {
      await prepareSocketPath(path);
      this.#guests.install(await this.#loadFirstGuest());
      this.#server = await this.#listen(path);
      this.#socketId = await secureSocketFile(path);
      if (this.#config.metricsPort !== undefined) this.#metricsServer = await this.#startMetrics(this.#config.metricsPort);
    } catch (err) {
      await this.#releaseAll(true);
      this.#state = 'closed';
      throw err;
    }
    this.#state = 'running';
    const { poolSize, failOpen } = this.#handler.settings;
    this.#logger.info({ socket: path, poolSize, failOpen, metrics: this.metricsUrl }, 'sentinel agent listening');
  }

  reload(): Promise<ReloadResult> {
    const run = (): Promise<ReloadResult> => this.#reloadOnce();
    this.#reloads = this.#reloads.then(run, run);
    return this.#reloads;
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  metrics(): SentinelAgentMetrics {
    return this.#metrics.snapshot(this.#live());
  }

  #live(): LiveState {
    const { poolSize, failOpen } = this.#handler.settings;
    return {
      socketPath: this.#config.socketPath,
      poolSize,
      failOpen,
      guestGeneration: this.#guests.generation,
      running: this.#gate.active,
      queued: this.#gate.queued,
      openConnections: this.#connections.size,
    };
  }

  async #loadFirstGuest(): Promise<ClosableGuest> {
    try {
      return await this.#config.loadGuest();
    } catch (err) {
      if (err instanceof WasmgateError) throw err;
      throw new WasmgateError('WG_ERR_MODULE_INVALID', `failed to load the guest module: ${describeError(err)}`, { cause: err });
    }
  }

  #listen(path: string): Promise<Server> {
    const server = createServer({ allowHalfOpen: true }, (socket) => this.#accept(socket));
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        server.on('error', (err) => this.#logger.error({ err }, 'socket server error'));
        resolve(server);
      });
    });
  }

  #accept(socket: Socket): void {
    if (this.#state !== 'running') {
      socket.destroy();
      return;
    }
    const connection = new AgentConnection(this.#nextConnectionId++, socket, this.#metrics, this.#logger, (protocol, conn) =>
      protocol === 'v1' ? new V1Session(conn, this.#handler) : new V2Session(conn, this.#handler),
    );
    this.#connections.add(connection);
    void connection.closed.then(() => this.#connections.delete(connection));
  }

  async #startMetrics(port: number): Promise<MetricsServer> {
    const exporter = new PrometheusExporter(() => this.#live());
    this.#metrics.attach(exporter);
    return startMetricsServer(port, exporter.registry, this.#logger);
  }

  async #reloadOnce(): Promise<ReloadResult> {
    if (this.#state !== 'running') {
      return { reloaded: false, error: new Error(`reload ignored: the agent is ${this.#state}`) };
    }
    let guest: ClosableGuest;
    try {
      guest = await this.#config.loadGuest();
    } catch (error) {
      this.#metrics.recordReload(false);
      this.#logger.error({ err: error }, 'reload failed; the previous guest stays in service');
      return { reloaded: false, error };
    }
    if (this.#state !== 'running') {
      await guest.close?.().catch((err: unknown) => this.#logger.error({ err }, 'closing an unused guest failed'));
      return { reloaded: false, error: new Error('reload abandoned: the agent is closing') };
    }
    const generation = this.#guests.install(guest);
    this.#metrics.recordReload(true);
    this.#logger.info({ generation }, 'guest reloaded; calls already running finish on the previous guest');
    return { reloaded: true, generation };
  }

  async #close(): Promise<void> {
    await this.#starting?.catch(() => {});
    if (this.#state !== 'running') {
      this.#state = 'closed';
      return;
    }
    this.#state = 'closing';
    const deadline = Date.now() + this.#config.drainTimeoutMs;
    this.#server?.close();
    const connections = [...this.#connections];
    this.#logger.info({ connections: connections.length, running: this.#gate.active }, 'draining');
    const drained = await settlesWithin(Promise.all(connections.map((c) => c.drain())), deadline - Date.now());
    if (!drained) {
      const left = [...this.#connections];
      this.#logger.warn({ connections: left.length, drainTimeoutMs: this.#config.drainTimeoutMs }, 'drain deadline passed; closing connections with requests still running');
      for (const connection of left) connection.destroy();
    }
    const guestsClosed = drained && (await settlesWithin(this.#guests.closeAll(false), deadline - Date.now()));
    await this.#releaseAll(!guestsClosed);
    this.#state = 'closed';
    this.#logger.info('sentinel agent closed');
  }

  /** Closes guests, the metrics endpoint, the listener and the socket file. */
  async #releaseAll(force: boolean): Promise<void> {
    await this.#guests.closeAll(force);
    await this.#metricsServer?.close();
    const server = this.#server;
    if (server?.listening) await new Promise((resolve) => server.close(resolve));
    await removeSocketFile(this.#config.socketPath, this.#socketId).catch((err: unknown) =>
      this.#logger.warn({ err }, 'could not remove the socket file'),
    );
  }
}
