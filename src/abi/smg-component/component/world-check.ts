// Checks a transpiled component against the world a loader expects: which of the expected
// interfaces it exports, that each exported function has the expected signature, and that it
// imports nothing beyond the sandboxed WASI. Signatures are compared through the TypeScript
// declarations jco generates for each interface (record fields, variant cases, enum cases, list
// and option structure; jco renders every integer width below 64 bits as `number`, so u16 vs u32
// is not told apart). Parameter names are ignored, as the component model ignores them.
import { WasmgateError } from '../../../errors.js';
import { PROVIDED_WASI } from '../wasi/wasi-sandbox.js';

export interface ExpectedInterface {
  /** `smg:gateway/middleware-on-request` */
  readonly name: string;
  /** The function in WIT syntax, for messages. */
  readonly wit: string;
  /** jco's JavaScript name of the function (`onRequest`). */
  readonly jsName: string;
  /** Parameter and result types as jco renders them: `(Request): Action`. */
  readonly signature: string;
  /** Declarations (by name) the signature depends on, as jco renders them (normalised on use). */
  readonly types: Readonly<Record<string, string>>;
}

export interface ExpectedWorld {
  /** `smg:gateway/smg`, for messages. */
  readonly name: string;
  readonly interfaces: readonly ExpectedInterface[];
  /** True when every interface must be exported; otherwise at least one. */
  readonly requireAll: boolean;
}

export interface TranspiledShape {
  readonly exports: ReadonlyArray<readonly [string, 'function' | 'instance']>;
  readonly imports: readonly string[];
  /** Generated `interfaces/*.d.ts` files by path. */
  readonly declarations: ReadonlyMap<string, string>;
  /** Members the glue takes from each import. */
  readonly importedMembers: ReadonlyMap<string, readonly string[]>;
}

/** Strips comments and collapses whitespace. */
export function normaliseDeclaration(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/[^\n]*/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{}(),:;<>|=])\s*/g, '$1')
    .trim();
}

/** Splits a .d.ts text into its `export interface|type|function` declarations by name. */
function declarationsOf(text: string): Map<string, string> {
  const normalised = normaliseDeclaration(text);
  const out = new Map<string, string>();
  const starts = [...normalised.matchAll(/export (?:interface|type|function) ([\w$]+)/g)];
  starts.forEach((m, i) => {
    const end = i + 1 < starts.length ? starts[i + 1]!.index : normalised.length;
    out.set(m[1]!, normalised.slice(m.index, end).trim());
  });
  return out;
}

/** `export function onRequest(req:Request):Action;` -> `(Request):Action` (parameter names dropped). */
function signatureOf(declaration: string): string {
  const m = /^export function [\w$]+\((.*)\):(.*);$/.exec(declaration);
  if (!m) return declaration;
  const params = splitTopLevel(m[1]!).map((p) => p.slice(p.indexOf(':') + 1));
  return `(${params.join(',')}):${m[2]}`;
}

function splitTopLevel(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '<' || c === '(' || c === '{') depth++;
    else if (c === '>' || c === ')' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(list.slice(start, i));
      start = i + 1;
    }
  }
  if (list.length > start) out.push(list.slice(start));
  return out.filter((p) => p.length > 0);
}

function interfaceFile(name: string): string {
  return `interfaces/${name.replace(/[:/]/g, '-').replace(/@.*$/, '')}.d.ts`;
}

/** Why `iface` does not match, or undefined when it does. */
function mismatch(expected: ExpectedInterface, shape: TranspiledShape): string | undefined {
  const file = shape.declarations.get(interfaceFile(expected.name));
  if (file === undefined) return `no declarations generated for ${expected.name}`;
  const decls = declarationsOf(file);
  const fn = decls.get(expected.jsName);
  if (!fn || !fn.startsWith('export function')) return `it has no function ${expected.wit.split(':')[0]}`;
  const found = signatureOf(fn);
  if (found !== normaliseDeclaration(expected.signature)) return `its ${expected.wit.split(':')[0]} has signature ${found}`;
  // Type aliases in the interface file point at the shared types file.
  const typesPath = /import\('\.\/([\w.-]+)\.js'\)/.exec(file)?.[1];
  const typeDecls = typesPath ? declarationsOf(shape.declarations.get(`interfaces/${typesPath}.d.ts`) ?? '') : new Map<string, string>();
  for (const [name, text] of Object.entries(expected.types)) {
    const actual = typeDecls.get(name) ?? decls.get(name);
    if (actual !== normaliseDeclaration(text)) return `its type ${name} differs: ${actual ?? 'missing'}`;
  }
  return undefined;
}

function describeExports(shape: TranspiledShape): string {
  const names = shape.exports.filter(([name, kind]) => name.includes(':') || kind === 'function').map(([name]) => name);
  return names.length > 0 ? names.join(', ') : 'nothing';
}

function checkImports(world: ExpectedWorld, shape: TranspiledShape): void {
  for (const iface of shape.imports) {
    const provided = PROVIDED_WASI.get(iface);
    if (!provided) {
      throw new WasmgateError(
        'WG_ERR_MODULE_WRONG_WORLD',
        `component imports ${iface}, which the ${world.name} world does not provide (a guest may import only WASI 0.2 interfaces and wasmgate:guest/config)`,
      );
    }
    const missing = (shape.importedMembers.get(iface) ?? []).filter((m) => !provided.has(m));
    if (missing.length > 0) {
      throw new WasmgateError('WG_ERR_MODULE_WRONG_WORLD', `component imports ${missing.join(', ')} from ${iface}, which wasmgate does not provide`);
    }
  }
}

/**
 * Throws WG_ERR_MODULE_WRONG_WORLD naming what was found and what was expected; returns the names
 * of the expected interfaces the component exports.
 */
export function checkWorld(world: ExpectedWorld, shape: TranspiledShape): Set<string> {
  const exported = new Set(shape.exports.map(([name]) => name.replace(/@[^/]*$/, '')));
  const present = world.interfaces.filter((i) => exported.has(i.name));
  const wanted = world.interfaces.map((i) => `${i.name} (${i.wit})`).join(world.requireAll ? ' and ' : ' and/or ');
  const missing = world.interfaces.filter((i) => !exported.has(i.name));
  if (present.length === 0 || (world.requireAll && missing.length > 0)) {
    throw new WasmgateError(
      'WG_ERR_MODULE_WRONG_WORLD',
      `component does not implement the ${world.name} world: it exports ${describeExports(shape)}; expected ${wanted}`,
    );
  }
  for (const iface of present) {
    const why = mismatch(iface, shape);
    if (why) {
      throw new WasmgateError('WG_ERR_MODULE_WRONG_WORLD', `component exports ${iface.name} but ${why}; expected ${iface.wit}`);
    }
  }
  checkImports(world, shape);
  return new Set(present.map((i) => i.name));
}
