// `wasmgate:guest/config` (wit/wasmgate-guest.wit): a module's per-module `config` object, readable
// by the guest. Optional: SMG components import nothing of it and run unchanged.

export type GuestConfig = Readonly<Record<string, unknown>>;

/** Longest config text handed to a guest; the descriptor schema keeps configs far smaller. */
const MAX_CONFIG_JSON = 64 * 1024;

export function guestConfigInterface(config: GuestConfig): Record<string, Record<string, unknown>> {
  const json = JSON.stringify(config).slice(0, MAX_CONFIG_JSON);
  return {
    'wasmgate:guest/config': {
      getJson: (): string => json,
      get: (key: string): string | undefined => {
        if (!Object.hasOwn(config, key)) return undefined;
        const value = config[key];
        return typeof value === 'string' ? value : JSON.stringify(value);
      },
    },
  };
}
