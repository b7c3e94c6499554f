// Paths of guests built from source by `npm run build:guests` (the pretest step).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const buildRoot = resolve(import.meta.dirname, '../../build/guests');

/** Absolute path of a built guest; fails loudly if the build step did not produce it. */
export function guestPath(area: string, name: string): string {
  const path = resolve(buildRoot, area, `${name}.wasm`);
  if (!existsSync(path)) throw new Error(`guest ${area}/${name}.wasm is not built: run npm run build:guests`);
  return path;
}

export const SMALL_REQUEST = {
  method: 'GET',
  uri: '/api/users?page=1',
  client_ip: '192.168.1.100',
  correlation_id: 'abc123',
  headers: { 'user-agent': 'curl/8.5.0' },
};
