// Test helper (not a test): a gateway with the history API on, in front of an upstream that
// answers POST /v1/responses like an OpenAI Responses endpoint, with shortcuts for the history
// routes and the admin debug listing.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startTestGateway, type Reply, type TestGateway } from '../../../helpers/gateway-harness.js';
import { echo, startUpstream, type ReceivedRequest, type TestUpstream } from '../../../helpers/start-upstream.js';
import type { GatewayOptions } from '../../../../src/gateway/index.js';

export const CONTEXT_HEADERS = { 'x-tenant-id': 'tenant_id', 'x-user-id': 'user_id' };

/** Answers POST /v1/responses with a completed response `<prefix><n>` echoing the model; else echoes. */
export function responsesUpstreamHandler(prefix = 'resp_'): (req: IncomingMessage, res: ServerResponse, received: ReceivedRequest) => void {
  let n = 0;
  return (req, res, received) => {
    if (received.method !== 'POST' || received.url !== '/v1/responses') return echo(req, res, received);
    const request = JSON.parse(received.body.toString('utf8') || '{}') as { model?: string };
    n++;
    const body = JSON.stringify({
      id: `${prefix}${n}`,
      object: 'response',
      created_at: 1_767_225_600 + n,
      status: 'completed',
      model: request.model ?? 'test-model',
      output: [{ type: 'message', id: `msg_out_${n}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: `answer ${n}` }] }],
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  };
}

export interface StorageTestbed {
  readonly t: TestGateway;
  readonly upstream: TestUpstream;
  post(path: string, body: unknown, headers?: Record<string, string | string[]>): Promise<Reply>;
  get(path: string, headers?: Record<string, string | string[]>): Promise<Reply>;
  del(path: string, headers?: Record<string, string | string[]>): Promise<Reply>;
  /** GET /debug/history (admin). */
  debug(): Promise<any>;
  close(): Promise<void>;
}

export async function startStorageTestbed(gateway: Partial<Omit<GatewayOptions, 'loader' | 'workerUrls'>> = {}): Promise<StorageTestbed> {
  const upstream = await startUpstream(responsesUpstreamHandler());
  let t: TestGateway;
  try {
    t = await startTestGateway({ upstreams: [upstream.url], persist: false, gateway: { historyBackend: 'memory', ...gateway } });
  } catch (err) {
    await upstream.close();
    throw err;
  }
  const json = { 'content-type': 'application/json' };
  return {
    t,
    upstream,
    post: (path, body, headers = {}) => t.request(path, { method: 'POST', headers: { ...json, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
    get: (path, headers = {}) => t.request(path, { headers }),
    del: (path, headers = {}) => t.request(path, { method: 'DELETE', headers }),
    async debug() {
      const reply = await t.admin('/debug/history');
      if (reply.status !== 200) throw new Error(`debug listing answered ${reply.status}: ${reply.text}`);
      return reply.json();
    },
    async close() {
      await t.close();
      await upstream.close();
    },
  };
}
