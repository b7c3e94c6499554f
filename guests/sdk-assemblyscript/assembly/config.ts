// Per-module configuration, through wasmgate's optional `wasmgate:guest/config@0.1.0` import (the
// `config` object of the module's descriptor). Only a module that calls these functions imports
// the interface; one that never does runs unchanged on SMG.
//
//   import { config } from '@wasmgate/sdk-assemblyscript/assembly/config';
//   const key = config.get('api_key');   // string | null
//
// Canonical ABI of the two imports: both results take more than one core value, so the guest passes
// a return pointer and the host writes there, allocating the string with this module's
// cabi_realloc. `get-json: func() -> string` is (retptr); `get: func(key: string) ->
// option<string>` is (key ptr, key len, retptr), with option<string> laid out as u8 is-some at 0
// and ptr/len at 4/8.
import { takeString } from './canonical/lift';
import { utf8Size } from './canonical/lower';

// @ts-ignore: decorator
@external('wasmgate:guest/config@0.1.0', 'get-json')
declare function importGetJson(retptr: usize): void;

// @ts-ignore: decorator
@external('wasmgate:guest/config@0.1.0', 'get')
declare function importGet(keyPtr: usize, keyLen: usize, retptr: usize): void;

/** Where the host writes an import's result (12 bytes, align 4). */
const IMPORT_RETURN_AREA: usize = memory.data(16, 8);

export namespace config {
  /** The module's whole config object as compact JSON; "{}" when it has none. */
  export function json(): string {
    const ret = IMPORT_RETURN_AREA;
    importGetJson(ret);
    return takeString(load<usize>(ret), load<usize>(ret, 4));
  }

  /**
   * One top-level config value: a JSON string as its text, any other JSON value as JSON text
   * (`60`, `true`, `{"a":1}`); null when the key is absent.
   */
  export function get(key: string): string | null {
    const len = utf8Size(key);
    const keyPtr = heap.alloc(max(len, 1));
    String.UTF8.encodeUnsafe(changetype<usize>(key), key.length, keyPtr, false, String.UTF8.ErrorMode.REPLACE);
    const ret = IMPORT_RETURN_AREA;
    store<u8>(ret, 0);
    importGet(keyPtr, len, ret);
    heap.free(keyPtr);
    if (load<u8>(ret) == 0) return null;
    return takeString(load<usize>(ret, 4), load<usize>(ret, 8));
  }
}
