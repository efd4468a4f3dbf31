// Sends one document to Railway and answers its data or a typed error: the endpoint, auth header
// and user agent fixed once; queries and mutations each with their own timeout; every answer's
// rate-limit headers observed; retries wrapped around each attempt, with mutations never resent
// once they may have run (failures.ts). The client's operations (client.ts) are written on top of
// `request` and never see HTTP.
import { getOperationAST, OperationTypeNode, parse } from 'graphql';
import { GraphQLClient } from 'graphql-request';
import type { Logger } from '../logger.js';
import { authHeaders } from './auth.js';
import type { RailwayDocument } from './documents.js';
import {
  RailwayGraphQLError,
  RailwayHttpError,
  RailwayNetworkError,
  RailwayRateLimitError,
} from './errors.js';
import { graphQLFailure, mutationFailure, translateFailure } from './failures.js';
import { DEFAULT_RAILWAY_API_URL } from '../railway-facts.js';
import { noDataMessage } from './messages.js';
import { RateLimitTracker } from './rate-limit.js';
import type { RateLimitSnapshot } from './rate-limit.js';
import { secretsOf } from './request-secrets.js';
import { DEFAULT_RETRY_POLICY, systemClock, withRetries } from './retry.js';
import type { RailwayClock, RetryPolicy } from './retry.js';
import { createTransport } from './transport.js';
import type { ResolvedToken } from './types.js';

/** Queries answer quickly; a slow one is worth abandoning and asking again. */
export const DEFAULT_QUERY_TIMEOUT_MS = 30_000;
/**
 * Railway's CLI raised its request timeout from 30 s to 90 s because long mutations exceeded 30 s
 * (docs/railway.md, "Mutations are sent once"). A mutation abandoned early is the worst case here:
 * it cannot be resent, so its outcome stays unknown.
 */
export const DEFAULT_MUTATION_TIMEOUT_MS = 90_000;

/** How to reach Railway; everything but the token and logger has a default. */
export interface RailwayConnectionOptions {
  token: string;
  /** Default Railway's public endpoint. */
  apiUrl?: string;
  /** Default the global fetch; tests and proxies inject their own. */
  fetch?: typeof fetch;
  logger: Logger;
  /** Any part left out is the system's (setTimeout, Math.random, Date.now). */
  clock?: Partial<RailwayClock>;
  retries?: Partial<RetryPolicy>;
  /** Per query, reading the body included. Default `DEFAULT_QUERY_TIMEOUT_MS`. */
  timeoutMs?: number;
  /** Per mutation. Default `DEFAULT_MUTATION_TIMEOUT_MS`. */
  mutationTimeoutMs?: number;
  userAgent?: string;
}

/** Sends `document` with `variables`, the token in the header `auth` names; answers the data. */
export type RailwayRequest = <TAnswer, TVariables>(
  document: RailwayDocument<TAnswer, TVariables>,
  variables: TVariables,
  auth: ResolvedToken,
) => Promise<TAnswer>;

export interface RailwayRequester {
  request: RailwayRequest;
  /** What the last answers said about the hourly budget; undefined before the first answer. */
  rateLimit: () => RateLimitSnapshot | undefined;
  /** How long a poller should wait before its next request, given `baseMs` and the budget left. */
  pollDelay: (baseMs: number) => number;
}

interface OperationInfo {
  name: string;
  mutation: boolean;
}

const operations = new Map<string, OperationInfo>();

function operationOf(document: string): OperationInfo {
  let info = operations.get(document);
  if (info === undefined) {
    const ast = getOperationAST(parse(document));
    info = {
      name: ast?.name?.value ?? 'anonymous operation',
      mutation: ast?.operation === OperationTypeNode.MUTATION,
    };
    operations.set(document, info);
  }
  return info;
}

/** The operation's name, for messages; every document in documents.ts has one. */
export function operationNameOf(document: string): string {
  return operationOf(document).name;
}

export function createRequester(options: RailwayConnectionOptions): RailwayRequester {
  const { token, logger } = options;
  const clock: RailwayClock = { ...systemClock, ...options.clock };
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retries };
  const limits = new RateLimitTracker();
  const graphQLClient = (timeoutMs: number) =>
    new GraphQLClient(options.apiUrl ?? DEFAULT_RAILWAY_API_URL, {
      fetch: createTransport({
        fetch: options.fetch ?? globalThis.fetch,
        timeoutMs,
        abortAfter: clock.abortAfter,
        onHeaders: (headers) => limits.observe(headers, clock.now()),
      }),
      headers: { 'User-Agent': options.userAgent ?? 'trinity-issue-sandbox' },
      // Errors come back with the data, and failures.ts turns them into typed errors.
      errorPolicy: 'all',
    });
  const queries = graphQLClient(options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS);
  const mutations = graphQLClient(options.mutationTimeoutMs ?? DEFAULT_MUTATION_TIMEOUT_MS);

  const request: RailwayRequest = async <TAnswer, TVariables>(
    document: RailwayDocument<TAnswer, TVariables>,
    variables: TVariables,
    auth: ResolvedToken,
  ): Promise<TAnswer> => {
    const { name: operation, mutation } = operationOf(document);
    const context = { operation, auth, secrets: secretsOf(token, variables) };
    const gql = mutation ? mutations : queries;
    return withRetries(
      async () => {
        logger.debug(`Railway: ${operation}`);
        let answer: Awaited<ReturnType<typeof gql.rawRequest<TAnswer>>>;
        try {
          answer = await gql.rawRequest<TAnswer>(
            document,
            variables as Record<string, unknown>,
            authHeaders(auth.scheme, token),
          );
        } catch (error) {
          const failure = translateFailure(context, error, clock.now());
          throw mutation ? mutationFailure(operation, failure) : failure;
        }
        if (answer.errors && answer.errors.length > 0) {
          throw graphQLFailure(context, answer.errors, answer.data, answer.status);
        }
        if (answer.data === null || answer.data === undefined) {
          throw new RailwayGraphQLError(
            operation,
            [noDataMessage(operation)],
            undefined,
            answer.status,
            false,
          );
        }
        return answer.data;
      },
      {
        policy,
        clock,
        onRetry: ({ attempt, error, delayMs }) =>
          logger.warning(
            `${error.message} Retrying in ${delayMs} ms (attempt ${attempt + 1} of ${policy.maxAttempts}).`,
          ),
        onGiveUp: (error, attempts) =>
          error instanceof RailwayHttpError ||
          error instanceof RailwayNetworkError ||
          error instanceof RailwayRateLimitError
            ? error.afterAttempts(attempts)
            : error,
      },
    );
  };

  return {
    request,
    rateLimit: () => limits.snapshot(),
    pollDelay: (baseMs) => limits.pollDelay(baseMs, clock.now()),
  };
}
