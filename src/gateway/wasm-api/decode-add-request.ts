// Decodes a POST /wasm body exactly as SMG's axum handler would (`Json<WasmModuleAddRequest>`):
// the same types in the same field order, so the same 400/422 texts. wasmgate's extra descriptor
// fields (wasm_base64, priority, ...) are unknown to serde and collected on the side; `file_path`
// may then be omitted when `wasm_base64` is given.
import type { AttachPoint } from '../../registry/index.js';
import { SerdeError, dataError } from './serde-error.js';
import { SerdeJsonReader } from './serde-json-reader.js';

export interface DecodedDescriptor {
  readonly name: string;
  readonly filePath: string | undefined;
  readonly attachPoints: AttachPoint[];
  /** Fields serde ignores (wasmgate's extensions among them), by name. */
  readonly extras: Readonly<Record<string, unknown>>;
}

export type DecodeOutcome =
  | { readonly ok: true; readonly modules: DecodedDescriptor[] }
  | { readonly ok: false; readonly status: 400 | 422; readonly text: string };

type Reader = (r: SerdeJsonReader, path: string) => unknown;

interface Field {
  readonly name: string;
  readonly read: Reader;
  readonly optional?: boolean;
}

interface Variant {
  readonly name: string;
  /** Newtype variants carry a value read by `read`; unit variants carry nothing. */
  readonly read?: Reader;
}

const key = (path: string, name: string): string => (path ? `${path}.${name}` : name);

function withPath<T>(path: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof SerdeError && err.path === undefined) err.path = path;
    throw err;
  }
}

function expectedOneOf(names: readonly string[]): string {
  if (names.length === 1) return `\`${names[0]}\``;
  if (names.length === 2) return `\`${names[0]}\` or \`${names[1]}\``;
  return `one of ${names.map((n) => `\`${n}\``).join(', ')}`;
}

function readString(r: SerdeJsonReader): string {
  const c = r.peek();
  if (c === undefined) throw r.peekError('EOF while parsing a value', 'eof');
  if (c !== 0x22) throw r.invalidType('a string');
  r.eat();
  return r.string();
}

/** At a `[` or `,` position: true when an element follows (serde_json SeqAccess::next_element_seed). */
function seqNext(r: SerdeJsonReader, first: boolean): boolean {
  let c = r.peek();
  if (c === 0x5d) return false;
  if (c === 0x2c && !first) {
    r.eat();
    c = r.peek();
  } else if (c !== undefined) {
    if (!first) throw r.peekError('expected `,` or `]`');
  } else {
    throw r.peekError('EOF while parsing a list', 'eof');
  }
  if (c === 0x5d) throw r.peekError('trailing comma');
  if (c === undefined) throw r.peekError('EOF while parsing a value', 'eof');
  return true;
}

/** Runs a container body, then its end check (always, as serde_json does), then fixes the position. */
function container<T>(r: SerdeJsonReader, path: string, body: () => T, end: () => SerdeError | undefined): T {
  r.enter();
  r.eat();
  let result: T | undefined;
  let failure: unknown;
  try {
    result = body();
  } catch (err) {
    failure = err;
  }
  r.leave();
  const endFailure = end();
  failure ??= endFailure;
  if (failure !== undefined) {
    r.fix(failure);
    withPath(path, () => {
      throw failure;
    });
  }
  return result as T;
}

function readSeq<T>(r: SerdeJsonReader, path: string, element: (r: SerdeJsonReader, path: string) => T): T[] {
  return withPath(path, () => {
    const c = r.peek();
    if (c === undefined) throw r.peekError('EOF while parsing a value', 'eof');
    if (c !== 0x5b) throw r.invalidType('a sequence');
    return container(
      r,
      path,
      () => {
        const out: T[] = [];
        for (let first = true; seqNext(r, first); first = false) {
          const at = `${path}[${out.length}]`;
          out.push(withPath(at, () => element(r, at)));
        }
        return out;
      },
      () => r.endSeq(),
    );
  });
}

function readStruct(
  r: SerdeJsonReader,
  path: string,
  typeName: string,
  fields: readonly Field[],
  extras: Record<string, unknown>,
  isRequired: (field: string) => boolean = () => true,
): Map<string, unknown> {
  return withPath(path, () => {
    const c = r.peek();
    if (c === undefined) throw r.peekError('EOF while parsing a value', 'eof');
    if (c === 0x7b) {
      return container(
        r,
        path,
        () => {
          const seen = new Map<string, unknown>();
          for (let first = true; ; first = false) {
            const name = r.mapKey(first);
            if (name === undefined) break;
            const field = fields.find((f) => f.name === name);
            if (field && seen.has(name)) throw dataError(`duplicate field \`${name}\``);
            const at = key(path, name);
            const value = withPath(at, () => {
              r.objectColon();
              return field ? field.read(r, at) : r.value();
            });
            if (field) seen.set(name, value);
            else extras[name] = value;
          }
          for (const field of fields) {
            if (!seen.has(field.name) && !field.optional && isRequired(field.name)) throw dataError(`missing field \`${field.name}\``);
          }
          return seen;
        },
        () => r.endMap(),
      );
    }
    if (c === 0x5b) {
      // serde_json also accepts a struct as an array of its fields, in declaration order.
      return container(
        r,
        path,
        () => {
          const seen = new Map<string, unknown>();
          fields.forEach((field, i) => {
            if (!seqNext(r, i === 0)) throw dataError(`invalid length ${i}, expected struct ${typeName} with ${fields.length} element${fields.length === 1 ? '' : 's'}`);
            const at = `${path}[${i}]`;
            seen.set(field.name, withPath(at, () => field.read(r, at)));
          });
          return seen;
        },
        () => r.endSeq(),
      );
    }
    throw r.invalidType(`struct ${typeName}`);
  });
}

