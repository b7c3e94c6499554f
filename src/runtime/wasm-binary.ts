// Recognises what a byte string is before anything compiles it: a core module, a component, or
// not WebAssembly at all, so every loader can fail with a message a module author can act on.
import { createHash } from 'node:crypto';
import { WasmgateError } from '../errors.js';

export type WasmBinaryKind = 'core' | 'component';

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** Classifies `bytes` by its 8-byte preamble; throws WG_ERR_MODULE_INVALID for anything else. */
export function wasmBinaryKind(bytes: Uint8Array, what = 'module'): WasmBinaryKind {
  if (bytes.byteLength === 0) throw new WasmgateError('WG_ERR_MODULE_INVALID', `${what} is empty (0 bytes)`);
  if (bytes.byteLength < 8 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw new WasmgateError(
      'WG_ERR_MODULE_INVALID',
      `${what} is not WebAssembly: it does not start with the \\0asm magic bytes`,
    );
  }
  const version = bytes[4]! | (bytes[5]! << 8);
  const layer = bytes[6]! | (bytes[7]! << 8);
  if (version === 1 && layer === 0) return 'core';
  if (layer === 1) return 'component';
  throw new WasmgateError(
    'WG_ERR_MODULE_INVALID',
    `${what} has an unknown WebAssembly version ${version} / layer ${layer}`,
  );
}

/** Throws unless `bytes` is the expected kind, naming both kinds and how to fix it. */
export function expectWasmKind(bytes: Uint8Array, expected: WasmBinaryKind, what = 'module'): void {
  const kind = wasmBinaryKind(bytes, what);
  if (kind === expected) return;
  const hint =
    expected === 'core'
      ? 'the Sentinel JSON ABI runs core modules (built for wasm32-unknown-unknown or with AssemblyScript), not components'
      : "wrap the core module into a component, e.g. with 'jco new' or 'wasm-tools component new'";
  throw new WasmgateError(
    'WG_ERR_MODULE_KIND_MISMATCH',
    `${what} is a WebAssembly ${kind === 'core' ? 'core module' : 'component'}, expected a ${expected === 'core' ? 'core module' : 'component'}: ${hint}`,
  );
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
