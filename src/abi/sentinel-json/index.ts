export { SentinelJsonModule, SENTINEL_EXPORTS } from './sentinel-json-module.js';
export type { SentinelModuleOptions } from './sentinel-json-module.js';
export { parseSentinelResult, allowResult, isSharedResult, SentinelResultCache } from './result-codec.js';
export type { SentinelDecision, SentinelEvent, SentinelGuest, SentinelRequest, SentinelResponse, SentinelResult } from './types.js';
export { IsolatedSentinelModule } from './isolated-sentinel-module.js';
export type { IsolatedSentinelOptions } from './isolated-sentinel-module.js';
