// The Unix socket file: a stale one (left by a crashed agent) is removed, a live one (another
// process answers on it) makes start-up fail, and anything that is not a socket is never deleted.
import { chmod, lstat, stat, unlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { WasmgateError } from '../errors.js';

/** Socket file mode: owner and group (the proxy's) may connect, nobody else. */
export const SOCKET_FILE_MODE = 0o660;

/** How long to wait for an answer when checking whether a socket is still served. */
const PROBE_TIMEOUT_MS = 1000;

function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** True when something accepts connections on `path`. */
export function isSocketLive(path: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = connect(path);
    const timer = setTimeout(() => {
      probe.destroy();
      resolve(true); // a socket that neither accepts nor refuses is in use by someone
    }, PROBE_TIMEOUT_MS);
    probe.once('connect', () => {
      clearTimeout(timer);
      probe.destroy();
      resolve(true);
    });
    probe.once('error', (err) => {
      clearTimeout(timer);
      const code = errnoCode(err);
      if (code === 'ECONNREFUSED' || code === 'ENOENT') resolve(false);
      else reject(err);
    });
  });
}

/** Makes `path` free to bind: removes a stale socket, refuses a live one or a non-socket file. */
export async function prepareSocketPath(path: string): Promise<void> {
  let info;
  try {
    info = await lstat(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return;
    throw err;
  }
  if (!info.isSocket()) {
    throw new WasmgateError('WG_ERR_CONFIG_INVALID', `socket path ${path} exists and is not a socket; refusing to remove it`);
  }
  let live: boolean;
  try {
    live = await isSocketLive(path);
  } catch (err) {
    throw new WasmgateError('WG_ERR_CONFIG_INVALID', `cannot tell whether socket ${path} is in use: ${errnoCode(err) ?? String(err)}`, {
      cause: err,
    });
  }
  if (live) {
    throw new WasmgateError(
      'WG_ERR_CONFIG_INVALID',
      `another process is listening on ${path}; stop it or choose another --socket`,
    );
  }
  await unlink(path).catch((err: unknown) => {
    if (errnoCode(err) !== 'ENOENT') throw err;
  });
}

/** Identity of the socket file we bound, so we never remove a successor's socket. */
export interface SocketFileId {
  dev: number;
  ino: number;
}

export async function secureSocketFile(path: string): Promise<SocketFileId> {
  await chmod(path, SOCKET_FILE_MODE);
  const { dev, ino } = await stat(path);
  return { dev, ino };
}

/** Removes the socket file if it is still the one we created (Node usually already has). */
export async function removeSocketFile(path: string, id: SocketFileId | undefined): Promise<void> {
  if (id === undefined) return;
  try {
    const info = await lstat(path);
    if (info.dev === id.dev && info.ino === id.ino) await unlink(path);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
}
