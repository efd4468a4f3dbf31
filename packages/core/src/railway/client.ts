// A small typed Railway client (octokit/graphql.js' shape): a factory that fixes endpoint, auth
// header and user agent; one typed function per operation the product needs; a typed error for
// every failure, GraphQL errors on HTTP 200 included; retries as a wrapper around each request.
import { getOperationAST, parse } from 'graphql';
import { GraphQLClient } from 'graphql-request';
import type { Logger } from '../logger.js';
import { DEFAULT_RAILWAY_API_URL } from '../settings/common.js';
import type { RailwayTokenKind } from '../settings/common.js';
import { authHeaders, isNotAuthorized, schemeFor } from './auth.js';
import * as documents from './documents.js';
import {
  RailwayAuthError,
  RailwayGraphQLError,
  RailwayHttpError,
  RailwayNetworkError,
  RailwayRateLimitError,
} from './errors.js';
import { noDataMessage } from './messages.js';
import { parseReset, parseRetryAfter, RateLimitTracker } from './rate-limit.js';
import type { RateLimitSnapshot } from './rate-limit.js';
import { redact, secretsOf } from './redact.js';
import { DEFAULT_RETRY_POLICY, systemClock, withRetries } from './retry.js';
import type { RailwayClock, RetryPolicy } from './retry.js';
import { createTransport, excerptOf, graphQLMessages, HttpAnswer, NoAnswer } from './transport.js';
import type {
  CreatedService,
  CreateServiceInput,
  DeleteServiceResult,
  Deployment,
  DeploymentFilter,
  LogLine,
  Me,
  Project,
  ProjectTokenInfo,
  ResolvedToken,
  ServiceDomain,
  ServiceInstance,
  ServiceSummary,
  UpsertVariablesInput,
} from './types.js';

export interface RailwayClientOptions {
  token: string;
  /** Default `auto`: try the token as a project token, else use it as an account or workspace token. */
  tokenKind?: RailwayTokenKind;
  /** Default Railway's public endpoint. */
  apiUrl?: string;
  /** Default the global fetch; tests and proxies inject their own. */
  fetch?: typeof fetch;
  logger: Logger;
  /** Any part left out is the system's (setTimeout, Math.random, Date.now). */
  clock?: Partial<RailwayClock>;
  retries?: Partial<RetryPolicy>;
  /** Per request, reading the body included. Default 30 s. */
  timeoutMs?: number;
  userAgent?: string;
}

export interface RailwayClient {
  /** The token's kind and header, detected (once per client) when the kind is `auto`. */
  resolveToken(): Promise<ResolvedToken>;
  whoAmI(): Promise<Me>;
  projectTokenInfo(): Promise<ProjectTokenInfo>;
  getProject(projectId: string): Promise<Project>;
  findServiceByName(projectId: string, name: string): Promise<ServiceSummary | undefined>;
  createService(input: CreateServiceInput): Promise<CreatedService>;
  /** Find-or-create by name (names are unique per project), safe against a concurrent creator. */
  ensureService(input: CreateServiceInput): Promise<{ service: ServiceSummary; created: boolean }>;
  getServiceInstance(serviceId: string, environmentId: string): Promise<ServiceInstance>;
  /** Starts a deployment and answers its id. */
  deployService(serviceId: string, environmentId: string, commitSha?: string): Promise<string>;
  getDeployment(deploymentId: string): Promise<Deployment>;
  /** Newest first. */
  listDeployments(filter: DeploymentFilter, first?: number): Promise<Deployment[]>;
  /** The newest `limit` lines. */
  buildLogs(deploymentId: string, limit?: number): Promise<LogLine[]>;
  deploymentLogs(deploymentId: string, limit?: number): Promise<LogLine[]>;
  createServiceDomain(serviceId: string, environmentId: string, targetPort?: number): Promise<ServiceDomain>;
  upsertVariables(input: UpsertVariablesInput): Promise<void>;
  /** Rendered variables of a service, Railway's own `RAILWAY_*` ones included. Values are secrets. */
  getVariables(input: {
    projectId: string;
    environmentId: string;
    serviceId: string;
  }): Promise<Record<string, string>>;
  /** A service that is already gone is not an error: `{ deleted: false, alreadyGone: true }`. */
  deleteService(serviceId: string, environmentId?: string): Promise<DeleteServiceResult>;
  /** What the last answers said about the hourly budget; undefined before the first answer. */
  rateLimit(): RateLimitSnapshot | undefined;
  /** How long a poller should wait before its next request, given `baseMs` and the budget left. */
  pollDelay(baseMs: number): number;
}

