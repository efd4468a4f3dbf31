// Typed failures of the Railway client. Like octokit's GraphqlResponseError, a GraphQL error is an
// error even when it arrives with HTTP 200, and it carries the operation, Railway's messages and
// whatever partial data came with them. Every failure has a `reason`, which is what the retry
// wrapper's do-not-retry list is written in.
import { UserError } from '../errors.js';
import type { AuthRefusal } from './auth.js';
import {
  authErrorMessage,
  graphQLErrorMessage,
  httpErrorMessage,
  networkErrorMessage,
  outcomeUnknownMessage,
  rateLimitMessage,
} from './messages.js';
import type { ResolvedToken } from './types.js';

export type RailwayFailureReason =
  /** `Not Authorized`: wrong, expired or misplaced token. */
  | 'not_authorized'
  /** The document or its variables do not fit the schema: our bug, the same on every attempt. */
  | 'graphql_validation'
  /** Any other GraphQL error (not found, name taken, …): Railway has decided. */
  | 'graphql'
  /** A 4xx other than 429 without a GraphQL answer. */
  | 'http_client'
  | 'rate_limited'
  | 'server_error'
  /** An HTML page (Cloudflare) where JSON was expected. */
  | 'html_page'
  /** A 2xx answer that is not a GraphQL JSON object. */
  | 'bad_answer'
  | 'network'
  | 'timeout'
  /**
   * A mutation sent without a usable answer (timeout, 5xx, HTML page, dropped connection): Railway
   * may or may not have carried it out. Never retried, since mutations are not idempotent.
   */
  | 'outcome_unknown';

export interface RailwayFailure extends Error {
  readonly operation: string;
  readonly reason: RailwayFailureReason;
}

export function isRailwayFailure(error: unknown): error is RailwayFailure {
  return (
    error instanceof RailwayGraphQLError ||
    error instanceof RailwayAuthError ||
    error instanceof RailwayHttpError ||
    error instanceof RailwayNetworkError ||
    error instanceof RailwayRateLimitError ||
    error instanceof RailwayOutcomeUnknownError
  );
}

export class RailwayGraphQLError extends Error implements RailwayFailure {
  override readonly name = 'RailwayGraphQLError';
  readonly reason: 'graphql' | 'graphql_validation';
  constructor(
    readonly operation: string,
    /** Railway's messages, token and variable values redacted. */
    readonly messages: readonly string[],
    /** Partial data that came with the errors, if any. */
    readonly data: unknown,
    readonly status: number,
    validation: boolean,
  ) {
    super(graphQLErrorMessage(operation, messages, validation));
    this.reason = validation ? 'graphql_validation' : 'graphql';
  }
}

/**
 * A user error: the person running the action fixes it by changing the token or its kind, or by
 * enabling two-factor authentication. Never a sign that a resource is gone.
 */
export class RailwayAuthError extends UserError implements RailwayFailure {
  override readonly name = 'RailwayAuthError';
  readonly reason = 'not_authorized';
  constructor(
    readonly operation: string,
    readonly token: ResolvedToken,
    readonly railwayMessage: string,
    /** Which of Railway's refusals it was. */
    readonly refusal: AuthRefusal = 'not_authorized',
    /** For `two_factor_required`: the workspace Railway named (`extensions.workspaceName`). */
    readonly workspaceName?: string,
  ) {
    super(authErrorMessage(operation, token, railwayMessage, refusal, workspaceName));
  }
}

export interface HttpFailureDetails {
  status: number;
  contentType: string | null;
  /** A short, tag-free excerpt of the body. */
  excerpt: string;
  reason: 'http_client' | 'server_error' | 'html_page' | 'bad_answer';
}

export class RailwayHttpError extends Error implements RailwayFailure {
  override readonly name = 'RailwayHttpError';
  readonly status: number;
  readonly contentType: string | null;
  readonly excerpt: string;
  readonly reason: HttpFailureDetails['reason'];
  constructor(
    readonly operation: string,
    readonly details: HttpFailureDetails,
    readonly attempts = 1,
  ) {
    super(httpErrorMessage(operation, details.status, details.contentType, details.excerpt, attempts));
    this.status = details.status;
    this.contentType = details.contentType;
    this.excerpt = details.excerpt;
    this.reason = details.reason;
  }

  afterAttempts(attempts: number): RailwayHttpError {
    return new RailwayHttpError(this.operation, this.details, attempts);
  }
}

export class RailwayNetworkError extends Error implements RailwayFailure {
  override readonly name = 'RailwayNetworkError';
  constructor(
    readonly operation: string,
    readonly reason: 'network' | 'timeout',
    /** Node's description of what went wrong (ECONNRESET, timeout, …). */
    readonly detail: string,
    readonly attempts = 1,
    /** The connection was never made (refused, DNS failure): the request provably did not leave. */
    readonly neverSent = false,
  ) {
    super(networkErrorMessage(operation, detail, attempts));
  }

  afterAttempts(attempts: number): RailwayNetworkError {
    return new RailwayNetworkError(this.operation, this.reason, this.detail, attempts, this.neverSent);
  }
}

/**
 * A mutation that went out and got no usable answer: a timeout, a 5xx, an HTML error page, a
 * dropped connection. Railway may have carried it out, and its mutations take no idempotency key,
 * so the client does not send it again; the caller re-reads (find the service by name, list the
 * project's services, …) and decides. `failure` is what the one attempt ended with.
 */
export class RailwayOutcomeUnknownError extends Error implements RailwayFailure {
  override readonly name = 'RailwayOutcomeUnknownError';
  readonly reason = 'outcome_unknown';
  /** For callers that test a property rather than a class. */
  readonly outcomeUnknown = true;
  constructor(
    readonly operation: string,
    readonly failure: RailwayHttpError | RailwayNetworkError,
  ) {
    super(outcomeUnknownMessage(operation, failure.message), { cause: failure });
  }
}

export function isOutcomeUnknown(error: unknown): error is RailwayOutcomeUnknownError {
  return error instanceof RailwayOutcomeUnknownError;
}

export class RailwayRateLimitError extends Error implements RailwayFailure {
  override readonly name = 'RailwayRateLimitError';
  readonly reason = 'rate_limited';
  constructor(
    readonly operation: string,
    readonly railwayMessage: string | undefined,
    /** From `Retry-After` (or `X-RateLimit-Reset`); undefined when Railway said nothing. */
    readonly retryAfterMs: number | undefined,
    readonly attempts = 1,
  ) {
    super(rateLimitMessage(operation, railwayMessage, retryAfterMs, attempts));
  }

  afterAttempts(attempts: number): RailwayRateLimitError {
    return new RailwayRateLimitError(this.operation, this.railwayMessage, this.retryAfterMs, attempts);
  }
}

/**
 * Railway refused a name because a service already has it. Its CLI and dashboard recognise the
 * refusal by either wording, `unique` or `already exists`, in the message (docs/railway.md,
 * "Service names"), and so does this; the exact server wording is not published.
 */
export function isNameTaken(error: unknown): boolean {
  return (
    error instanceof RailwayGraphQLError &&
    error.reason === 'graphql' &&
    error.messages.some((message) => {
      const said = message.toLowerCase();
      return said.includes('unique') || said.includes('already exists');
    })
  );
}
