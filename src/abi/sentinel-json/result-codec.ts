// Validates a guest's result JSON and applies the Sentinel defaults. Every rule that rejects a
// result throws GuestFault('bad-output') naming the field, so a module author sees what to fix.
// Hand-written rather than zod: this runs on every call and must stay well under a microsecond.
import { GuestFault } from '../../runtime/index.js';
import type { SentinelDecision, SentinelResult } from './types.js';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const DECISIONS: ReadonlySet<string> = new Set(['allow', 'block', 'deny', 'redirect']);

function fail(detail: string): never {
  throw new GuestFault('bad-output', `guest result ${detail}`);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringMap(value: unknown, field: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) fail(`field "${field}" must be an object of header name to string value`);
  for (const key in value) {
    if (typeof value[key] !== 'string') fail(`field "${field}.${key}" must be a string, got ${typeName(value[key])}`);
  }
  return value as Record<string, string>;
}

function stringList(value: unknown, field: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) fail(`field "${field}" must be an array of strings, got ${typeName(value)}`);
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string') fail(`field "${field}[${i}]" must be a string, got ${typeName(value[i])}`);
  }
  return value as string[];
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Parses and validates result text; defaults: block/deny status 403, redirect status 302. */
export function parseSentinelResult(text: string): SentinelResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const preview = text.length > 80 ? `${text.slice(0, 80)}...` : text;
    fail(`is not JSON (${(err as Error).message}): ${JSON.stringify(preview)}`);
  }
  if (!isPlainObject(raw)) fail(`must be a JSON object, got ${typeName(raw)}`);
  const rawDecision = raw.decision;
  if (typeof rawDecision !== 'string') fail(`field "decision" must be a string, got ${typeName(rawDecision)}`);
  const decision = rawDecision.toLowerCase();
  if (!DECISIONS.has(decision)) fail(`has unknown decision ${JSON.stringify(rawDecision)} (expected allow, block, deny or redirect)`);

  const result: SentinelResult = { decision: decision as SentinelDecision };
  const status = raw.status;
  if (status !== undefined && status !== null) {
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 999) {
      fail(`field "status" must be an HTTP status code 100..999, got ${JSON.stringify(status)}`);
    }
    result.status = status;
  }
  const body = raw.body;
  if (body !== undefined && body !== null) {
    if (typeof body !== 'string') fail(`field "body" must be a string, got ${typeName(body)}`);
    result.body = body;
  }
  if (decision === 'block' || decision === 'deny') result.status ??= 403;
  if (decision === 'redirect') {
    result.status ??= 302;
    if (!result.body) fail('with decision "redirect" must carry the target URL in "body"');
  }
  const addReq = stringMap(raw.add_request_headers, 'add_request_headers');
  if (addReq) result.add_request_headers = addReq;
  const removeReq = stringList(raw.remove_request_headers, 'remove_request_headers');
  if (removeReq) result.remove_request_headers = removeReq;
  const addRes = stringMap(raw.add_response_headers, 'add_response_headers');
  if (addRes) result.add_response_headers = addRes;
  const removeRes = stringList(raw.remove_response_headers, 'remove_response_headers');
  if (removeRes) result.remove_response_headers = removeRes;
  const tags = stringList(raw.tags, 'tags');
  if (tags) result.tags = tags;
  return result;
}

/** Results that are deep-frozen and handed out again for the same guest output (see isSharedResult). */
const shared = new WeakSet<SentinelResult>();

const ALLOW: SentinelResult = Object.freeze({ decision: 'allow' });
shared.add(ALLOW);

/**
 * Whether `result` is one of the deep-frozen results this codec hands out again for the same guest
 * output: it never changes, so whatever a host derives from it can be derived once and kept.
 */
export function isSharedResult(result: unknown): boolean {
  return typeof result === 'object' && result !== null && shared.has(result as SentinelResult);
}

/** The result when a guest returns ptr 0 or len 0, or lacks the handler: allow, as upstream. */
export function allowResult(): SentinelResult {
  return ALLOW;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Results up to this many characters are cached; bigger ones are rarely repeated. */
const CACHEABLE_TEXT = 1024;
const CACHE_ENTRIES = 128;

/**
 * Remembers validated results by their text: guests mostly return a few constant results, and
 * parsing plus validating is a third of a call. Cached results are deep-frozen and shared.
 */
export class SentinelResultCache {
  readonly #entries = new Map<string, SentinelResult>();
  /** The bytes of the last cacheable result read (as 32-bit words too), and that result: most calls return the same again. */
  #lastBytes: Uint8Array = new Uint8Array(0);
  #lastWords: Int32Array = new Int32Array(0);
  #lastResult: SentinelResult | undefined;

  /**
   * Reads and validates the result at `memory[ptr, ptr + len)` (bounds already checked); `words`
   * is the same memory as 32-bit words. The same bytes as last time are recognised by comparing
   * them, a word at a time when `ptr` is aligned (guest allocators align), without decoding;
   * `what` names the export in errors.
   */
  read(memory: Uint8Array, words: Int32Array, ptr: number, len: number, what: string): SentinelResult {
    if (len === this.#lastBytes.length && this.#lastResult !== undefined && this.#sameAsLast(memory, words, ptr, len)) return this.#lastResult;
    const bytes = memory.subarray(ptr, ptr + len);
    let text: string;
    try {
      text = strictUtf8.decode(bytes);
    } catch {
      throw new GuestFault('bad-output', `${what} returned bytes that are not valid UTF-8`);
    }
    const result = this.parse(text);
    if (len <= CACHEABLE_TEXT) {
      this.#lastBytes = bytes.slice();
      this.#lastWords = new Int32Array(this.#lastBytes.buffer, 0, len >> 2);
      this.#lastResult = result;
    }
    return result;
  }

  #sameAsLast(memory: Uint8Array, words: Int32Array, ptr: number, len: number): boolean {
    const last = this.#lastBytes;
    let i = 0;
    if ((ptr & 3) === 0) {
      const lastWords = this.#lastWords;
      const base = ptr >> 2;
      for (let w = 0; w < lastWords.length; w++) if (words[base + w] !== lastWords[w]) return false;
      i = lastWords.length << 2;
    }
    for (; i < len; i++) if (memory[ptr + i] !== last[i]) return false;
    return true;
  }

  parse(text: string): SentinelResult {
    if (text.length > CACHEABLE_TEXT) return parseSentinelResult(text);
    const hit = this.#entries.get(text);
    if (hit !== undefined) return hit;
    const result = deepFreeze(parseSentinelResult(text));
    shared.add(result);
    if (this.#entries.size >= CACHE_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(text, result);
    return result;
  }
}
