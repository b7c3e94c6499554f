// Reads a whole body into memory with a cap, without destroying the stream when the cap is hit
// (so the connection can still carry our 413 or 500).
import type { Readable } from 'node:stream';
import { WasmgateError } from '../errors.js';

/** The client went away before its body was complete. */
export class ClientGoneError extends Error {
  constructor() {
    super('client closed the connection');
    this.name = 'ClientGoneError';
  }
}

/**
 * Resolves with the body, or rejects with WG_ERR_BODY_TOO_LARGE as soon as more than `cap` bytes
 * are declared or have arrived (reading stops; the rest stays unread), or with ClientGoneError.
 */
export function readBody(stream: Readable, cap: number, declaredLength?: number): Promise<Buffer> {
  if (declaredLength !== undefined && declaredLength > cap) {
    return Promise.reject(new WasmgateError('WG_ERR_BODY_TOO_LARGE', `body of ${declaredLength} bytes is over the limit of ${cap}`));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > cap) {
        cleanup();
        stream.pause();
        reject(new WasmgateError('WG_ERR_BODY_TOO_LARGE', `body is over the limit of ${cap} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onClose = (): void => {
      cleanup();
      reject(new ClientGoneError());
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    stream.once('close', onClose);
  });
}

/** Parses a Content-Length header; undefined when absent or not a plain number. */
export function declaredLength(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}
