// Loads the storage hook at startup (SMG §4.1). Failures stop the start with SMG's messages:
//   failed to read WASM storage hook at <path>: <e>
//   failed to compile WASM storage hook at <path>: component compilation failed: <e>
// Unlike SMG, the component's world is checked here too (a component that is not an
// smg:storage hook is refused at startup instead of failing every call).
import { readFile } from 'node:fs/promises';
import { WasmgateError, describeError } from '../../errors.js';
import { StorageHook, type StorageHookOptions } from '../../abi/index.js';
import { DEFAULT_LIMITS, resolveLimits, type GuestLimits } from '../../runtime/index.js';
import { rustIoErrorText } from '../wasm-api/os-error-text.js';

/** SMG's storage hook limits (§4.8): 10 MiB of linear memory, 5 s per call. */
export const SMG_STORAGE_HOOK_LIMITS: Readonly<Partial<GuestLimits>> = Object.freeze({ maxMemoryPages: 160, maxExecutionTimeMs: 5_000 });

export interface LoadStorageHookOptions extends Omit<StorageHookOptions, 'limits'> {
  limits?: Partial<GuestLimits>;
}

export async function loadStorageHook(path: string, options: LoadStorageHookOptions = {}): Promise<StorageHook> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new WasmgateError('WG_ERR_CONFIG_INVALID', `failed to read WASM storage hook at ${path}: ${rustIoErrorText(err)}`, { cause: err });
  }
  const limits = resolveLimits(resolveLimits(DEFAULT_LIMITS, SMG_STORAGE_HOOK_LIMITS), options.limits ?? {});
  try {
    return await StorageHook.load(bytes, { ...options, limits });
  } catch (err) {
    const code = WasmgateError.is(err) ? err.code : 'WG_ERR_MODULE_INVALID';
    throw new WasmgateError(code, `failed to compile WASM storage hook at ${path}: component compilation failed: ${describeError(err)}`, { cause: err });
  }
}
