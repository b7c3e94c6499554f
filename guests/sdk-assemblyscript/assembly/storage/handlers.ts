// The author's hook functions, registered once from the module's top level with `serve`.
import { BeforeResult } from './before-result';
import { ExtraColumn } from './column';
import { Context } from './context';
import { Operation } from './operation';

export type BeforeHandler = (op: Operation, context: Context, payload: string) => BeforeResult;
export type AfterHandler = (op: Operation, context: Context, payload: string, resultJson: string, extra: ExtraColumn[]) => ExtraColumn[];

export let beforeHandler: BeforeHandler | null = null;
export let afterHandler: AfterHandler | null = null;

/**
 * Wires your hooks to the component's exports. Call it once at the top level of your entry file.
 * Without a before hook every operation continues with no columns; without an after hook, after()
 * returns `extra` unchanged (what SMG's examples do).
 */
export function serve(before: BeforeHandler | null, after: AfterHandler | null = null): void {
  beforeHandler = before;
  afterHandler = after;
}
