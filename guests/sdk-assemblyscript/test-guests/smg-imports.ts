// Test guest for the SDK's optional imports: config (wasmgate:guest/config) and clock
// (wasi:clocks/wall-clock). on-request -> modify: headers-set x-config-json = config.json(),
// x-config-value = config.get(<query>) or "<absent>", x-clock-ms = clock.nowMs().
// on-response -> continue.
import { Action, Request, modify, serve } from '../assembly/smg';
import { config } from '../assembly/config';
import { clock } from '../assembly/clock';
export * from '../assembly/smg/exports';

function onRequest(req: Request): Action {
  const value = config.get(req.query);
  return modify()
    .setHeader('x-config-json', config.json())
    .setHeader('x-config-value', value == null ? '<absent>' : value)
    .setHeader('x-clock-ms', clock.nowMs().toString());
}

// Wires the handlers to the exports. Keep it last: it runs when the module starts, after the
// module-level variables above are initialised.
serve(onRequest);
