// The SMG-compatible module management API (reference §1), behind admin auth:
//   GET /wasm · POST /wasm · DELETE /wasm/{uuid}   (SMG's shapes, statuses and texts)
//   PUT /wasm/{name}                               (wasmgate: upload bytes, create or replace)
// With --enable-wasm off every call answers 500 with an empty body, after the request extractors
// SMG runs first (JSON body for POST, UUID for DELETE).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { WasmgateError, describeError } from '../errors.js';
import type { ModuleRegistry } from '../registry/index.js';
import { ClientGoneError, declaredLength, readBody } from './body-reader.js';
import { errorPayload } from './error-status.js';
import { sendEmpty, sendJson, sendText } from './http-reply.js';
import { addModules } from './wasm-api/add-modules.js';
import { isJsonContentType, isWasmContentType } from './wasm-api/content-type.js';
import { decodeAddRequest } from './wasm-api/decode-add-request.js';
import { listModules } from './wasm-api/list-modules.js';
import { parseUuid } from './wasm-api/parse-uuid.js';
import { putModule } from './wasm-api/put-module.js';
import { workflowMessage } from './wasm-api/workflow-message.js';

/** Largest module accepted (file, base64 or upload): a client cannot make the gateway hold more. */
export const MAX_MODULE_BYTES = 100 * 1024 * 1024;
/** Largest POST /wasm body: room for one module as base64 plus descriptors. */
const MAX_JSON_BODY_BYTES = Math.ceil((MAX_MODULE_BYTES * 4) / 3) + 1024 * 1024;

export interface WasmApiOptions {
  registry: ModuleRegistry;
  enabled: boolean;
  log: Logger;
  maxModuleBytes?: number;
}

export function isWasmApiPath(path: string): boolean {
  return path === '/wasm' || path.startsWith('/wasm/');
}

export class WasmApi {
  readonly #registry: ModuleRegistry;
  readonly #enabled: boolean;
  readonly #log: Logger;
  readonly #maxModuleBytes: number;

  constructor(options: WasmApiOptions) {
    this.#registry = options.registry;
    this.#enabled = options.enabled;
    this.#log = options.log;
    this.#maxModuleBytes = options.maxModuleBytes ?? MAX_MODULE_BYTES;
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string, query: string): Promise<void> {
    const method = req.method ?? 'GET';
    if (path === '/wasm') {
      if (method === 'GET' || method === 'HEAD') return this.#list(res);
      if (method === 'POST') return this.#add(req, res);
      return sendEmpty(res, 405, { allow: 'GET,HEAD,POST' });
    }
    const segment = path.slice('/wasm/'.length);
    if (segment === '' || segment.includes('/')) return sendEmpty(res, 404);
    let decoded: string | undefined;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      decoded = undefined;
    }
    if (method === 'DELETE') return this.#remove(res, decoded === undefined ? undefined : parseUuid(decoded));
    if (method === 'PUT') {
      if (decoded === undefined) return sendJson(res, 400, errorPayload(new WasmgateError('WG_ERR_CONFIG_INVALID', 'module name is not valid percent-encoding')));
      return this.#put(req, res, decoded, query);
    }
    return sendEmpty(res, 405, { allow: 'DELETE,PUT' });
  }

  #list(res: ServerResponse): void {
    if (!this.#enabled) return sendEmpty(res, 500);
    sendJson(res, 200, listModules(this.#registry));
  }

  async #readAdminBody(req: IncomingMessage, cap: number, tooLarge: () => void): Promise<Buffer | undefined> {
    try {
      return await readBody(req, cap, declaredLength(req.headers['content-length']));
    } catch (err) {
      if (err instanceof ClientGoneError) return undefined;
      if (WasmgateError.is(err, 'WG_ERR_BODY_TOO_LARGE')) {
        tooLarge();
        return undefined;
      }
      throw err;
    }
  }

  async #add(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isJsonContentType(req.headers['content-type'])) {
      return sendText(res, 415, 'Expected request with `Content-Type: application/json`');
    }
    const body = await this.#readAdminBody(req, MAX_JSON_BODY_BYTES, () =>
      sendText(res, 413, 'Failed to buffer the request body: length limit exceeded', { connection: 'close' }),
    );
    if (body === undefined) return;
    const decoded = decodeAddRequest(body);
    if (!decoded.ok) return sendText(res, decoded.status, decoded.text);
    if (!this.#enabled) return sendEmpty(res, 500);
    const { status, modules } = await addModules(this.#registry, decoded.modules, this.#maxModuleBytes, this.#log);
    sendJson(res, status, { modules });
  }

  async #remove(res: ServerResponse, uuid: string | undefined): Promise<void> {
    if (uuid === undefined) return sendEmpty(res, 400);
    if (!this.#enabled) return sendEmpty(res, 500);
    try {
      const record = await this.#registry.remove(uuid);
      this.#log.info({ module: record.name, uuid }, 'module removed');
      sendText(res, 200, 'Module removed successfully');
    } catch (err) {
      if (WasmgateError.is(err, 'WG_ERR_REGISTRY_NOT_FOUND')) {
        return sendText(res, 400, workflowMessage('find_module_to_remove', `Module with UUID ${uuid} not found`));
      }
      this.#log.error({ err, uuid }, 'module removal failed');
      sendText(res, 400, workflowMessage('remove_module', `Failed to remove module: ${describeError(err)}`));
    }
  }

  async #put(req: IncomingMessage, res: ServerResponse, name: string, query: string): Promise<void> {
    if (!this.#enabled) return sendEmpty(res, 500);
    if (!isWasmContentType(req.headers['content-type'])) {
      return sendText(res, 415, 'Expected request with `Content-Type: application/wasm`');
    }
    const body = await this.#readAdminBody(req, this.#maxModuleBytes, () =>
      sendJson(res, 413, errorPayload(new WasmgateError('WG_ERR_BODY_TOO_LARGE', `module upload is over the limit of ${this.#maxModuleBytes} bytes`)), {
        connection: 'close',
      }),
    );
    if (body === undefined) return;
    const outcome = await putModule(this.#registry, name, new Uint8Array(body.buffer, body.byteOffset, body.byteLength), new URLSearchParams(query));
    if (outcome.status < 300) this.#log.info({ module: name, outcome: outcome.body }, 'module uploaded');
    else this.#log.warn({ module: name, outcome: outcome.body }, 'module upload refused');
    sendJson(res, outcome.status, outcome.body);
  }
}
