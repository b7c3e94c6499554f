// What a handler returns: a decision plus optional status, body, header changes and audit tags.
// Absent fields are left out of the JSON, and header maps keep insertion order.
//
// The builder methods record header changes and tags in one compact list, in call order, held in
// the Result object itself (a typical result is one allocation; a HeaderMap and three arrays took
// nine more), and `encode` writes them out by kind. The public fields `addRequestHeaders`, ..., `tags` are
// accessors over that list: the first access to one builds its HeaderMap or array, which from
// then on is what the builder updates and `encode` writes, so reading, changing or replacing them
// works as with plain fields.
import { HeaderMap, equalsIgnoreAsciiCase } from './header-map';
import { isNull } from './nullable';
import { newZeroed } from './memory';
import { beginJson, endJson, writeByte, writeInteger, writeRaw, writeString } from './json-writer';
import { ADD_REQUEST, ADD_RESPONSE, KEYS, REMOVE_REQUEST, REMOVE_RESPONSE, ResultFields, TAG, pushed } from './result-fields';

// Each entry in a Result's list is a marker followed by its strings: add (name, value), remove
// (name), tag (tag). Markers are only ever read at entry boundaries, so only their identity matters.
const MARKERS: StaticArray<string> = ['+request', '-request', '+response', '-response', 'tag'];

/** Entries held in the Result object itself before `overflow` is needed. */
const INLINE_ENTRIES = 10;

/**
 * Stores the pointer `child` at `at` inside the managed object `parent`, with the GC's write
 * barrier. A string written as a literal lives in static data, which is never freed, so it needs
 * no barrier (most header names, values and tags in a handler are literals).
 */
// @ts-ignore: decorator
@inline
function storeRef(parent: usize, at: usize, child: usize): void {
  store<usize>(at, child);
  if (child >= __heap_base) __link(parent, child, false);
}

// @ts-ignore: decorator
@inline
function markerOf(kind: i32): usize {
  return changetype<usize>(unchecked(MARKERS[kind]));
}

/** Strings in an entry after its marker: 2 for an add, 1 otherwise. */
// @ts-ignore: decorator
@inline
function operandsOf(marker: usize): i32 {
  return marker == markerOf(ADD_REQUEST) || marker == markerOf(ADD_RESPONSE) ? 2 : 1;
}

export class Result {
  // Every field but `decision` starts as zero or null: `Result.of` creates results without
  // running the constructor (zero-filled memory), so keep it that way.

  /** "allow", "block", "deny" or "redirect" (the host lower-cases it; anything else is refused). */
  decision: string;
  /** HTTP status; 0 leaves it out, so the host applies its default (403 block/deny, 302 redirect). */
  status: i32 = 0;
  /** Block/deny: the response body. Redirect: the target URL. */
  body: string | null = null;
  /** The public fields that have been accessed or assigned (null until one is). */
  private fields: ResultFields | null = null;
  /**
   * Header changes and tags not held by a public field, in call order: `entryCount` strings, the
   * first INLINE_ENTRIES in the slots e0... below (no allocation for a typical result), the rest
   * in `overflow`.
   */
  private entryCount: i32 = 0;
  /** Bit `kind` set: there is at least one entry of that kind. */
  private entryKinds: u32 = 0;
  private overflow: StaticArray<string> | null = null;
  private e0: string | null = null;
  private e1: string | null = null;
  private e2: string | null = null;
  private e3: string | null = null;
  private e4: string | null = null;
  private e5: string | null = null;
  private e6: string | null = null;
  private e7: string | null = null;
  private e8: string | null = null;
  private e9: string | null = null;

  constructor(decision: string) {
    this.decision = decision;
  }

  /** A result with `decision` and every other field empty, without the constructor's stores. */
  // @ts-ignore: decorator
  @inline
  static of(decision: string): Result {
    const result = changetype<Result>(newZeroed(offsetof<Result>(), idof<Result>(), offsetof<Result>()));
    result.decision = decision;
    return result;
  }

  get addRequestHeaders(): HeaderMap | null {
    return this.fieldsFor(ADD_REQUEST).addRequestHeaders;
  }

  set addRequestHeaders(headers: HeaderMap | null) {
    this.assigned(ADD_REQUEST).addRequestHeaders = headers;
  }

  get removeRequestHeaders(): string[] | null {
    return this.fieldsFor(REMOVE_REQUEST).removeRequestHeaders;
  }

  set removeRequestHeaders(names: string[] | null) {
    this.assigned(REMOVE_REQUEST).removeRequestHeaders = names;
  }

