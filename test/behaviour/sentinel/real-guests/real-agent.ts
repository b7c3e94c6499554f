// Shared by the real-guest suites: an agent on a Unix socket in a temp dir serving a wasm guest
// built from source (build/guests/), and request helpers that check every reply against the
// proxy's deserializer rules (`assertProxyAccepts`) on the exact bytes the agent wrote.
import assert from 'node:assert/strict';
import { SentinelJsonModule, IsolatedSentinelModule, type GuestLimits } from '../../../../src/index.js';
import { guestPath } from '../../../helpers/guests.js';
import {
  SentinelV1Client,
  SentinelV2Client,
  assertProxyAccepts,
  encodeV1Request,
  type V1EventType,
} from '../../../helpers/sentinel-client.js';
import { startTestAgent, type TestAgent, type TestAgentOptions } from '../agent-fixture.js';

export type Json = Record<string, unknown>;

export interface RealAgentOptions extends Omit<TestAgentOptions, 'guest' | 'loadGuest'> {
  /** Instances in the module's pool (default: the agent's pool size, else 4). */
  modulePoolSize?: number;
  limits?: Partial<GuestLimits>;
  /** Run the guest on executor threads (IsolatedSentinelModule). */
  isolated?: boolean;
}

/** Loader for a built guest, as the CLI composes it. */
export function realLoader(path: string, options: { poolSize: number; limits?: Partial<GuestLimits>; isolated?: boolean }) {
  return options.isolated
    ? () => IsolatedSentinelModule.load(path, { poolSize: options.poolSize, limits: options.limits })
    : () => SentinelJsonModule.load(path, { poolSize: options.poolSize, limits: options.limits });
}

/** Starts an agent serving `build/guests/<area>/<name>.wasm`. */
export function startRealAgent(area: string, name: string, options: RealAgentOptions = {}): Promise<TestAgent> {
  const { modulePoolSize, limits, isolated, ...agentOptions } = options;
  const poolSize = modulePoolSize ?? agentOptions.poolSize ?? 4;
  return startTestAgent({ ...agentOptions, loadGuest: realLoader(guestPath(area, name), { poolSize, limits, isolated }) });
}

/** Rejects (instead of hanging the suite) when `promise` does not settle in `ms`. A guard, not a clock. */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Sends one v1 event and returns its reply, checked on the raw bytes as the proxy would. */
export async function askV1(client: SentinelV1Client, eventType: V1EventType, payload: unknown): Promise<Json> {
  client.sendRaw(encodeV1Request(eventType, payload));
  const reply = await within(client.reply(), 10_000, `the ${eventType} reply`);
  return assertProxyAccepts(reply.raw, { protocol: 1 });
}

/** Takes the next v1 reply (for pipelined requests), checked as the proxy would. */
export async function nextV1(client: SentinelV1Client): Promise<Json> {
  const reply = await within(client.reply(), 10_000, 'a pipelined reply');
  return assertProxyAccepts(reply.raw, { protocol: 1 });
}

/** Sends one v2 event and returns the reply routed by its correlation ID, checked as the proxy would. */
export async function askV2(client: SentinelV2Client, type: number, correlationId: string, payload: Json): Promise<Json> {
  const reply = await within(client.request(type, correlationId, payload), 10_000, `v2 reply ${correlationId}`);
  assert.deepEqual(client.errors, [], 'every v2 reply is accepted by the proxy');
  return assertProxyAccepts(reply, { protocol: 2, correlationId });
}

export const tagsOf = (reply: Json): string[] => (reply['audit'] as { tags: string[] }).tags;
export const reasonsOf = (reply: Json): string[] => (reply['audit'] as { reason_codes: string[] }).reason_codes;
export const requestOps = (reply: Json): unknown[] => reply['request_headers'] as unknown[];
export const responseOps = (reply: Json): unknown[] => reply['response_headers'] as unknown[];

/** The fail-closed answer to a module error: block 500 "Wasm Error", tag wasm-error, the error as reason. */
export function assertFailClosed(reply: Json, reason: RegExp): void {
  assert.deepEqual(reply['decision'], { block: { status: 500, body: 'Wasm Error', headers: null } });
  assert.deepEqual(tagsOf(reply), ['wasm-error']);
  assert.equal(reasonsOf(reply).length, 1);
  assert.match(reasonsOf(reply)[0]!, reason);
  assert.deepEqual(requestOps(reply), []);
  assert.deepEqual(responseOps(reply), []);
}

/** The fail-open answer to a module error: allow, tags wasm-error + fail-open, the error as reason. */
export function assertFailOpen(reply: Json, reason: RegExp): void {
  assert.equal(reply['decision'], 'allow');
  assert.deepEqual(tagsOf(reply), ['wasm-error', 'fail-open']);
  assert.equal(reasonsOf(reply).length, 1);
  assert.match(reasonsOf(reply)[0]!, reason);
  assert.deepEqual(requestOps(reply), []);
  assert.deepEqual(responseOps(reply), []);
}

/** A plain allow with nothing else. */
export function assertBareAllow(reply: Json): void {
  assert.equal(reply['decision'], 'allow');
  assert.deepEqual(requestOps(reply), []);
  assert.deepEqual(responseOps(reply), []);
  assert.deepEqual(tagsOf(reply), []);
  assert.deepEqual(reasonsOf(reply), []);
}
