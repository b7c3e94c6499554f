// #4: socket file handling, draining close, and reload that never drops a request.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstat, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { WasmgateError } from '../../../src/errors.js';
import type { ClosableGuest } from '../../../src/sentinel/index.js';
import { SentinelV1Client, SentinelV2Client, V2Type, encodeV1Request, requestHeadersPayload } from '../../helpers/sentinel-client.js';
import { CountingGuest, SlowGuest, securityGuest } from './fake-guests.js';
import { assertAgentServes, makeTempDir, startTestAgent } from './agent-fixture.js';

type Json = Record<string, unknown>;
const tags = (reply: Json): string[] => (reply['audit'] as { tags: string[] }).tags;

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

function connectError(path: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code));
  });
}

/** Loads the given guests one after another; a value that is an Error is thrown instead. */
function loaderOf(...guests: Array<ClosableGuest | Error>): () => Promise<ClosableGuest> {
  let next = 0;
  return async () => {
    const item = guests[Math.min(next++, guests.length - 1)] as ClosableGuest | Error;
    if (item instanceof Error) throw item;
    return item;
  };
}

describe('sentinel agent: the socket file', () => {
  it('is created with mode 0660 and removed on close', async () => {
    const t = await startTestAgent();
    assert.equal((await stat(t.socketPath)).mode & 0o777, 0o660);
    await t.agent.close();
    assert.equal(await exists(t.socketPath), false);
    await t.dispose();
  });

  it('a stale socket left by a killed agent is removed and replaced', async () => {
    const dir = await makeTempDir();
    const socketPath = join(dir, 'agent.sock');
    spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`]);
    assert.equal((await lstat(socketPath)).isSocket(), true, 'the killed process left its socket behind');
    assert.equal(await connectError(socketPath), 'ECONNREFUSED');
    const t = await startTestAgent({ dir, socketPath });
    await assertAgentServes(socketPath);
    await t.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('a second agent on a live socket refuses to start and the first keeps serving', async () => {
    const first = await startTestAgent();
    const guest = new CountingGuest('second');
    await assert.rejects(
      startTestAgent({ dir: first.dir, socketPath: first.socketPath, guest }),
      (err: unknown) => WasmgateError.is(err, 'WG_ERR_CONFIG_INVALID') && /another process is listening/.test(err.message),
    );
    assert.equal(guest.calls, 0);
    await assertAgentServes(first.socketPath);
    await first.dispose();
  });

  it('a path that is not a socket is never deleted', async () => {
    const dir = await makeTempDir();
    const socketPath = join(dir, 'precious.txt');
    await writeFile(socketPath, 'keep me');
    await assert.rejects(startTestAgent({ dir, socketPath }), (err: unknown) => WasmgateError.is(err, 'WG_ERR_CONFIG_INVALID'));
    assert.equal(await readFile(socketPath, 'utf8'), 'keep me');
    await rm(dir, { recursive: true, force: true });
  });

  it('a guest that fails to load stops start() with a module error and leaves no socket', async () => {
    const dir = await makeTempDir();
    const socketPath = join(dir, 'agent.sock');
    await assert.rejects(
      startTestAgent({ dir, socketPath, loadGuest: async () => Promise.reject(new Error('ENOENT: no such file')) }),
      (err: unknown) => WasmgateError.is(err, 'WG_ERR_MODULE_INVALID'),
    );
    assert.equal(await exists(socketPath), false);
    await rm(dir, { recursive: true, force: true });
  });
});

describe('sentinel agent: close drains', () => {
  it('stops accepting, answers the request in flight, then closes the connection, the guest and the socket', async () => {
    const guest = new SlowGuest();
    const t = await startTestAgent({ guest });
    const client = await SentinelV1Client.connect(t.socketPath);
    client.sendRaw(encodeV1Request('request_headers', requestHeadersPayload({ uri: '/in-flight' })));
    const call = await guest.nextCall();
    const closing = t.agent.close();
    await t.logs.waitFor((l) => l.msg === 'draining');
    assert.notEqual(await connectError(t.socketPath), undefined, 'new connections are refused while draining');
    call.resolve({ decision: 'allow', tags: ['finished'] });
    assert.deepEqual(tags((await client.reply()).value), ['finished']);
    await client.closed;
    await closing;
    await guest.closed.promise;
    assert.equal(await exists(t.socketPath), false);
    await t.dispose();
  });

  it('tells v2 clients it is draining (health state 3) before closing', async () => {
    const t = await startTestAgent({ guest: securityGuest() });
    const client = await SentinelV2Client.connect(t.socketPath);
    await client.next(V2Type.HealthStatus); // healthy, after the handshake
    const closing = t.agent.close();
    const draining = JSON.parse((await client.next(V2Type.HealthStatus)).payload.toString()) as Json;
    assert.equal(draining['state'], 3);
    await client.closed;
    await closing;
    await t.dispose();
  });

  it('is bounded: a guest that never answers is cut off at the drain deadline', async () => {
    const guest = new SlowGuest();
    const t = await startTestAgent({ guest, drainTimeoutMs: 50 });
    const client = await SentinelV1Client.connect(t.socketPath);
    client.sendRaw(encodeV1Request('request_headers', requestHeadersPayload()));
    await guest.nextCall();
    await t.agent.close();
    await client.closed;
    assert.equal(client.unreadReplies, 0);
    await guest.closed.promise; // closed even though its call never returned
    await t.logs.waitFor((l) => l.msg === 'drain deadline passed; closing connections with requests still running');
    await t.dispose();
  });

  it('close() twice is one close, and reload() after close is refused', async () => {
    const t = await startTestAgent();
    await Promise.all([t.agent.close(), t.agent.close()]);
    const result = await t.agent.reload();
    assert.equal(result.reloaded, false);
    await t.dispose();
  });
});

describe('sentinel agent: reload', () => {
  it('keeps the old guest when loading the new one fails', async () => {
    const old = new CountingGuest('old');
    const t = await startTestAgent({ loadGuest: loaderOf(old, new Error('compile failed')) });
    const client = await SentinelV1Client.connect(t.socketPath);
    try {
      const result = await t.agent.reload();
      assert.equal(result.reloaded, false);
      assert.match(String((result as { error: Error }).error.message), /compile failed/);
      assert.deepEqual(tags(await client.request('request_headers', requestHeadersPayload())), ['old']);
      assert.equal(old.closes, 0);
      assert.deepEqual(t.agent.metrics().reloads, { succeeded: 0, failed: 1 });
      await t.logs.waitFor((l) => l.msg === 'reload failed; the previous guest stays in service');
    } finally {
      client.destroy();
      await t.dispose();
    }
  });

  it('swaps on success: new requests use the new guest, the request in flight finishes on the old one, then the old one is closed', async () => {
    const old = new SlowGuest();
    const fresh = new CountingGuest('new');
    const t = await startTestAgent({ loadGuest: loaderOf(old, fresh) });
    const a = await SentinelV1Client.connect(t.socketPath);
    const b = await SentinelV1Client.connect(t.socketPath);
    try {
      a.sendRaw(encodeV1Request('request_headers', requestHeadersPayload({ uri: '/long' })));
      const inFlight = await old.nextCall();
      assert.deepEqual(await t.agent.reload(), { reloaded: true, generation: 2 });
      assert.deepEqual(tags(await b.request('request_headers', requestHeadersPayload())), ['new']);
      let oldClosed = false;
      void old.closed.promise.then(() => (oldClosed = true));
      await b.request('request_headers', requestHeadersPayload()); // a full round trip later, still open
      assert.equal(oldClosed, false, 'the old guest stays open while its call runs');
      inFlight.resolve({ decision: 'allow', tags: ['old'] });
      assert.deepEqual(tags((await a.reply()).value), ['old']);
      await old.closed.promise;
      assert.equal(t.agent.metrics().guestGeneration, 2);
    } finally {
      a.destroy();
      b.destroy();
      await t.dispose();
    }
    assert.equal(fresh.closes, 1, 'close() closes the guest in service');
  });

  it('concurrent reloads run one after another', async () => {
    const t = await startTestAgent({ loadGuest: loaderOf(new CountingGuest('1'), new CountingGuest('2'), new CountingGuest('3')) });
    try {
      const [r2, r3] = await Promise.all([t.agent.reload(), t.agent.reload()]);
      assert.deepEqual([r2, r3], [
        { reloaded: true, generation: 2 },
        { reloaded: true, generation: 3 },
      ]);
    } finally {
      await t.dispose();
    }
  });
});
