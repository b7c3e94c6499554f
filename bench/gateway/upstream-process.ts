// The upstream for gateway-rps.bench.ts, in its own process (child_process.fork): a node:http
// server on 127.0.0.1:0 answering every request with the same small JSON body (Content-Length
// set, keep-alive). Tells the parent its URL over IPC; answers {type:'cpu'} with its CPU usage.
import { createServer } from 'node:http';
import { serveChild } from './serve-child.js';

const BODY = Buffer.from(JSON.stringify({ object: 'list', data: [{ id: 'model-a', object: 'model', owned_by: 'bench' }] }));
const HEADERS = { 'content-type': 'application/json', 'content-length': String(BODY.length) };

const server = createServer((req, res) => {
  // Drain any request body, then answer.
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, HEADERS);
    res.end(BODY);
  });
});
serveChild(server);
