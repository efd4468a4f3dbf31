// The public face of the Railway client. Documents stay internal (tests import documents.ts
// directly to validate them); transport and redaction are implementation details.
export {
  createRailwayClient,
  DEFAULT_MUTATION_TIMEOUT_MS,
  DEFAULT_QUERY_TIMEOUT_MS,
  MAX_LOG_LINES,
  operationNameOf,
  SERVICES_PAGE_SIZE,
} from './client.js';
export type { RailwayClient, RailwayClientOptions } from './client.js';
export {
  isNameTaken,
  isOutcomeUnknown,
  isRailwayFailure,
  RailwayAuthError,
  RailwayGraphQLError,
  RailwayHttpError,
  RailwayNetworkError,
  RailwayOutcomeUnknownError,
  RailwayRateLimitError,
} from './errors.js';
export { authRefusalOf } from './auth.js';
export type { AuthRefusal } from './auth.js';
export type { HttpFailureDetails, RailwayFailure, RailwayFailureReason } from './errors.js';
export { backoffDelay, DEFAULT_RETRY_POLICY, DO_NOT_RETRY, systemClock, withRetries } from './retry.js';
export type { RailwayClock, RetryPolicy } from './retry.js';
export { RateLimitTracker, SLOW_DOWN_BELOW } from './rate-limit.js';
export type { RateLimitSnapshot } from './rate-limit.js';
export { DEPLOYMENT_STATUSES } from './types.js';
export type * from './types.js';
