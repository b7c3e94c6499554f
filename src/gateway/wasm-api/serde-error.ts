// serde_json's error as the POST /wasm decoder reports it: message, category (which decides 400
// vs 422 under axum), position and serde_path_to_error path; plus Rust's display of values.

export type SerdeCategory = 'syntax' | 'eof' | 'data';

export class SerdeError extends Error {
  readonly category: SerdeCategory;
  line = 0;
  column = 0;
  /** serde_path_to_error's path, e.g. `modules[0].attach_points[1].Middleware` ('' for the root); set once, innermost first. */
  path: string | undefined;

  constructor(message: string, category: SerdeCategory) {
    super(message);
    this.name = 'SerdeError';
    this.category = category;
  }

  get positioned(): boolean {
    return this.line !== 0;
  }

  /** serde_path_to_error's Display: `<path>: <serde_json error>`. */
  display(): string {
    const inner = this.positioned ? `${this.message} at line ${this.line} column ${this.column}` : this.message;
    return this.path ? `${this.path}: ${inner}` : inner;
  }
}

/** A serde_json "custom" error (invalid type, missing field, unknown variant...): positioned later. */
export function dataError(message: string): SerdeError {
  return new SerdeError(message, 'data');
}

/** Rust's `{:?}` of a str (close enough: quotes, backslash and control escapes). */
export function rustDebugString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}

/** serde_json prints floats with ryu, always with a decimal point or exponent. */
export function floatDisplay(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e16) return `${value}.0`;
  return String(value).replace('e+', 'e');
}
