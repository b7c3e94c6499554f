// Runs a built guest once through the `wasmgate run` command and returns the result it prints,
// for a guest project's tests (`wasmgate init` scaffolds one that uses this).
//
//   const result = await runGuest({ abi: 'smg', module: 'build/my-filter.wasm', event: 'on-request', input: { path: '/admin' } });
//   // { action: 'reject', status: 403 }
//
// The wasmgate CLI is found in this order: $WASMGATE_CLI; the project's node_modules/wasmgate;
// the wasmgate checkout or package this SDK lives in (guests/sdk-assemblyscript inside it).
// A wasmgate whose `run` cannot run components yet (no `--abi smg|storage`) is handled: the core
// module next to the component (`<name>.core.wasm`, written by build-component.mjs) is run through
// ./core-host.mjs instead, and the result is given in the same JSON form; `via` says which ran.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { instantiateCore } from './core-host.mjs';

/** Path of the wasmgate CLI entry (bin/wasmgate.js). */
export function findWasmgateCli(projectDir = process.cwd()) {
  if (process.env.WASMGATE_CLI) return process.env.WASMGATE_CLI;
  const installed = join(projectDir, 'node_modules', 'wasmgate', 'bin', 'wasmgate.js');
  if (existsSync(installed)) return installed;
  const home = resolve(realpathSync(import.meta.dirname), '..', '..', '..');
  const beside = join(home, 'bin', 'wasmgate.js');
  if (existsSync(beside) && JSON.parse(readFileSync(join(home, 'package.json'), 'utf8')).name === 'wasmgate') return beside;
  throw new Error('wasmgate CLI not found: npm install --save-dev wasmgate, or set WASMGATE_CLI to its bin/wasmgate.js');
}

/**
 * Runs `wasmgate <args>`; resolves with its exit code and output.
 * @param {string[]} args
 * @param {{ input?: string, cwd?: string, env?: Record<string, string> }} [options]
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string }>}
 */
export function runWasmgate(args, options = {}) {
  const cli = findWasmgateCli(options.cwd);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

const runsComponents = new Map();

/** True when this wasmgate's `run` accepts `--abi <abi>`. */
export async function canRun(abi, cwd) {
  const cli = findWasmgateCli(cwd);
  if (!runsComponents.has(cli)) {
    runsComponents.set(cli, runWasmgate(['run', '--help'], { cwd }).then((r) => r.stdout));
  }
  const help = await runsComponents.get(cli);
  return abi === 'sentinel' || new RegExp(`choices:[^)]*"${abi}"`).test(help);
}

/**
 * Runs a guest once and returns the parsed result line of `wasmgate run`.
 * @param {{ abi: 'sentinel' | 'smg' | 'storage', module: string, event: string, input?: object,
 *   config?: object, op?: string, context?: Record<string, string>, payload?: string,
 *   resultJson?: string, extra?: Record<string, string>, cwd?: string }} options
 * @returns {Promise<{ result: any, via: 'wasmgate run' | 'core-host' }>}
 */
export async function runGuest(options) {
  const cwd = options.cwd ?? process.cwd();
  if (!(await canRun(options.abi, cwd))) return { result: await runOnCoreHost(options, cwd), via: 'core-host' };
  const args = ['run', '--abi', options.abi, '--module', options.module, '--event', options.event];
  if (options.abi !== 'storage') args.push('--input', '-');
  if (options.config) args.push('--config', JSON.stringify(options.config));
  if (options.op) args.push('--op', options.op);
  if (options.context) args.push('--context', ...Object.entries(options.context).map(([k, v]) => `${k}=${v}`));
  if (options.payload !== undefined) args.push('--payload', options.payload);
  if (options.resultJson !== undefined) args.push('--result-json', options.resultJson);
  if (options.extra) args.push('--extra', ...Object.entries(options.extra).map(([k, v]) => `${k}=${v}`));
  const r = await runWasmgate(args, { cwd, input: JSON.stringify(options.input ?? {}) });
  if (r.code !== 0) throw new Error(`wasmgate ${args.join(' ')} exited with ${r.code}\n${r.stderr}`);
  return { result: JSON.parse(r.stdout.trim().split('\n').at(-1)), via: 'wasmgate run' };
}

// ---- the fallback: the core module through core-host.mjs, printed as `wasmgate run` prints ----

function headersFrom(value) {
  if (!value) return [];
  if (Array.isArray(value)) return value;
  return Object.entries(value).flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((one) => ({ name, value: one })));
}

function bodyFrom(obj) {
  return obj.body_base64 !== undefined ? new Uint8Array(Buffer.from(obj.body_base64, 'base64')) : (obj.body ?? '');
}

function actionJson(action) {
  if (action.tag !== 'modify') return action.tag === 'continue' ? { action: 'continue' } : { action: 'reject', status: action.status };
  const m = action.modify;
  const out = { action: 'modify', ...(m.status === undefined ? {} : { status: m.status }), headers_set: m.headersSet, headers_add: m.headersAdd, headers_remove: m.headersRemove };
  if (m.bodyReplace !== undefined) {
    try {
      out.body_replace = new TextDecoder('utf-8', { fatal: true }).decode(m.bodyReplace);
    } catch {
      out.body_replace_base64 = Buffer.from(m.bodyReplace).toString('base64');
    }
  }
  return out;
}

async function runOnCoreHost(options, cwd) {
  if (options.abi === 'sentinel') throw new Error('the sentinel ABI always runs through wasmgate run');
  const core = resolve(cwd, options.module.replace(/\.wasm$/, '.core.wasm'));
  if (!existsSync(core)) throw new Error(`${core} not found: build with buildComponent({ coreOutFile }) to test without a component-capable wasmgate`);
  const host = await instantiateCore(readFileSync(core), { config: options.config ?? {} });
  const input = options.input ?? {};
  const pairs = (obj, a, b) => Object.entries(obj ?? {}).map(([k, v]) => ({ [a]: k, [b]: v }));
  switch (`${options.abi}/${options.event}`) {
    case 'smg/on-request':
      return actionJson(host.onRequest({
        method: input.method ?? 'GET', path: input.path ?? '/', query: (input.query ?? '').replace(/^\?/, ''),
        headers: headersFrom(input.headers), body: bodyFrom(input), requestId: input.request_id ?? 'req-test', nowEpochMs: input.now_epoch_ms ?? Date.now(),
      }));
    case 'smg/on-response':
      return actionJson(host.onResponse({ status: input.status ?? 200, headers: headersFrom(input.headers), body: bodyFrom(input) }));
    case 'storage/before': {
      const r = host.before(options.op, pairs(options.context, 'key', 'value'), options.payload ?? '{}');
      return r.tag === 'do-continue' ? { result: 'do-continue', columns: r.columns } : { result: 'reject', reason: r.reason };
    }
    case 'storage/after':
      return { columns: host.after(options.op, pairs(options.context, 'key', 'value'), options.payload ?? '{}', options.resultJson ?? 'null', pairs(options.extra, 'name', 'value')) };
    default:
      throw new Error(`unknown event ${options.event} for --abi ${options.abi}`);
  }
}
