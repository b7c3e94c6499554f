// Reads a module or component file for a loader: an unreadable path is the module author's problem
// (WG_ERR_MODULE_INVALID naming the path), not an internal error.
import { readFile } from 'node:fs/promises';
import { WasmgateError, describeError } from '../errors.js';

export async function readModuleFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (err) {
    throw new WasmgateError('WG_ERR_MODULE_INVALID', `cannot read module file ${path}: ${describeError(err)}`, { cause: err });
  }
}