/** serde_json deserialize_enum for an externally tagged enum: `"Unit"` or `{"Variant": value}`. */
function readEnum(r: SerdeJsonReader, path: string, variants: readonly Variant[]): { variant: string; value: unknown } {
  return withPath(path, () => {
    const names = variants.map((v) => v.name);
    const identifier = (): Variant => {
      const c = r.peek();
      if (c === undefined) throw r.peekError('EOF while parsing a value', 'eof');
      if (c !== 0x22) throw r.invalidType('variant identifier');
      r.eat();
      const name = r.string();
      const variant = variants.find((v) => v.name === name);
      if (!variant) throw r.fix(dataError(`unknown variant \`${name}\`, expected ${expectedOneOf(names)}`));
      return variant;
    };
    const c = r.peek();
    if (c === 0x22) {
      const variant = identifier();
      if (variant.read) throw dataError('invalid type: unit variant, expected newtype variant');
      return { variant: variant.name, value: undefined };
    }
    if (c === 0x7b) {
      r.enter();
      r.eat();
      const variant = identifier();
      r.objectColon();
      let value: unknown;
      if (variant.read) {
        const at = key(path, variant.name);
        value = withPath(at, () => variant.read!(r, at));
      } else {
        if (r.peek() !== 0x6e) throw r.invalidType('unit');
        r.eat();
        r.ident('ull');
      }
      r.leave();
      const end = r.peek();
      if (end === 0x7d) {
        r.eat();
        return { variant: variant.name, value };
      }
      if (end === undefined) throw r.error('EOF while parsing an object', 'eof');
      throw r.error('expected value');
    }
    if (c === undefined) throw r.peekError('EOF while parsing a value', 'eof');
    throw r.peekError('expected value');
  });
}

function readOption(r: SerdeJsonReader, path: string, inner: Reader): unknown {
  const c = r.peek();
  if (c === undefined) throw r.peekError('EOF while parsing a value', 'eof');
  if (c === 0x6e) {
    r.eat();
    r.ident('ull');
    return null;
  }
  return inner(r, path);
}

const UUID_FORM = /^(?:urn:uuid:)?\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i;

function readUuid(r: SerdeJsonReader): string {
  const c = r.peek();
  if (c === undefined) throw r.peekError('EOF while parsing a value', 'eof');
  if (c !== 0x22) throw r.invalidType('a UUID string');
  r.eat();
  const text = r.string();
  if (!UUID_FORM.test(text)) throw r.fix(dataError(`UUID parsing failed: invalid UUID ${JSON.stringify(text)}`));
  return text;
}

const MIDDLEWARE_POINTS: readonly Variant[] = [{ name: 'OnRequest' }, { name: 'OnResponse' }, { name: 'OnError' }];
const ATTACH_POINT: readonly Variant[] = [{ name: 'Middleware', read: (r, p) => readEnum(r, p, MIDDLEWARE_POINTS).variant }];
const MODULE_TYPE: readonly Variant[] = [{ name: 'Middleware' }];
const ADD_RESULT: readonly Variant[] = [
  { name: 'Success', read: (r) => readUuid(r) },
  { name: 'Error', read: (r) => readString(r) },
];

function readDescriptor(r: SerdeJsonReader, path: string): DecodedDescriptor {
  const extras: Record<string, unknown> = {};
  const fields = readStruct(
    r,
    path,
    'WasmModuleDescriptor',
    [
      { name: 'name', read: (r) => readString(r) },
      { name: 'file_path', read: (r) => readString(r) },
      { name: 'module_type', read: (r, p) => readEnum(r, p, MODULE_TYPE) },
      { name: 'attach_points', read: (r, p) => readSeq(r, p, (r, p) => readEnum(r, p, ATTACH_POINT).value as AttachPoint) },
      { name: 'add_result', read: (r, p) => readOption(r, p, (r, p) => readEnum(r, p, ADD_RESULT)), optional: true },
    ],
    extras,
    (field) => !(field === 'file_path' && 'wasm_base64' in extras),
  );
  return {
    name: fields.get('name') as string,
    filePath: fields.get('file_path') as string | undefined,
    attachPoints: fields.get('attach_points') as AttachPoint[],
    extras,
  };
}

export function decodeAddRequest(body: Uint8Array): DecodeOutcome {
  const r = new SerdeJsonReader(body);
  let modules: DecodedDescriptor[];
  try {
    const top = readStruct(r, '', 'WasmModuleAddRequest', [{ name: 'modules', read: (r, p) => readSeq(r, p, readDescriptor) }], {});
    modules = top.get('modules') as DecodedDescriptor[];
    r.end();
  } catch (err) {
    if (!(err instanceof SerdeError)) throw err;
    if (err.category === 'data') {
      return { ok: false, status: 422, text: `Failed to deserialize the JSON body into the target type: ${err.display()}` };
    }
    return { ok: false, status: 400, text: `Failed to parse the request body as JSON: ${err.display()}` };
  }
  return { ok: true, modules };
}
