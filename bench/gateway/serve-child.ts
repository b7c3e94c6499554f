// The IPC side every HTTP server process of gateway-rps.bench.ts shares: listen on 127.0.0.1:0, tell
// the parent {type:'ready', url}, answer {type:'cpu'} with this process's CPU usage, and on
// {type:'exit'} (or when the parent goes) close and exit.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export function serveChild(server: Server, beforeClose: () => Promise<unknown> = async () => {}): void {
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.send!({ type: 'ready', url: `http://127.0.0.1:${port}` });
  });
  process.on('message', (message: { type: string }) => {
    if (message.type === 'cpu') process.send!({ type: 'cpu', usage: process.cpuUsage() });
    if (message.type === 'exit') {
      server.closeAllConnections();
      void beforeClose().finally(() => server.close(() => process.exit(0)));
    }
  });
  process.on('disconnect', () => process.exit(0));
}
