// Turns what one attempt at a request ended with into the typed errors of errors.ts: a transport
// failure (no answer, a non-2xx or non-GraphQL answer), GraphQL errors that came with an answer, and
// for mutations the rule that an unanswered attempt has an unknown outcome. It exists apart from the
// request loop so that each of Railway's answers maps to one error in one place, and every message
// quoted from Railway is redacted on the way.
import { redactKnownSecrets } from '../secrets.js';
import { authRefusalOf } from './auth.js';
import {
  RailwayAuthError,
  RailwayGraphQLError,
  RailwayHttpError,
  RailwayNetworkError,
  RailwayOutcomeUnknownError,
  RailwayRateLimitError,
} from './errors.js';
import { parseReset, parseRetryAfter } from './rate-limit.js';
import { excerptOf, graphQLMessages, HttpAnswer, NoAnswer } from './transport.js';
import type { ResolvedToken } from './types.js';

/** What a failure is about: the operation, the token it was sent with, the values to redact. */
export interface FailureContext {
  operation: string;
  auth: ResolvedToken;
  secrets: readonly string[];
}

/** Turns whatever one attempt threw into the client's typed errors; anything else passes through. */
export function translateFailure(context: FailureContext, error: unknown, now: number): unknown {
  const { operation, secrets } = context;
  if (error instanceof NoAnswer) {
    return new RailwayNetworkError(
      operation,
      error.timedOut ? 'timeout' : 'network',
      redactKnownSecrets(error.detail, secrets),
      1,
      error.neverSent,
    );
  }
  if (!(error instanceof HttpAnswer)) return error;
  if (error.status === 429) {
    const retryAfterMs =
      parseRetryAfter(error.headers.get('retry-after'), now) ??
      resetDelay(error.headers.get('x-ratelimit-reset'), now);
    const said = graphQLMessages(error.json)[0];
    return new RailwayRateLimitError(
      operation,
      said === undefined ? undefined : redactKnownSecrets(said, secrets),
      retryAfterMs,
    );
  }
  const html = error.contentType !== null && /html/i.test(error.contentType);
  // Some GraphQL servers answer an invalid document with 400 and GraphQL errors: same meaning as on 200.
  if (!html && error.status >= 400 && error.status < 500 && Array.isArray(error.json?.['errors'])) {
    return graphQLFailure(context, error.json['errors'], error.json['data'], error.status);
  }
  const reason = html
    ? 'html_page'
    : error.status >= 500
      ? 'server_error'
      : error.status < 300
        ? 'bad_answer'
        : 'http_client';
  return new RailwayHttpError(operation, {
    status: error.status,
    contentType: error.contentType,
    excerpt: redactKnownSecrets(excerptOf(error), secrets),
    reason,
  });
}

/**
 * GraphQL errors, on a 200 or a 4xx: one of Railway's token refusals is a `RailwayAuthError`
 * (a user error), anything else a `RailwayGraphQLError` with Railway's messages, redacted.
 */
export function graphQLFailure(
  context: FailureContext,
  errors: readonly unknown[],
  data: unknown,
  status: number,
): Error {
  const { operation, auth, secrets } = context;
  const messages = graphQLMessages({ errors: [...errors] }).map((m) => redactKnownSecrets(m, secrets));
  for (const [i, message] of messages.entries()) {
    const refusal = authRefusalOf(message);
    if (refusal !== undefined) {
      return new RailwayAuthError(operation, auth, message, refusal, workspaceNameOf(errors[i]));
    }
  }
  return new RailwayGraphQLError(operation, messages, data, status, errors.some(isValidationError));
}

/**
 * What a failed mutation attempt means. Railway's mutations take no idempotency key, so one that
 * went out and got no usable answer (timeout, 5xx, HTML page, reset connection, an answer that is
 * not GraphQL) may have been carried out, and sending it again could create a second service or
 * domain: such a failure becomes `RailwayOutcomeUnknownError`, which is never retried. Only two
 * failures are retried, because the mutation provably did not run: a 429 (Railway's rate limiter
 * refuses the request before executing it and says when to come back, with `Retry-After`) and a
 * connection that was never made (refused, DNS failure).
 */
export function mutationFailure(operation: string, failure: unknown): unknown {
  if (failure instanceof RailwayNetworkError && !failure.neverSent) {
    return new RailwayOutcomeUnknownError(operation, failure);
  }
  if (failure instanceof RailwayHttpError && failure.reason !== 'http_client') {
    return new RailwayOutcomeUnknownError(operation, failure);
  }
  return failure;
}

/** `extensions.workspaceName`, which Railway sends with `Two Factor Authentication Required`. */
function workspaceNameOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as { extensions?: { workspaceName?: unknown } }).extensions?.workspaceName;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function resetDelay(value: string | null, now: number): number | undefined {
  const resetAt = parseReset(value, now);
  return resetAt === undefined ? undefined : Math.max(0, resetAt - now);
}

/**
 * A validation or variable-coercion error happens before execution: graphql-js gives it
 * `locations` but no `path`; Apollo-style servers also tag it with a code.
 */
function isValidationError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { path?: unknown; locations?: unknown; extensions?: { code?: unknown } };
  const code = e.extensions?.code;
  if (code === 'GRAPHQL_VALIDATION_FAILED' || code === 'GRAPHQL_PARSE_FAILED') return true;
  return e.path === undefined && Array.isArray(e.locations) && e.locations.length > 0;
}