  get addResponseHeaders(): HeaderMap | null {
    return this.fieldsFor(ADD_RESPONSE).addResponseHeaders;
  }

  set addResponseHeaders(headers: HeaderMap | null) {
    this.assigned(ADD_RESPONSE).addResponseHeaders = headers;
  }

  get removeResponseHeaders(): string[] | null {
    return this.fieldsFor(REMOVE_RESPONSE).removeResponseHeaders;
  }

  set removeResponseHeaders(names: string[] | null) {
    this.assigned(REMOVE_RESPONSE).removeResponseHeaders = names;
  }

  get tags(): string[] | null {
    return this.fieldsFor(TAG).tags;
  }

  set tags(tags: string[] | null) {
    this.assigned(TAG).tags = tags;
  }

  /** Sets a header on the request sent upstream; the same name again (any case) replaces it. */
  addRequestHeader(name: string, value: string): Result {
    if (!this.isField(ADD_REQUEST)) return this.addEntry(ADD_REQUEST, name, value);
    const fields = this.fields!;
    let headers = fields.addRequestHeaders;
    if (headers == null) fields.addRequestHeaders = headers = new HeaderMap();
    headers.set(name, value);
    return this;
  }

  /** Removes a header from the request sent upstream. */
  removeRequestHeader(name: string): Result {
    if (!this.isField(REMOVE_REQUEST)) return this.pushEntry(REMOVE_REQUEST, name);
    const fields = this.fields!;
    fields.removeRequestHeaders = pushed(fields.removeRequestHeaders, name);
    return this;
  }

  /** Sets a header on the response sent to the client; the same name again replaces it. */
  addResponseHeader(name: string, value: string): Result {
    if (!this.isField(ADD_RESPONSE)) return this.addEntry(ADD_RESPONSE, name, value);
    const fields = this.fields!;
    let headers = fields.addResponseHeaders;
    if (headers == null) fields.addResponseHeaders = headers = new HeaderMap();
    headers.set(name, value);
    return this;
  }

  /** Removes a header from the response sent to the client. */
  removeResponseHeader(name: string): Result {
    if (!this.isField(REMOVE_RESPONSE)) return this.pushEntry(REMOVE_RESPONSE, name);
    const fields = this.fields!;
    fields.removeResponseHeaders = pushed(fields.removeResponseHeaders, name);
    return this;
  }

  /** Adds an audit tag. */
  tag(tag: string): Result {
    if (!this.isField(TAG)) return this.pushEntry(TAG, tag);
    const fields = this.fields!;
    fields.tags = pushed(fields.tags, tag);
    return this;
  }

  /** Serialises to the ABI's result JSON in a block the host frees; returns it packed. */
  encode(): i64 {
    beginJson();
    writeRaw('{"decision":');
    writeString(this.decision);
    if (this.status != 0) {
      writeRaw(',"status":');
      writeInteger(this.status);
    }
    const body = this.body;
    if (!isNull(body)) {
      writeRaw(',"body":');
      writeString(changetype<string>(body));
    }
    const fields = this.fields;
    const kinds = this.entryKinds;
    for (let kind = ADD_REQUEST; kind <= TAG; kind++) {
      if (fields != null && fields.has(kind)) fields.write(kind);
      else if (kinds & (1 << kind)) this.writeEntries(kind);
    }
    writeByte(0x7d); // }
    return endJson();
  }

  /** Whether `kind` lives in its public field rather than in the entries. */
  // @ts-ignore: decorator
  @inline
  private isField(kind: i32): bool {
    const fields = this.fields;
    return fields != null && fields.has(kind);
  }

  /** The fields, with `kind` built from the entries if it was not a field yet. */
  private fieldsFor(kind: i32): ResultFields {
    let fields = this.fields;
    if (fields == null) this.fields = fields = new ResultFields();
    if (!fields.has(kind)) {
      fields.kinds |= 1 << kind;
      if (kind == ADD_REQUEST) fields.addRequestHeaders = this.headerMapOf(kind);
      else if (kind == REMOVE_REQUEST) fields.removeRequestHeaders = this.listOf(kind);
      else if (kind == ADD_RESPONSE) fields.addResponseHeaders = this.headerMapOf(kind);
      else if (kind == REMOVE_RESPONSE) fields.removeResponseHeaders = this.listOf(kind);
      else fields.tags = this.listOf(kind);
    }
    return fields;
  }

  /** The fields, with `kind` marked as a field (about to be assigned). */
  private assigned(kind: i32): ResultFields {
    let fields = this.fields;
    if (fields == null) this.fields = fields = new ResultFields();
    fields.kinds |= 1 << kind;
    return fields;
  }

