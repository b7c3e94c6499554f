// Renames a core module's exports to the names the component model expects, and drops every
// other export. AssemblyScript identifiers cannot contain ':', '/' or '#', so the SDK exports
// `wasmgate_smg_on_request` and friends and this step turns them into
// `smg:gateway/middleware-on-request#on-request` etc. Only the export section is rewritten; every
// other section is copied byte for byte.

/** AssemblyScript export name -> component-model core export name, per world. */
export const EXPORT_NAMES = Object.freeze({
  smg: Object.freeze({
    wasmgate_smg_on_request: 'smg:gateway/middleware-on-request#on-request',
    wasmgate_smg_on_request_post: 'cabi_post_smg:gateway/middleware-on-request#on-request',
    wasmgate_smg_on_response: 'smg:gateway/middleware-on-response#on-response',
    wasmgate_smg_on_response_post: 'cabi_post_smg:gateway/middleware-on-response#on-response',
  }),
  storage: Object.freeze({
    wasmgate_storage_before: 'smg:storage/storage-hook-before#before',
    wasmgate_storage_before_post: 'cabi_post_smg:storage/storage-hook-before#before',
    wasmgate_storage_after: 'smg:storage/storage-hook-after#after',
    wasmgate_storage_after_post: 'cabi_post_smg:storage/storage-hook-after#after',
  }),
});

/** Exports kept under their own name. */
const KEPT = new Set(['memory', 'cabi_realloc']);

const EXPORT_SECTION = 7;

function readU32(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    if (b === undefined) throw new Error('truncated LEB128');
    value |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return { value: value >>> 0, next: at };
    shift += 7;
    if (shift > 28) throw new Error('LEB128 too long for a u32');
  }
}

function writeU32(value, out) {
  do {
    let b = value & 0x7f;
    value >>>= 7;
    if (value !== 0) b |= 0x80;
    out.push(b);
  } while (value !== 0);
}

/** Splits a module into [id, start, end] of each section's contents. */
function sections(bytes) {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d || bytes[4] !== 1) {
    throw new Error('not a core WebAssembly module');
  }
  const out = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at];
    const { value: size, next } = readU32(bytes, at + 1);
    out.push({ id, headerStart: at, start: next, end: next + size });
    at = next + size;
  }
  if (at !== bytes.length) throw new Error('section extends past the end of the module');
  return out;
}

function readExports(bytes, section) {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let { value: count, next: at } = readU32(bytes, section.start);
  const exports = [];
  for (let i = 0; i < count; i++) {
    const nameLen = readU32(bytes, at);
    const name = decoder.decode(bytes.subarray(nameLen.next, nameLen.next + nameLen.value));
    at = nameLen.next + nameLen.value;
    const kind = bytes[at++];
    const index = readU32(bytes, at);
    at = index.next;
    exports.push({ name, kind, index: index.value });
  }
  return exports;
}

function encodeExports(exports) {
  const encoder = new TextEncoder();
  const body = [];
  writeU32(exports.length, body);
  for (const e of exports) {
    const name = encoder.encode(e.name);
    writeU32(name.length, body);
    body.push(...name);
    body.push(e.kind);
    writeU32(e.index, body);
  }
  const out = [EXPORT_SECTION];
  writeU32(body.length, out);
  out.push(...body);
  return Uint8Array.from(out);
}

/** The export names of a core module, in order. */
export function exportNames(bytes) {
  const section = sections(bytes).find((s) => s.id === EXPORT_SECTION);
  return section ? readExports(bytes, section).map((e) => e.name) : [];
}

/**
 * Returns `bytes` with the exports of `world` ('smg' | 'storage') renamed, `memory` and
 * `cabi_realloc` kept, and every other export dropped. Throws naming what is missing when the
 * module lacks an export the world needs (usually a forgotten `export * from '.../exports'`).
 * @param {Uint8Array} bytes
 * @param {'smg' | 'storage'} world
 * @returns {{ bytes: Uint8Array, dropped: string[] }}
 */
export function renameExports(bytes, world) {
  const names = EXPORT_NAMES[world];
  if (!names) throw new Error(`unknown world "${world}" (expected ${Object.keys(EXPORT_NAMES).join(' or ')})`);
  const all = sections(bytes);
  const section = all.find((s) => s.id === EXPORT_SECTION);
  const exports = section ? readExports(bytes, section) : [];
  const present = new Set(exports.map((e) => e.name));
  const missing = [...Object.keys(names), ...KEPT].filter((n) => !present.has(n));
  if (missing.length > 0) {
    throw new Error(
      `the module does not export ${missing.join(', ')}: add \`export * from '@wasmgate/sdk-assemblyscript/assembly/${world}/exports';\` to the entry file`,
    );
  }
  const kept = [];
  const dropped = [];
  for (const e of exports) {
    if (Object.hasOwn(names, e.name)) kept.push({ ...e, name: names[e.name] });
    else if (KEPT.has(e.name)) kept.push(e);
    else dropped.push(e.name);
  }
  const replacement = encodeExports(kept);
  const out = new Uint8Array(bytes.length - (section.end - section.headerStart) + replacement.length);
  out.set(bytes.subarray(0, section.headerStart), 0);
  out.set(replacement, section.headerStart);
  out.set(bytes.subarray(section.end), section.headerStart + replacement.length);
  return { bytes: out, dropped };
}
