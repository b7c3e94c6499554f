// In-process limits for untrusted core modules: a single-pass, linear-time rewriter that caps
// memories and tables and compiles fuel (time) and stack-depth checks into the code, calling the
// host through two imports. See instrument-module.ts and rewrite-function.ts.
export {
  BULK_TICK_SHIFT,
  FRAME_BASE_BYTES,
  FRAME_SLOT_BYTES,
  FUEL_IMPORT,
  GROW_TICKS,
  LIMITS_IMPORT_MODULE,
  STACK_IMPORT,
  type InstrumentOptions,
  type InstrumentStats,
} from './limit-hooks.js';
export { instrumentModule } from './instrument-module.js';
export { frameSize } from './rewrite-function.js';
