// What the hooked history store needs around it: the hook's calling surface (StorageHook from
// src/abi has it), an observer for metrics, and small helpers shared with the HTTP layer.
import type { Logger } from 'pino';
import { WasmgateError } from '../../errors.js';
import type { BeforeResult, ContextEntry, ExtraColumn, StorageOperation } from '../../abi/index.js';
import type { ExtraColumns } from './history-types.js';

/** What the hooked store needs of a hook (StorageHook from src/abi has this shape). */
export interface StorageHookCaller {
  before(op: StorageOperation, context: readonly ContextEntry[], payload: string): Promise<BeforeResult>;
  after(op: StorageOperation, context: readonly ContextEntry[], payload: string, resultJson: string, extra: readonly ExtraColumn[]): Promise<ExtraColumn[]>;
}

export type HookPhase = 'before' | 'after';
export type HookCallOutcome = 'continue' | 'reject' | 'ok' | 'error';
export type OperationOutcome = 'ok' | 'rejected' | 'hook_error' | 'backend_error';

export interface StorageObserver {
  hookCall(phase: HookPhase, op: StorageOperation, outcome: HookCallOutcome, durationUs: number, failureKind?: string): void;
  operation(op: StorageOperation, outcome: OperationOutcome): void;
}

export interface HookedHistoryStoreOptions {
  /** SMG's fail-open policy. Default false: a failing hook fails the operation. */
  failOpen?: boolean;
  log: Logger;
  observer?: StorageObserver;
  /** The request's context entries (§4.5); see withContext(). */
  context?: readonly ContextEntry[];
}

/** `create-conversation` → `CreateConversation` (SMG logs the operation's Debug form). */
export function operationName(op: StorageOperation): string {
  return op.replace(/(^|-)([a-z])/g, (_, _sep: string, c: string) => c.toUpperCase());
}

/** A hook's column list as a record: last value wins (SMG keeps them in a map). No prototype: names are guest input. */
export function columnsRecord(columns: readonly ExtraColumn[]): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const { name, value } of columns) out[name] = value;
  return out;
}

export function columnList(record: ExtraColumns): ExtraColumn[] {
  return Object.entries(record).map(([name, value]) => ({ name, value }));
}

export function failureKind(err: unknown): string {
  if (err instanceof WasmgateError) return 'kind' in err && typeof err.kind === 'string' ? err.kind : err.code;
  return 'other';
}

