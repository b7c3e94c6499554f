// PUT /wasm/{name} (wasmgate's addition): upload component bytes (Content-Type: application/wasm)
// to create the module `name` or atomically replace it. Query: attach=OnRequest,OnResponse,OnError
// priority=<int> fail_open=true|false response_mode=body|headers. Answers JSON.
import { WasmgateError } from '../../errors.js';
import { ATTACH_POINTS, MAX_PRIORITY, RESPONSE_MODES, isAttachPoint, type AttachPoint, type ModuleRegistry, type ModuleSettings, type ResponseMode } from '../../registry/index.js';
import { errorPayload, errorStatus } from '../error-status.js';

export interface PutOutcome {
  status: number;
  body: unknown;
}

const QUERY_KEYS = new Set(['attach', 'priority', 'fail_open', 'response_mode']);

function invalid(message: string): never {
  throw new WasmgateError('WG_ERR_CONFIG_INVALID', message);
}

export function parsePutQuery(query: URLSearchParams): { attachPoints?: AttachPoint[]; settings: Partial<ModuleSettings> } {
  for (const key of query.keys()) {
    if (!QUERY_KEYS.has(key)) invalid(`unknown query parameter "${key}" (known: ${[...QUERY_KEYS].join(', ')})`);
  }
  const settings: { priority?: number; failOpen?: boolean; responseMode?: ResponseMode } = {};
  let attachPoints: AttachPoint[] | undefined;
  const attach = query.get('attach');
  if (attach !== null) {
    const names = attach.split(',').map((s) => s.trim()).filter(Boolean);
    if (names.length === 0) invalid(`attach needs at least one of ${ATTACH_POINTS.join(', ')}`);
    attachPoints = names.map((name) => (isAttachPoint(name) ? name : invalid(`attach: unknown attach point "${name}" (known: ${ATTACH_POINTS.join(', ')})`)));
  }
  const priority = query.get('priority');
  if (priority !== null) {
    if (!/^-?\d+$/.test(priority) || Math.abs(Number(priority)) > MAX_PRIORITY) invalid(`priority must be a whole number between -${MAX_PRIORITY} and ${MAX_PRIORITY}`);
    settings.priority = Number(priority);
  }
  const failOpen = query.get('fail_open');
  if (failOpen !== null) {
    if (failOpen !== 'true' && failOpen !== 'false') invalid('fail_open must be true or false');
    settings.failOpen = failOpen === 'true';
  }
  const mode = query.get('response_mode');
  if (mode !== null) {
    if (!(RESPONSE_MODES as readonly string[]).includes(mode)) invalid(`response_mode must be one of ${RESPONSE_MODES.join(', ')}`);
    settings.responseMode = mode as ResponseMode;
  }
  return { attachPoints, settings };
}

export async function putModule(registry: ModuleRegistry, name: string, bytes: Uint8Array, query: URLSearchParams): Promise<PutOutcome> {
  try {
    if (name === '') invalid('Module name cannot be empty');
    const { attachPoints, settings } = parsePutQuery(query);
    const result = await registry.put({ name, bytes, attachPoints, settings });
    return {
      status: result.result === 'created' ? 201 : 200,
      body: {
        result: result.result,
        module_uuid: result.record.uuid,
        name: result.record.name,
        sha256_hash: result.record.sha256,
        size_bytes: result.record.sizeBytes,
        attach_points: result.record.attachPoints.map((point) => ({ Middleware: point })),
        ...(result.replaced ? { replaced_module_uuid: result.replaced.uuid } : {}),
      },
    };
  } catch (err) {
    return { status: errorStatus(err), body: errorPayload(err) };
  }
}
