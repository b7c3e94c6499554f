// POST /wasm after decoding: each descriptor goes through SMG's registration steps, one after the
// other, in array order; a failure is reported in that module's add_result and does not stop the
// others. 200 when all succeed (also for an empty list), else 400 with every add_result.
import type { Logger } from 'pino';
import { WasmgateError, describeError } from '../../errors.js';
import { parseModuleSettings, type AttachPoint, type ModuleRegistry, type ModuleSettings } from '../../registry/index.js';
import type { DecodedDescriptor } from './decode-add-request.js';
import { readModuleFile } from './validate-descriptor.js';
import { StepFailure } from './workflow-message.js';

export type AddResult = { Success: string } | { Error: string };

export interface AddResponseEntry {
  name: string;
  file_path: string;
  module_type: 'Middleware';
  attach_points: Array<{ Middleware: AttachPoint }>;
  add_result: AddResult;
}

const COMPONENT_HINT =
  ". Hint: The WASM file must be in component format. If you're using wit-bindgen, use 'wasm-tools component new' to wrap the WASM module into a component.";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Strict base64 (standard or URL-safe alphabet, padding optional, whitespace ignored). */
export function decodeBase64(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, '');
  if (BASE64.test(compact)) return new Uint8Array(Buffer.from(compact, 'base64'));
  if (BASE64URL.test(compact) && compact.length % 4 !== 1) return new Uint8Array(Buffer.from(compact, 'base64url'));
  return undefined;
}

/** Which SMG step a registry error belongs to, with SMG's message format. */
export function stepFailureOf(err: unknown): StepFailure {
  if (err instanceof StepFailure) return err;
  const message = describeError(err);
  if (WasmgateError.is(err, 'WG_ERR_REGISTRY_DUPLICATE')) return new StepFailure('check_duplicate', message);
  if (WasmgateError.is(err, 'WG_ERR_CONFIG_INVALID')) return new StepFailure('validate_descriptor', `Invalid module settings: ${message}`);
  if (WasmgateError.is(err) && (err.code.startsWith('WG_ERR_MODULE_') || err.code.startsWith('WG_ERR_GUEST_'))) {
    const hint = err.code === 'WG_ERR_MODULE_INVALID' || err.code === 'WG_ERR_MODULE_KIND_MISMATCH' ? COMPONENT_HINT : '';
    return new StepFailure('validate_wasm_component', `Invalid WASM component: ${message}${hint}`);
  }
  return new StepFailure('register_module', `Failed to register module: ${message}`);
}

async function bytesOf(descriptor: DecodedDescriptor, maxBytes: number): Promise<{ bytes: Uint8Array; filePath: string | undefined }> {
  const fail = (message: string): never => {
    throw new StepFailure('validate_descriptor', message);
  };
  const base64 = descriptor.extras.wasm_base64;
  if (base64 === undefined) return { bytes: await readModuleFile(descriptor.name, descriptor.filePath ?? '', maxBytes), filePath: descriptor.filePath };
  if (descriptor.filePath !== undefined && descriptor.filePath !== '') fail('Give either file_path or wasm_base64, not both');
  if (typeof base64 !== 'string') fail('wasm_base64 must be a string of base64');
  const bytes = decodeBase64(base64 as string) ?? fail('wasm_base64 is not valid base64');
  if (bytes.byteLength === 0) fail('Module bytes (wasm_base64) cannot be empty');
  if (bytes.byteLength > maxBytes) fail(`Module bytes (wasm_base64) are ${bytes.byteLength} bytes, more than the limit of ${maxBytes}`);
  return { bytes, filePath: undefined };
}

async function addOne(registry: ModuleRegistry, descriptor: DecodedDescriptor, maxBytes: number): Promise<{ uuid: string; filePath: string }> {
  if (descriptor.name === '') throw new StepFailure('validate_descriptor', 'Module name cannot be empty');
  let settings: ModuleSettings;
  try {
    settings = parseModuleSettings(descriptor.extras);
  } catch (err) {
    throw new StepFailure('validate_descriptor', `Invalid module settings: ${describeError(err)}`);
  }
  const { bytes, filePath } = await bytesOf(descriptor, maxBytes);
  try {
    const record = await registry.register({ name: descriptor.name, filePath, bytes, attachPoints: descriptor.attachPoints, settings });
    return { uuid: record.uuid, filePath: record.filePath };
  } catch (err) {
    throw stepFailureOf(err);
  }
}

export async function addModules(
  registry: ModuleRegistry,
  descriptors: readonly DecodedDescriptor[],
  maxBytes: number,
  log: Logger,
): Promise<{ status: 200 | 400; modules: AddResponseEntry[] }> {
  const modules: AddResponseEntry[] = [];
  let status: 200 | 400 = 200;
  for (const descriptor of descriptors) {
    const entry: AddResponseEntry = {
      name: descriptor.name,
      file_path: descriptor.filePath ?? '',
      module_type: 'Middleware',
      attach_points: descriptor.attachPoints.map((point) => ({ Middleware: point })),
      add_result: { Error: '' },
    };
    try {
      const { uuid, filePath } = await addOne(registry, descriptor, maxBytes);
      entry.file_path = descriptor.filePath ?? filePath;
      entry.add_result = { Success: uuid };
      log.info({ module: descriptor.name, uuid }, 'module registered');
    } catch (err) {
      const failure = stepFailureOf(err);
      entry.add_result = { Error: failure.workflowMessage };
      status = 400;
      log.warn({ module: descriptor.name, step: failure.step, reason: failure.message }, 'module registration failed');
    }
    modules.push(entry);
  }
  return { status, modules };
}
