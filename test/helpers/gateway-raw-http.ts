// Sends an exact HTTP/1.1 request over a raw socket (for headers undici refuses to send, such as
// Connection tokens, Keep-Alive, TE, Upgrade) and returns the raw response once the server closes.
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

export function rawRequest(port: number, lines: string[], body = ''): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine, ...headerLines] = text.slice(0, split).split('\r\n');
      resolve({
        status: Number(statusLine!.split(' ')[1]),
        headers: headerLines.map((l) => {
          const i = l.indexOf(':');
          return [l.slice(0, i).toLowerCase(), l.slice(i + 1).trim()];
        }),
        body: text.slice(split + 4),
      });
    });
    socket.write(`${lines.join("\r\n")}\r\n\r\n${body}`);
  });
}
