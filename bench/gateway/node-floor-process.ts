// The Node floor for gateway-rps.bench.ts, in its own process (child_process.fork): the least a
// reverse proxy in Node can do, node:http in front of an undici Pool that pipes the upstream's
// answer back, with none of a gateway's work (no hop-by-hop handling, forwarded headers, request
// ids, metrics, timeouts or error mapping). It shows how much of wasmgate's cost per request is
// Node's HTTP stack itself. argv[2] is the upstream URL. Tells the parent its URL over IPC;
// answers {type:'cpu'} with its CPU usage.
import { createServer } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import { serveChild } from './serve-child.js';

const pool = new Pool(process.argv[2]!, { connections: 128 });
const server = createServer((req, res) => {
  pool
    .request({ path: req.url ?? '/', method: (req.method ?? 'GET') as Dispatcher.HttpMethod, headers: req.headers as Record<string, string> })
    .then((answer) => {
      res.writeHead(answer.statusCode, answer.headers as Record<string, string>);
      answer.body.pipe(res);
    })
    .catch(() => {
      res.writeHead(502).end();
    });
});
serveChild(server, () => pool.close());
