// Retries as a wrapper around one attempt, in the manner of @octokit/plugin-retry: the caller's
// function knows nothing about retrying, the decision is made from the typed error against a named
// do-not-retry list, and the time base (sleep, randomness, now) is injected so that a test can
// assert the exact sequence of attempts and delays in milliseconds without waiting for any of them.
import { retrying, type BackoffPolicy, type RetryDecision } from '../backoff.js';
export { backoffDelay, type RetryDecision } from '../backoff.js';
import { isRailwayFailure, RailwayRateLimitError } from './errors.js';
import type { RailwayFailure, RailwayFailureReason } from './errors.js';

/** Functions, not methods: they are handed on detached (`clock.random`). */
export interface RailwayClock {
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1), like Math.random; the jitter source. */
  random: () => number;
  /** Milliseconds since the epoch. */
  now: () => number;
  /** A signal that aborts after `ms`: each request's timeout (tests see which timeout a request got). */
  abortAfter: (ms: number) => AbortSignal;
}

export const systemClock: RailwayClock = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
  now: () => Date.now(),
  abortAfter: (ms) => AbortSignal.timeout(ms),
};

export interface RetryPolicy extends BackoffPolicy {
  /**
   * Total sleeping allowed for one request. A `Retry-After` that would exceed it ends the retries
   * at once: waiting out an hourly quota inside a workflow step helps no one.
   */
  maxTotalWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxTotalWaitMs: 120_000,
};

/**
 * Failures that the same request cannot cure: a refused token, a document that does not fit the
 * schema, any other GraphQL error (Railway has looked at the request and said no), and a 4xx
 * that is neither 429 nor an HTML page; and a mutation whose outcome is unknown, which must not be
 * sent twice. Everything else (429, 5xx, HTML pages, malformed answers, dropped connections,
 * timeouts) is retried: for a query always, for a mutation only when it provably did not run (the
 * client turns every other failure of a mutation into `outcome_unknown`, see client.ts).
 */
export const DO_NOT_RETRY: readonly RailwayFailureReason[] = [
  'not_authorized',
  'graphql_validation',
  'graphql',
  'http_client',
  'outcome_unknown',
];

export function decideRetry(error: unknown): RetryDecision {
  // An unknown exception is a bug in this code, which a retry would only repeat.
  if (!isRailwayFailure(error) || DO_NOT_RETRY.includes(error.reason)) return { retry: false };
  if (error instanceof RailwayRateLimitError && error.retryAfterMs !== undefined) {
    return { retry: true, afterMs: error.retryAfterMs };
  }
  return { retry: true };
}

export interface RetryEvent {
  /** The attempt that just failed (1-based). */
  attempt: number;
  error: RailwayFailure;
  delayMs: number;
}

export interface RetryOptions {
  policy: RetryPolicy;
  clock: RailwayClock;
  onRetry?: (event: RetryEvent) => void;
  /** What to throw when retrying stops after a retryable failure; defaults to the error itself. */
  onGiveUp?: (error: unknown, attempts: number) => unknown;
}

export async function withRetries<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, clock } = options;
  const { value } = await retrying(attempt, {
    ...policy,
    sleep: clock.sleep,
    random: clock.random,
    decide: decideRetry,
    // decideRetry retries Railway failures only.
    onRetry: (n, error, delayMs) =>
      options.onRetry?.({ attempt: n, error: error as RailwayFailure, delayMs }),
    ...(options.onGiveUp === undefined ? {} : { onGiveUp: options.onGiveUp }),
  });
  return value;
}
