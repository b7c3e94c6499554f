// A real node:http upstream on 127.0.0.1:0 for gateway tests. By default it answers a JSON echo
// of what it received; tests can install their own handler. Every request is recorded.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  /** Resolves when the client side of this request closed (finished or aborted). */
  closed: Promise<{ aborted: boolean }>;
}

export type UpstreamHandler = (req: IncomingMessage, res: ServerResponse, received: ReceivedRequest) => void;

export interface TestUpstream {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  readonly received: ReceivedRequest[];
  /** Resolves with the next request to arrive (headers in; body may still be streaming). */
  nextRequest(): Promise<ReceivedRequest>;
  setHandler(handler: UpstreamHandler): void;
  close(): Promise<void>;
}

export function echo(_req: IncomingMessage, res: ServerResponse, received: ReceivedRequest): void {
  const body = JSON.stringify({
    method: received.method,
    url: received.url,
    headers: received.headers,
    body: received.body.toString('utf8'),
  });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}

export async function startUpstream(handler: UpstreamHandler = echo): Promise<TestUpstream> {
  const received: ReceivedRequest[] = [];
  const waiting: Array<(r: ReceivedRequest) => void> = [];
  let current = handler;
  const server = createServer((req, res) => {
    let markClosed!: (v: { aborted: boolean }) => void;
    const entry: ReceivedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: Buffer.alloc(0),
      closed: new Promise((r) => (markClosed = r)),
    };
    res.once('close', () => markClosed({ aborted: !res.writableFinished }));
    received.push(entry);
    waiting.shift()?.(entry);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      entry.body = Buffer.concat(chunks);
      current(req, res, entry);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    received,
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
    setHandler(h) {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
