/**
 * POST /graphql: GitHub's GraphQL endpoint for the documents the product sends. Every document is
 * parsed and validated against GitHub's public schema before it runs; answers, errors and the
 * separate `graphql` points budget follow GitHub (README: behaviour → source).
 */
import type { GraphQLError } from 'graphql';
import { execute, OperationTypeNode, parse, validate, type DocumentNode } from 'graphql';
import { errorBody, type Reply } from '../errors.js';
import type { ContentCreationLimiter, RateLimiter } from '../faults.js';
import { contentCreationLimitBody } from '../faults.js';
import type { State, TokenInfo } from '../repo-state.js';
import { operationOf, pointsOf } from './cost.js';
import { executionErrorJson, validationErrorJson, variableErrorJson } from './errors.js';
import { rootValue } from './resolvers.js';
import { githubSchema } from './schema.js';

export interface GraphQLRequest {
  state: State;
  /** The request's token, already known to be valid; undefined without one. */
  token: TokenInfo | undefined;
  /** Whose points this request spends (an installation token's repository, else the token). */
  rateKey: string;
  /** The installation's or user's id, for the limit's message. */
  who: string;
  body: string;
  limiter: RateLimiter;
  contentLimiter: ContentCreationLimiter;
  requestId: string;
}

const ok = (body: unknown): Reply => ({ status: 200, body });

/** `query` or `mutation` of a request body, before anything else looks at it (faults match on it). */
export function operationKind(body: string): 'query' | 'mutation' | undefined {
  try {
    const payload = JSON.parse(body) as { query?: unknown; operationName?: unknown };
    if (typeof payload.query !== 'string') return undefined;
    const name = typeof payload.operationName === 'string' ? payload.operationName : undefined;
    const kind = operationOf(parse(payload.query), name)?.operation;
    return kind === OperationTypeNode.SUBSCRIPTION ? undefined : kind;
  } catch {
    return undefined;
  }
}

export interface GraphQLAnswer {
  reply: Reply;
  /** The operation that ran (or was refused after parsing), for the request log. */
  operation: 'query' | 'mutation' | undefined;
}

export async function answerGraphQL(request: GraphQLRequest): Promise<GraphQLAnswer> {
  let operation: GraphQLAnswer['operation'];
  const reply = await answer(request, (kind) => {
    operation = kind;
  });
  return { reply, operation };
}

async function answer(request: GraphQLRequest, seen: (kind: 'query' | 'mutation') => void): Promise<Reply> {
  const { token, limiter, rateKey } = request;
  if (token === undefined) {
    return {
      status: 401,
      body: {
        message: 'This endpoint requires you to be authenticated.',
        documentation_url:
          'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
      },
    };
  }
  let payload: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    payload = JSON.parse(request.body) as typeof payload;
  } catch {
    return { status: 400, body: errorBody(400, 'Problems parsing JSON') };
  }
  if (typeof payload.query !== 'string')
    return ok({ errors: [{ message: 'A query attribute must be specified and must be a string.' }] });
  const variables =
    payload.variables !== null && typeof payload.variables === 'object'
      ? (payload.variables as Record<string, unknown>)
      : {};
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch (error) {
    const e = error as GraphQLError;
    return ok({ errors: [{ message: e.message, ...(e.locations ? { locations: e.locations } : {}) }] });
  }
  const schema = await githubSchema();
  const invalid = validate(schema, document);
  if (invalid.length > 0) return ok({ errors: invalid.map(validationErrorJson) });
  const operationName = typeof payload.operationName === 'string' ? payload.operationName : undefined;
  const operation = operationOf(document, operationName);
  if (operation === undefined) return ok({ errors: [{ message: 'An operation name is required' }] });
  if (operation.operation === OperationTypeNode.SUBSCRIPTION)
    return ok({ errors: [{ message: 'Subscriptions are not supported' }] });
  seen(operation.operation);

  // GitHub scores the request before running it; the primary limit answers 200 with RATE_LIMITED.
  const points = pointsOf(document, operation, variables);
  if (!limiter.consume(rateKey, points)) {
    return {
      status: 200,
      body: { errors: [{ type: 'RATE_LIMITED', message: `API rate limit exceeded for ${request.who}.` }] },
    };
  }
  // A mutation creates content: it counts against the same 80-a-minute budget as REST writes.
  if (operation.operation === OperationTypeNode.MUTATION && token.repositories !== undefined) {
    const wait = request.contentLimiter.consume(rateKey);
    if (wait !== undefined) {
      const status = request.contentLimiter.answerStatus;
      return {
        status,
        body: contentCreationLimitBody(status, request.requestId),
        headers: { 'retry-after': String(wait) },
      };
    }
  }
  const result = await execute({
    schema,
    document,
    variableValues: variables,
    operationName,
    rootValue: rootValue({ state: request.state, login: token.login, token }),
  });
  if (result.errors !== undefined && result.data === undefined) {
    // Variables that do not fit their types fail before execution.
    return ok({ errors: result.errors.map(variableErrorJson) });
  }
  return ok({
    data: result.data ?? null,
    ...(result.errors === undefined ? {} : { errors: result.errors.map(executionErrorJson) }),
  });
}
