// SMG flags that wasmgate accepts so an SMG command line runs unchanged, though wasmgate has
// nothing for them to configure: what each would do in SMG, and why it needs nothing here. Each one
// given is logged once at startup, so nobody is left guessing.
import { access, constants } from 'node:fs/promises';
import { WasmgateError, describeError } from '../../errors.js';
import type { ResolvedGatewaySettings } from '../../config/index.js';

export const SMG_COMPAT_FLAGS = [
  ['--schema-config <file>', 'schema_config', 'SMG: extra-column schema (YAML) for SQL history backends; read, not needed by the memory and none backends (SMG ignores it there too)'],
  ['--stream-request-bodies-over <bytes>', 'stream_request_bodies_over', 'SMG: stream large request bodies past its handlers; wasmgate always streams bodies no module needs'],
  ['--job-queue-capacity <n>', 'job_queue_capacity', "SMG: size of the /wasm job queue; wasmgate's /wasm API registers modules directly"],
  ['--job-queue-concurrency <n>', 'job_queue_concurrency', "SMG: workers of the /wasm job queue; wasmgate's /wasm API registers modules directly"],
] as const;

export interface CompatNote {
  readonly setting: string;
  readonly message: string;
}

/**
 * Checks the SMG-only settings that were given and says what wasmgate does with each. A schema
 * file that cannot be read is an error, as it is for SMG at startup.
 */
export async function smgCompatNotes(settings: Readonly<ResolvedGatewaySettings>): Promise<CompatNote[]> {
  const notes: CompatNote[] = [];
  if (settings.schema_config !== undefined) {
    try {
      await access(settings.schema_config, constants.R_OK);
    } catch (err) {
      throw new WasmgateError('WG_ERR_CONFIG_INVALID', `schema_config: cannot read ${settings.schema_config}: ${describeError(err)}`, { cause: err });
    }
    notes.push({
      setting: 'schema_config',
      message: "the schema declares extra columns for SQL backends; SMG's memory and none backends ignore it, and wasmgate's keep every column the hook returns (see /debug/history)",
    });
  }
  if (settings.stream_request_bodies_over !== undefined) {
    notes.push({ setting: 'stream_request_bodies_over', message: 'request bodies no OnRequest module needs are always streamed to the upstream; nothing to configure' });
  }
  for (const setting of ['job_queue_capacity', 'job_queue_concurrency'] as const) {
    if (settings[setting] !== undefined) notes.push({ setting, message: '/wasm registers modules as each request arrives (no job queue); nothing to configure' });
  }
  return notes;
}
