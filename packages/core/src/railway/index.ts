// The public face of the Railway client. Documents and their generated types stay internal (tests
// import documents.ts directly to validate them); transport, failure translation and the choice of
// secrets to redact are implementation details.
export { createRailwayClient, MAX_LOG_LINES, SERVICES_PAGE_SIZE } from './client.js';
export type { RailwayClient, RailwayClientOptions } from './client.js';
export { DEFAULT_MUTATION_TIMEOUT_MS, DEFAULT_QUERY_TIMEOUT_MS, operationNameOf } from './requests.js';
export { DEFAULT_RAILWAY_API_URL, RAILWAY_TOKEN_KINDS } from '../railway-facts.js';
export type { RailwayConnectionOptions } from './requests.js';
// Every failure class and predicate is public: callers branch on them.
export * from './errors.js';
export { authRefusalOf } from './auth.js';
export type { AuthRefusal } from './auth.js';
export { backoffDelay, DEFAULT_RETRY_POLICY, DO_NOT_RETRY, systemClock, withRetries } from './retry.js';
export type { RailwayClock, RetryPolicy } from './retry.js';
export { RateLimitTracker, SLOW_DOWN_BELOW } from './rate-limit.js';
export type { RateLimitSnapshot } from './rate-limit.js';
export { DEPLOYMENT_STATUSES } from './types.js';
export type * from './types.js';
