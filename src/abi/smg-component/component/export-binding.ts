// Decides, per exported function, how calls reach the guest: 'direct' (our own canonical ABI into
// the core export, ~1 us) or 'glue' (jco's generated wrapper, ~10 us). Planned once at load from
// the glue analysis; bound per instance, falling back to the glue if the instance does not look as
// analysed.
import type { ComponentArtifact } from './component-loader.js';
import type { ComponentLog } from './component-log.js';
import type { LiftedExport } from './glue-analysis.js';
import type { ComponentInstance, CoreEntry } from './instantiate-component.js';

export type CallPath = 'direct' | 'glue';

export interface ExportSpec {
  /** `smg:gateway/middleware-on-request` */
  readonly iface: string;
  /** Core export name: `smg:gateway/middleware-on-request#on-request` */
  readonly coreExport: string;
  /** The glue's function name (`onRequest`). */
  readonly jsName: string;
  /** Flattened core parameter count, checked against the core function. */
  readonly paramCount: number;
}

export interface ExportPlan extends ExportSpec {
  readonly lifted: LiftedExport | undefined;
}

export type BoundExport =
  | { readonly path: 'direct'; readonly entry: CoreEntry }
  | { readonly path: 'glue'; readonly call: (...args: unknown[]) => unknown };

export function planExport(artifact: ComponentArtifact, spec: ExportSpec, wanted: CallPath, log: ComponentLog): ExportPlan {
  if (wanted === 'glue') return { ...spec, lifted: undefined };
  const lifted = artifact.analysis.lifted(spec.coreExport);
  if ('unsupported' in lifted) {
    log('component.glue-fallback', { sha256: artifact.sha256, export: spec.coreExport, reason: lifted.unsupported });
    return { ...spec, lifted: undefined };
  }
  return { ...spec, lifted };
}

export function bindExport(instance: ComponentInstance, plan: ExportPlan, sha256: string, log: ComponentLog): BoundExport {
  if (plan.lifted) {
    const entry = instance.core(plan.lifted, plan.paramCount);
    if (entry) return { path: 'direct', entry };
    log('component.glue-fallback', { sha256, export: plan.coreExport, reason: 'core instance does not match the glue analysis' });
  }
  const fn = instance.exports[plan.iface]?.[plan.jsName];
  if (typeof fn !== 'function') throw new Error(`component glue has no ${plan.iface}.${plan.jsName}`);
  return { path: 'glue', call: fn as (...args: unknown[]) => unknown };
}
