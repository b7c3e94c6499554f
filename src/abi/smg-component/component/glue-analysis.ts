// Reads what we need out of the JavaScript glue jco 1.15 generates with `instantiation: 'async'`:
// which core modules it compiles, which imports it looks up, and, for a lifted export, which core
// instance, memory, `cabi_realloc` and post-return function its wrapper uses. That lets the fast
// path call the core export directly with the same memory and allocator the glue would use. When a
// pattern is not found (another jco version, an unusual component), the caller uses the glue.
//
// Also patches out the glue's `_debugLog`, which reads process.env.JCO_DEBUG on every call (about
// half the cost of a call through the glue).

export interface LiftedExport {
  /** Core export name of the lifted function (`smg:gateway/middleware-on-request#on-request`). */
  readonly coreExport: string;
  /** Position, in execution order, of the instantiateCore call whose instance exports everything below. */
  readonly instantiateCall: number;
  readonly memoryExport: string;
  readonly reallocExport: string | undefined;
  readonly postReturnExport: string | undefined;
}

export interface GlueAnalysis {
  /** File names the glue passes to getCoreModule. */
  readonly coreModules: readonly string[];
  /** Members the glue destructures from each import (`wasi:cli/stdout` -> [getStdout]). */
  readonly imports: ReadonlyMap<string, readonly string[]>;
  /** How the wrapper of `coreExport` calls into the core instance, or why that is unknown. */
  lifted(coreExport: string): LiftedExport | { readonly unsupported: string };
}

const DEBUG_LOG = 'const _debugLog = (...args) => {';

/** Returns the glue with `_debugLog` made a no-op (unchanged if the pattern is absent). */
export function patchGlue(source: string): string {
  const at = source.indexOf(DEBUG_LOG);
  if (at === -1 || source.indexOf(DEBUG_LOG, at + 1) !== -1) return source;
  return `${source.slice(0, at)}const _debugLog = () => {};\nconst _jcoDebugLog = (...args) => {${source.slice(at + DEBUG_LOG.length)}`;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

function parseImports(source: string): Map<string, string[]> {
  const imports = new Map<string, string[]>();
  for (const m of source.matchAll(/const \{([^}]*)\} = imports\['([^']+)'\];/g)) {
    const names = m[1]!.split(',').map((part) => part.split(':')[0]!.trim()).filter(Boolean);
    imports.set(m[2]!, [...(imports.get(m[2]!) ?? []), ...names]);
  }
  return imports;
}

export function analyseGlue(source: string): GlueAnalysis {
  const coreModules = [...source.matchAll(/getCoreModule\('([^']+)'\)/g)].map((m) => m[1]!);
  const callOrder = [...source.matchAll(/\{ exports: exports(\d+) \} = yield instantiateCore\(/g)].map((m) => Number(m[1]));
  const allCalls = [...source.matchAll(/\binstantiateCore\(/g)].length;
  const bindings = new Map<string, { instance: number; name: string }>();
  for (const m of source.matchAll(/\b(memory\d+|realloc\d+|postReturn\d+) = exports(\d+)(?:\.([\w$]+)|\['([^']+)'\]);/g)) {
    bindings.set(m[1]!, { instance: Number(m[2]), name: m[3] ?? m[4]! });
  }
  const memo = new Map<string, LiftedExport | { readonly unsupported: string }>();
  const lifted = (coreExport: string): LiftedExport | { readonly unsupported: string } => {
    let found = memo.get(coreExport);
    if (!found) {
      found = analyseLifted(coreExport);
      memo.set(coreExport, found);
    }
    return found;
  };
  return { coreModules, imports: parseImports(source), lifted };

  function analyseLifted(coreExport: string): LiftedExport | { readonly unsupported: string } {
    if (callOrder.length !== allCalls) return { unsupported: 'the glue instantiates core modules in a way this analysis does not know' };
    const fn = new RegExp(`\\b([\\w$]+) = exports(\\d+)\\['${escapeRe(coreExport)}'\\];`).exec(source);
    if (!fn) return { unsupported: `no core export "${coreExport}" bound in the glue` };
    const [, fnVar, instanceText] = fn;
    const instance = Number(instanceText);
    const call = new RegExp(`\\bret = ${escapeRe(fnVar!)}\\(`).exec(source);
    if (!call) return { unsupported: `no call to "${coreExport}" in the glue` };
    const start = source.lastIndexOf('\n  function ', call.index);
    const end = source.indexOf('\n  }\n', call.index);
    if (start === -1 || end === -1) return { unsupported: 'could not find the export wrapper in the glue' };
    const wrapper = source.slice(start, end);
    if (/utf16|latin1/i.test(wrapper)) return { unsupported: 'the export does not use UTF-8 strings' };
    const uses = (prefix: string): string[] => [...new Set([...wrapper.matchAll(new RegExp(`\\b(${prefix}\\d+)\\b`, 'g'))].map((m) => m[1]!))];
    const memories = uses('memory');
    const reallocs = uses('realloc');
    const postReturns = [...new Set([...wrapper.matchAll(/\b(postReturn\d+)\(ret\)/g)].map((m) => m[1]!))];
    if (memories.length !== 1 || reallocs.length > 1 || postReturns.length > 1) {
      return { unsupported: 'the export wrapper uses more than one memory, allocator or post-return' };
    }
    const resolve = (v: string | undefined): string | undefined | null => {
      if (v === undefined) return undefined;
      const b = bindings.get(v);
      return b && b.instance === instance ? b.name : null;
    };
    const memoryExport = resolve(memories[0]);
    const reallocExport = resolve(reallocs[0]);
    const postReturnExport = resolve(postReturns[0]);
    if (!memoryExport || reallocExport === null || postReturnExport === null) {
      return { unsupported: 'memory, allocator or post-return come from another core instance than the export' };
    }
    const instantiateCall = callOrder.indexOf(instance);
    if (instantiateCall === -1) return { unsupported: `core instance ${instance} is not created by instantiateCore` };
    return { coreExport, instantiateCall, memoryExport, reallocExport, postReturnExport };
  }
}
