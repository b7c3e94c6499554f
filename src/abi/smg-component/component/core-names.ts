// Guards the generated glue against code injection. jco 1.15 writes the import and export names
// of a component's core modules into the glue as JavaScript string literals without escaping
// (`exports0['<name>']`, `{ '<module>': { '<field>': trampoline0 } }`), so a component whose core
// module exports a function named `x'];process.exit();//` would run that code when the glue is
// imported. Component-level names are safe (the component model's name grammar is validated);
// core-level names are arbitrary UTF-8. Every core import and export name is therefore checked
// against the characters real toolchains use (wit-component conventions such as
// `[method]output-stream.write`, `cabi_post_smg:gateway/middleware-on-request#on-request`,
// `wasi:cli/environment@0.2.3`, `$root`, `cm32p2|iface|func`) before any glue is imported.
import { WasmgateError } from '../../../errors.js';

const SAFE_NAME = /^[A-Za-z0-9_\-:/@.#[\]$+|]*$/;

class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  byte(): number {
    if (this.pos >= this.bytes.length) throw new Error('unexpected end of module');
    return this.bytes[this.pos++]!;
  }

  /** Unsigned LEB128 (up to 64 bits; the value is only exact up to 2^53, enough for sizes). */
  leb(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new Error('LEB128 too long');
  }

  name(): string {
    const len = this.leb();
    const end = this.pos + len;
    if (end > this.bytes.length) throw new Error('name runs past the end of the module');
    const s = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.pos, len).toString('latin1');
    this.pos = end;
    return s;
  }

  limits(): void {
    const flags = this.byte();
    this.leb();
    if (flags & 1) this.leb();
  }
}

function skipImportDescription(r: Reader): void {
  const kind = r.byte();
  switch (kind) {
    case 0x00: // func: type index
      r.leb();
      return;
    case 0x01: {
      // table: reference type (0x63/0x64 carry a heap type), then limits
      const ref = r.byte();
      if (ref === 0x63 || ref === 0x64) r.leb();
      r.limits();
      return;
    }
    case 0x02: // memory
      r.limits();
      return;
    case 0x03: {
      // global: value type (reference types may carry a heap type), mutability
      const type = r.byte();
      if (type === 0x63 || type === 0x64) r.leb();
      r.byte();
      return;
    }
    case 0x04: // tag: attribute, type index
      r.byte();
      r.leb();
      return;
    default:
      throw new Error(`unknown import kind 0x${kind.toString(16)}`);
  }
}

/** Every import (module and field) and export name of a core module. */
export function coreModuleNames(bytes: Uint8Array): string[] {
  const r = new Reader(bytes);
  r.pos = 8;
  const names: string[] = [];
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.leb();
    const end = r.pos + size;
    if (end > bytes.length) throw new Error('section runs past the end of the module');
    if (id === 2) {
      for (let n = r.leb(); n > 0; n--) {
        names.push(r.name(), r.name());
        skipImportDescription(r);
      }
    } else if (id === 7) {
      for (let n = r.leb(); n > 0; n--) {
        names.push(r.name());
        r.byte();
        r.leb();
      }
    }
    r.pos = end;
  }
  return names;
}

/** Throws WG_ERR_MODULE_UNSUPPORTED when a core module of the component has an unsafe name. */
export function checkCoreNames(bytes: Uint8Array, file: string): void {
  let names: string[];
  try {
    names = coreModuleNames(bytes);
  } catch (err) {
    throw new WasmgateError('WG_ERR_MODULE_INVALID', `core module ${file} of the component is malformed: ${(err as Error).message}`);
  }
  const bad = names.find((n) => !SAFE_NAME.test(n));
  if (bad !== undefined) {
    throw new WasmgateError(
      'WG_ERR_MODULE_UNSUPPORTED',
      `a core module of the component imports or exports the name ${JSON.stringify(bad.slice(0, 80))}, which contains characters wasmgate does not accept in core names`,
    );
  }
}
