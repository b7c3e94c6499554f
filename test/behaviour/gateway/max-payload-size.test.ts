// SMG's --max-payload-size: the outer limit on request bodies of proxied routes, before any module,
// for declared (Content-Length) and streamed (chunked) bodies alike.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { before, describe, it } from 'node:test';
import { gatewaySuite } from '../../helpers/gateway-harness.js';

const LIMIT = 1000;

/** Sends raw bytes and collects what comes back until the server closes (or resets) the connection. */
function exchange(port: number, head: string[], body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = (): void => {
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: Number(text.split(' ')[1]), text });
    };
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', done); // a reset after the answer: the answer is what counts
    socket.on('close', done);
    socket.write(`${head.join('\r\n')}\r\n\r\n${body}`);
  });
}

function chunked(size: number): string {
  let out = '';
  for (let left = size; left > 0; left -= 100) out += `${Math.min(100, left).toString(16)}\r\n${'x'.repeat(Math.min(100, left))}\r\n`;
  return `${out}0\r\n\r\n`;
}

describe('--max-payload-size', () => {
  let port: number;
  const { gateway: t, upstream } = gatewaySuite({ persist: false, gateway: { maxPayloadSize: LIMIT } });
  before(async () => {
    port = Number(new URL(t.url).port);
  });

  it('a Content-Length over the limit gets 413 "length limit exceeded" at once, and the upstream sees nothing', async () => {
    const seen = upstream.received.length;
    const reply = await exchange(port, ['POST /upload HTTP/1.1', 'Host: x', `Content-Length: ${LIMIT + 1}`], 'x'.repeat(LIMIT + 1));
    assert.equal(reply.status, 413);
    assert.match(reply.text, /\r\nconnection: close\r\n/i);
    assert.match(reply.text, /\r\ncontent-type: text\/plain/i);
    assert.ok(reply.text.endsWith('\r\n\r\nlength limit exceeded'), reply.text);
    assert.equal(upstream.received.length, seen);
  });

  it('a chunked body that passes the limit while streaming is cut off with a 413', async () => {
    const reply = await exchange(port, ['POST /upload HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked'], chunked(LIMIT * 3));
    assert.equal(reply.status, 413);
    assert.ok(reply.text.endsWith('length limit exceeded'), reply.text);
  });

  it('bodies up to the limit pass, declared or chunked', async () => {
    const declared = await exchange(port, ['POST /ok HTTP/1.1', 'Host: x', 'Connection: close', `Content-Length: ${LIMIT}`], 'y'.repeat(LIMIT));
    assert.equal(declared.status, 200);
    assert.equal(JSON.parse(declared.text.slice(declared.text.indexOf('\r\n\r\n') + 4)).body, 'y'.repeat(LIMIT));
    const streamed = await exchange(port, ['POST /ok HTTP/1.1', 'Host: x', 'Connection: close', 'Transfer-Encoding: chunked'], chunked(LIMIT));
    assert.equal(streamed.status, 200);
  });

  it('applies before OnRequest modules, which then never run', async () => {
    await t.register('sees-everything', { exports: ['onRequest'], onRequest: { do: 'continue' } }, ['OnRequest']);
    try {
      const module = t.loader.modules.at(-1)!;
      const reply = await exchange(port, ['POST /upload HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked'], chunked(LIMIT * 2));
      assert.equal(reply.status, 413);
      assert.ok(reply.text.endsWith('length limit exceeded'), 'the outer limit answers, not the WASM body cap');
      assert.equal(module.requests.length, 0);
    } finally {
      const list = (await t.admin('/wasm')).json();
      for (const m of list.modules) await t.admin(`/wasm/${m.module_uuid}`, { method: 'DELETE' });
    }
  });
});
