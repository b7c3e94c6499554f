// Starts a worker thread on one of our own entry modules, from built JS or from TypeScript sources.
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** URL of a sibling entry module, with the extension this module itself was loaded with. */
export function siblingEntry(name: string, base: string): URL {
  return new URL(`./${name}${base.endsWith('.ts') ? '.ts' : '.js'}`, base);
}

export function spawnWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  // Running from TypeScript sources (tests, benches under tsx): on Node 20 a worker does not
  // inherit tsx's loader hooks, so register them before importing the entry.
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
