// The logging seam of the component loaders: one structured event per call, so the caller can
// route it to pino (`(event, fields) => logger.info({ event, ...fields })`) or collect it in a test.
//
// Events: component.transpiled { sha256, bytes, ms }, component.cache-write-failed { sha256, error },
// component.cache-corrupt { sha256, file }, component.glue-fallback { sha256, export, reason },
// guest.stdout / guest.stderr { module, line, split? }, guest.output-truncated { module, stream,
// droppedBytes, limitBytes }, guest.denied { module, interface, detail }.
export type ComponentLog = (event: string, fields: Record<string, unknown>) => void;

export const silentLog: ComponentLog = () => {};
