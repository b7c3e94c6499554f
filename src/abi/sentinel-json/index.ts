export { SentinelJsonModule, SENTINEL_EXPORTS } from './sentinel-json-module.js';
export type { SentinelModuleOptions } from './sentinel-json-module.js';
export { parseSentinelResult, allowResult, isSharedResult, SentinelResultCache } from './result-codec.js';
export { acceptsHeaderLists, joinHeaderLists } from './header-lists.js';
export type {
  HeaderListGuest,
  SentinelDecision,
  SentinelEvent,
  SentinelGuest,
  SentinelHeaderLists,
  SentinelHeaderValue,
  SentinelRequest,
  SentinelRequestInput,
  SentinelResponse,
  SentinelResponseInput,
  SentinelResult,
} from './types.js';
export { IsolatedSentinelModule } from './isolated-sentinel-module.js';
export type { IsolatedSentinelOptions } from './isolated-sentinel-module.js';
