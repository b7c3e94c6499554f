// Test helper (not a test): the example components (guests/examples, built by the pretest step),
// loaded through wasmgate's component loaders and instantiated with a module config.
import { readFileSync } from 'node:fs';
import { loadSmgComponent, plainCoreModuleHooks, type ComponentInstanceHandle, type SmgAction, type SmgRequest } from '../../../src/abi/smg-component/index.js';
import { loadStorageHookComponent, type ExtraColumn, type StorageHookInstanceHandle } from '../../../src/abi/storage-hook/index.js';
import { guestPath } from '../../helpers/guests.js';

const MiB = 1024 * 1024;

/** A fresh instance of an smg example; `config` is the module's descriptor config. */
export async function smgExample(name: string, config: Record<string, unknown> = {}): Promise<Required<Pick<ComponentInstanceHandle, 'onRequest' | 'onResponse'>>> {
  const loaded = await loadSmgComponent(readFileSync(guestPath('examples', name)), { maxBodySize: 10 * MiB, name });
  const instance = await loaded.instantiate(plainCoreModuleHooks, config);
  if (!instance.onRequest || !instance.onResponse) throw new Error(`${name} does not export both smg:gateway interfaces`);
  return { onRequest: instance.onRequest, onResponse: instance.onResponse };
}

/** A fresh instance of a storage-hook example. */
export async function storageExample(name: string, config: Record<string, unknown> = {}): Promise<StorageHookInstanceHandle> {
  const loaded = await loadStorageHookComponent(readFileSync(guestPath('examples', name)), { name });
  return loaded.instantiate(plainCoreModuleHooks, config);
}

/** A request as the gateway builds it; headers given as [name, value] pairs (names lower case). */
export function request(path: string, headers: Array<[string, string]> = [], overrides: Partial<SmgRequest> = {}): SmgRequest {
  return {
    method: 'GET',
    path,
    query: '',
    headers: headers.map(([name, value]) => ({ name, value })),
    body: new Uint8Array(0),
    requestId: 'req-test',
    nowEpochMs: 1_700_000_000_000,
    ...overrides,
  };
}

export const CONTINUE: SmgAction = { tag: 'continue' };
export const reject = (status: number): SmgAction => ({ tag: 'reject', status });

/** Columns as an object, for order-insensitive checks. */
export function columnMap(columns: readonly ExtraColumn[]): Record<string, string> {
  return Object.fromEntries(columns.map((c) => [c.name, c.value]));
}