  /** The address of the string (pointer) of entry slot `i`. */
  // @ts-ignore: decorator
  @inline
  private slot(i: i32): usize {
    return i < INLINE_ENTRIES
      ? changetype<usize>(this) + offsetof<Result>('e0') + (<usize>i << alignof<usize>())
      : changetype<usize>(this.overflow) + (<usize>(i - INLINE_ENTRIES) << alignof<usize>());
  }

  // @ts-ignore: decorator
  @inline
  private entry(i: i32): usize {
    return load<usize>(this.slot(i));
  }

  /** Stores a string in entry slot `i`, with the GC's write barrier for the object holding it. */
  // @ts-ignore: decorator
  @inline
  private setEntry(i: i32, value: string): void {
    const holder = i < INLINE_ENTRIES ? changetype<usize>(this) : changetype<usize>(this.overflow);
    storeRef(holder, this.slot(i), changetype<usize>(value));
  }

  /** An add entry: replaces the value of an earlier entry of the kind with the same name (any case). */
  private addEntry(kind: i32, name: string, value: string): Result {
    const marker = markerOf(kind);
    for (let i = 0, n = this.entryCount; i < n; ) {
      const m = this.entry(i);
      if (m == marker && equalsIgnoreAsciiCase(changetype<string>(this.entry(i + 1)), name)) {
        this.setEntry(i + 2, value);
        return this;
      }
      i += 1 + operandsOf(m);
    }
    const at = this.reserve(3);
    this.entryKinds |= 1 << kind;
    this.setEntry(at, changetype<string>(marker));
    this.setEntry(at + 1, name);
    this.setEntry(at + 2, value);
    return this;
  }

  private pushEntry(kind: i32, value: string): Result {
    const at = this.reserve(2);
    this.entryKinds |= 1 << kind;
    this.setEntry(at, changetype<string>(markerOf(kind)));
    this.setEntry(at + 1, value);
    return this;
  }

  /** Makes room for `n` more strings; returns where they go. */
  private reserve(n: i32): i32 {
    const at = this.entryCount;
    const needed = at + n - INLINE_ENTRIES;
    if (needed > 0) {
      const overflow = this.overflow;
      if (overflow == null) {
        this.overflow = new StaticArray<string>(max(needed, 8));
      } else if (needed > overflow.length) {
        const grown = new StaticArray<string>(max(needed, overflow.length << 1));
        for (let i = 0, m = at - INLINE_ENTRIES; i < m; i++) unchecked((grown[i] = overflow[i]));
        this.overflow = grown;
      }
    }
    this.entryCount = at + n;
    return at;
  }

  /** The add entries of `kind` as a HeaderMap (null if none). */
  private headerMapOf(kind: i32): HeaderMap | null {
    let map: HeaderMap | null = null;
    const marker = markerOf(kind);
    for (let i = 0, n = this.entryCount; i < n; ) {
      const m = this.entry(i);
      if (m == marker) {
        if (map == null) map = new HeaderMap();
        map.append(changetype<string>(this.entry(i + 1)), changetype<string>(this.entry(i + 2)));
      }
      i += 1 + operandsOf(m);
    }
    return map;
  }

  /** The entries of `kind` as an array (null if none). */
  private listOf(kind: i32): string[] | null {
    let list: string[] | null = null;
    const marker = markerOf(kind);
    for (let i = 0, n = this.entryCount; i < n; ) {
      const m = this.entry(i);
      if (m == marker) list = pushed(list, changetype<string>(this.entry(i + 1)));
      i += 1 + operandsOf(m);
    }
    return list;
  }

  /** Writes the entries of `kind`, if any, under its key. */
  private writeEntries(kind: i32): void {
    const marker = markerOf(kind);
    const isAdd = kind == ADD_REQUEST || kind == ADD_RESPONSE;
    let first = true;
    for (let i = 0, n = this.entryCount; i < n; ) {
      const m = this.entry(i);
      if (m == marker) {
        if (first) {
          writeRaw(unchecked(KEYS[kind]));
          writeByte(isAdd ? 0x7b : 0x5b); // { [
          first = false;
        } else {
          writeByte(0x2c); // ,
        }
        writeString(changetype<string>(this.entry(i + 1)));
        if (isAdd) {
          writeByte(0x3a); // :
          writeString(changetype<string>(this.entry(i + 2)));
        }
      }
      i += 1 + operandsOf(m);
    }
    if (!first) writeByte(isAdd ? 0x7d : 0x5d); // } ]
  }
}
