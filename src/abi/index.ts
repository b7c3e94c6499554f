// The ABI layer's surface: one adapter per guest contract.
export * as sentinelJson from './sentinel-json/index.js';
export { SentinelJsonModule, IsolatedSentinelModule } from './sentinel-json/index.js';
export type { SentinelGuest, SentinelRequest, SentinelResponse, SentinelResult, SentinelEvent, SentinelModuleOptions, IsolatedSentinelOptions } from './sentinel-json/index.js';
