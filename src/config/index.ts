// Gateway settings: schema, sources and precedence (defaults < config file < env < flags).
export { CLI_DEFAULTS, ISOLATION_MODES, LOG_LEVELS, SETTING_KINDS, envNameOf, gatewaySettingsSchema } from './gateway-settings.js';
export type { GatewaySettingName, Isolation, GatewaySettings, ResolvedGatewaySettings, SettingKind } from './gateway-settings.js';
export { loadGatewayConfig } from './load-gateway-config.js';
export type { LoadGatewayConfigInput, LoadedGatewayConfig, RawValue } from './load-gateway-config.js';
