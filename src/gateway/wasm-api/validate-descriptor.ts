// SMG's `validate_descriptor` step (reference §1.3), checks and messages in SMG's order, then the
// `calculate_hash` step's file read. Unlike SMG the file is read once (hash, size and bytes all
// come from the same read) and must be a regular file no larger than the upload limit.
import { open, realpath, stat } from 'node:fs/promises';
import { rustIoErrorText } from './os-error-text.js';
import { StepFailure } from './workflow-message.js';

const BLOCKED_PREFIXES = ['/etc/', '/proc/', '/sys/', '/dev/', '/boot/', '/root/', '/var/log/', '/var/run/'];

/** Rust's Path::components() for an absolute path: empty and `.` components dropped. */
function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '' && c !== '.');
}

/** Rust's Path::extension(): after the last dot of the file name, unless the name is `.x` or `..`. */
export function rustExtension(path: string): string | undefined {
  const parts = components(path);
  const fileName = parts[parts.length - 1];
  if (fileName === undefined || fileName === '..') return undefined;
  const dot = fileName.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return fileName.slice(dot + 1);
}

function hasWasmExtension(path: string): boolean {
  return rustExtension(path)?.toLowerCase() === 'wasm';
}

function blockedPrefix(path: string): string | undefined {
  return BLOCKED_PREFIXES.find((prefix) => path.startsWith(prefix));
}

/** The checks that need no file system (steps 1–6 of SMG's validate_descriptor). */
export function checkDescriptorStrings(name: string, filePath: string): void {
  const fail = (message: string): never => {
    throw new StepFailure('validate_descriptor', message);
  };
  if (name === '') fail('Module name cannot be empty');
  if (filePath === '') fail('Module file path cannot be empty');
  if (!filePath.startsWith('/')) fail(`Module file path must be absolute, got: ${filePath}`);
  if (components(filePath).includes('..')) fail('Path traversal (..) not allowed in module file path');
  if (!hasWasmExtension(filePath)) fail('Module file must have .wasm extension');
  const prefix = blockedPrefix(filePath);
  if (prefix !== undefined) fail(`Access to ${prefix} directory is not allowed`);
}

/**
 * Runs validate_descriptor then reads the file (calculate_hash). Returns the bytes.
 * Throws StepFailure with SMG's step and message.
 */
export async function readModuleFile(name: string, filePath: string, maxBytes: number): Promise<Uint8Array> {
  checkDescriptorStrings(name, filePath);
  const fail = (message: string): never => {
    throw new StepFailure('validate_descriptor', message);
  };
  const info = await stat(filePath).catch((err: unknown) => fail(`Failed to access file ${filePath}: ${rustIoErrorText(err)}`));
  if (info.size === 0) fail('Module file size cannot be 0');
  const canonical = await realpath(filePath).catch((err: unknown) => fail(`Failed to canonicalize path ${filePath}: ${rustIoErrorText(err)}`));
  const prefix = blockedPrefix(canonical);
  if (prefix !== undefined) fail(`Path resolves to blocked directory ${prefix} (via symlink)`);
  if (!hasWasmExtension(canonical)) fail('Symlink target must be a .wasm file');
  // wasmgate's own checks: never block on a FIFO or device, never read more than we accept.
  if (!info.isFile() && !info.isDirectory()) fail(`Module file ${filePath} is not a regular file`);
  if (info.size > maxBytes) fail(`Module file ${filePath} is ${info.size} bytes, more than the limit of ${maxBytes}`);

  const hashFail = (message: string): never => {
    throw new StepFailure('calculate_hash', message);
  };
  const handle = await open(filePath, 'r').catch((err: unknown) => hashFail(`Failed to open file ${filePath}: ${rustIoErrorText(err)}`));
  try {
    const bytes = await handle.readFile().catch((err: unknown) => hashFail(`Failed to read file ${filePath}: ${rustIoErrorText(err)}`));
    if (bytes.byteLength > maxBytes) hashFail(`Failed to read file ${filePath}: it grew past the limit of ${maxBytes} bytes`);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } finally {
    await handle.close();
  }
}