type Variables = Record<string, unknown>;

const operationNames = new Map<string, string>();

/** The operation's name, for messages; every document in documents.ts has one. */
export function operationNameOf(document: string): string {
  let name = operationNames.get(document);
  if (name === undefined) {
    name = getOperationAST(parse(document))?.name?.value ?? 'anonymous operation';
    operationNames.set(document, name);
  }
  return name;
}

export function createRailwayClient(options: RailwayClientOptions): RailwayClient {
  const { token, logger } = options;
  const kind = options.tokenKind ?? 'auto';
  const clock: RailwayClock = { ...systemClock, ...options.clock };
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retries };
  const limits = new RateLimitTracker();
  const gql = new GraphQLClient(options.apiUrl ?? DEFAULT_RAILWAY_API_URL, {
    fetch: createTransport({
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs ?? 30_000,
      onHeaders: (headers) => limits.observe(headers, clock.now()),
    }),
    headers: { 'User-Agent': options.userAgent ?? 'trinity-issue-sandbox' },
    // Errors come back with the data, and this client turns them into its own typed errors.
    errorPolicy: 'all',
  });

  /** Turns whatever one attempt threw into this client's typed errors. */
  function translate(operation: string, error: unknown, auth: ResolvedToken, secrets: string[]): unknown {
    if (error instanceof NoAnswer) {
      return new RailwayNetworkError(
        operation,
        error.timedOut ? 'timeout' : 'network',
        redact(error.detail, secrets),
      );
    }
    if (!(error instanceof HttpAnswer)) return error;
    const excerpt = redact(excerptOf(error), secrets);
    if (error.status === 429) {
      const retryAfterMs =
        parseRetryAfter(error.headers.get('retry-after'), clock.now()) ??
        resetDelay(error.headers.get('x-ratelimit-reset'), clock.now());
      const said = graphQLMessages(error.json)[0];
      return new RailwayRateLimitError(
        operation,
        said === undefined ? undefined : redact(said, secrets),
        retryAfterMs,
      );
    }
    const html = error.contentType !== null && /html/i.test(error.contentType);
    // Some GraphQL servers answer an invalid document with 400 and GraphQL errors: same meaning as on 200.
    if (!html && error.status >= 400 && error.status < 500 && Array.isArray(error.json?.['errors'])) {
      return graphQLFailure(operation, error.json['errors'], error.json['data'], error.status, auth, secrets);
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
      excerpt,
      reason,
    });
  }

  function graphQLFailure(
    operation: string,
    errors: readonly unknown[],
    data: unknown,
    status: number,
    auth: ResolvedToken,
    secrets: string[],
  ): Error {
    const messages = graphQLMessages({ errors: [...errors] }).map((m) => redact(m, secrets));
    const refused = messages.find(isNotAuthorized);
    if (refused !== undefined) return new RailwayAuthError(operation, auth, refused);
    return new RailwayGraphQLError(operation, messages, data, status, errors.some(isValidationError));
  }

  async function send<T>(document: string, variables: Variables, as?: ResolvedToken): Promise<T> {
    const operation = operationNameOf(document);
    const auth = as ?? (await resolveToken());
    const secrets = secretsOf(token, variables);
    return withRetries(
      async () => {
        logger.debug(`Railway: ${operation}`);
        let answer: Awaited<ReturnType<typeof gql.rawRequest<T>>>;
        try {
          answer = await gql.rawRequest<T>(document, variables, authHeaders(auth.scheme, token));
        } catch (error) {
          throw translate(operation, error, auth, secrets);
        }
        if (answer.errors && answer.errors.length > 0) {
          throw graphQLFailure(operation, answer.errors, answer.data, answer.status, auth, secrets);
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
  }

  let detected: Promise<ResolvedToken> | undefined;

  function resolveToken(): Promise<ResolvedToken> {
    if (kind !== 'auto') return Promise.resolve({ configured: kind, scheme: schemeFor(kind) });
    // Cached per client; a detection that failed for an outage is not cached, so the next call retries it.
    detected ??= detect().catch((error: unknown) => {
      detected = undefined;
      throw error;
    });
    return detected;
  }

  /**
   * Only a project token can answer `projectToken`, and the answer says which project and
   * environment it belongs to. Any GraphQL refusal means it is not one, so it must be an account
   * or workspace token; Railway itself will say so if it is neither.
   */
  async function detect(): Promise<ResolvedToken> {
    const asProject: ResolvedToken = { configured: 'auto', scheme: 'project' };
    try {
      const data = await send<{ projectToken: ProjectTokenInfo }>(documents.PROJECT_TOKEN, {}, asProject);
      const { projectId, environmentId } = data.projectToken;
      logger.debug(`Railway token: a project token (project ${projectId}, environment ${environmentId}).`);
      return { ...asProject, projectId, environmentId };
    } catch (error) {
      if (!(error instanceof RailwayAuthError || error instanceof RailwayGraphQLError)) throw error;
      logger.debug('Railway token: not a project token; using it as an account or workspace token.');
      return { configured: 'auto', scheme: 'bearer' };
    }
  }

  const findServiceByName: RailwayClient['findServiceByName'] = async (projectId, name) => {
    const data = await send<{ project: { services: Connection<ServiceSummary> } }>(
      documents.PROJECT_SERVICES,
      {
        id: projectId,
      },
    );
    return nodes(data.project.services).find((s) => s.name === name);
  };

  const createService: RailwayClient['createService'] = async (input) => {
    const data = await send<{ serviceCreate: CreatedService }>(documents.SERVICE_CREATE, {
      input: {
        projectId: input.projectId,
        name: input.name,
        variables: input.variables,
        ...(input.environmentId !== undefined ? { environmentId: input.environmentId } : {}),
        ...(input.source !== undefined ? { source: input.source } : {}),
        ...(input.branch !== undefined ? { branch: input.branch } : {}),
      },
    });
    return data.serviceCreate;
  };

  return {
    resolveToken,

    whoAmI: async () => (await send<{ me: Me }>(documents.ME, {})).me,

    projectTokenInfo: async () => {
      const auth = await resolveToken();
      if (auth.projectId !== undefined && auth.environmentId !== undefined) {
        return { projectId: auth.projectId, environmentId: auth.environmentId };
      }
      return (await send<{ projectToken: ProjectTokenInfo }>(documents.PROJECT_TOKEN, {})).projectToken;
    },

    getProject: async (projectId) => {
      const data = await send<{
        project: {
          id: string;
          name: string;
          services: Connection<ServiceSummary>;
          environments: Connection<{ id: string; name: string }>;
        };
      }>(documents.PROJECT, { id: projectId });
      const p = data.project;
      return { id: p.id, name: p.name, services: nodes(p.services), environments: nodes(p.environments) };
    },

    findServiceByName,
    createService,

    ensureService: async (input) => {
      const existing = await findServiceByName(input.projectId, input.name);
      if (existing) return { service: existing, created: false };
      try {
        const { id, name, createdAt } = await createService(input);
        return { service: { id, name, createdAt }, created: true };
      } catch (error) {
        // Another run created it between our read and our write: theirs is the one.
        if (error instanceof RailwayGraphQLError && error.messages.some((m) => /already exists/i.test(m))) {
          const raced = await findServiceByName(input.projectId, input.name);
          if (raced) return { service: raced, created: false };
        }
        throw error;
      }
    },

    getServiceInstance: async (serviceId, environmentId) => {
      const data = await send<{
        serviceInstance: Omit<ServiceInstance, 'domains'> & { domains: { serviceDomains: ServiceDomain[] } };
      }>(documents.SERVICE_INSTANCE, { serviceId, environmentId });
      const i = data.serviceInstance;
      return { ...i, domains: i.domains.serviceDomains };
    },

    deployService: async (serviceId, environmentId, commitSha) =>
      (
        await send<{ serviceInstanceDeployV2: string }>(documents.SERVICE_INSTANCE_DEPLOY, {
          serviceId,
          environmentId,
          ...(commitSha !== undefined ? { commitSha } : {}),
        })
      ).serviceInstanceDeployV2,

    getDeployment: async (deploymentId) =>
      (await send<{ deployment: Deployment }>(documents.DEPLOYMENT, { id: deploymentId })).deployment,

    listDeployments: async (filter, first = 10) => {
      const data = await send<{ deployments: Connection<Deployment> }>(documents.DEPLOYMENTS, {
        input: filter,
        first,
      });
      return nodes(data.deployments);
    },

    buildLogs: async (deploymentId, limit = 100) =>
      (await send<{ buildLogs: LogLine[] }>(documents.BUILD_LOGS, { deploymentId, limit })).buildLogs,

    deploymentLogs: async (deploymentId, limit = 100) =>
      (await send<{ deploymentLogs: LogLine[] }>(documents.DEPLOYMENT_LOGS, { deploymentId, limit }))
        .deploymentLogs,

    createServiceDomain: async (serviceId, environmentId, targetPort) =>
      (
        await send<{ serviceDomainCreate: ServiceDomain }>(documents.SERVICE_DOMAIN_CREATE, {
          input: { serviceId, environmentId, ...(targetPort !== undefined ? { targetPort } : {}) },
        })
      ).serviceDomainCreate,

    upsertVariables: async (input) => {
      await send<{ variableCollectionUpsert: boolean }>(documents.VARIABLE_COLLECTION_UPSERT, {
        input: {
          projectId: input.projectId,
          environmentId: input.environmentId,
          serviceId: input.serviceId,
          variables: input.variables,
          skipDeploys: input.skipDeploys ?? false,
        },
      });
    },

    getVariables: async ({ projectId, environmentId, serviceId }) =>
      (
        await send<{ variables: Record<string, string> }>(documents.VARIABLES, {
          projectId,
          environmentId,
          serviceId,
        })
      ).variables,

    deleteService: async (serviceId, environmentId) => {
      try {
        const data = await send<{ serviceDelete: boolean }>(documents.SERVICE_DELETE, {
          id: serviceId,
          ...(environmentId !== undefined ? { environmentId } : {}),
        });
        if (data.serviceDelete !== true) {
          throw new RailwayGraphQLError('ServiceDelete', ['serviceDelete answered false'], data, 200, false);
        }
        return { deleted: true, alreadyGone: false };
      } catch (error) {
        // Destroying a sandbox twice (a re-run, a second close event) must be a no-op, not a failure.
        if (
          error instanceof RailwayGraphQLError &&
          error.reason === 'graphql' &&
          error.messages.some(isNotFound)
        ) {
          logger.debug(`Railway service ${serviceId} was already gone.`);
          return { deleted: false, alreadyGone: true };
        }
        throw error;
      }
    },

    rateLimit: () => limits.snapshot(),
    pollDelay: (baseMs) => limits.pollDelay(baseMs, clock.now()),
  };
}

interface Connection<T> {
  edges: { node: T }[];
}

const nodes = <T>(c: Connection<T>): T[] => c.edges.map((e) => e.node);

const isNotFound = (message: string): boolean => /not found/i.test(message);

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
