// A small typed Railway client (octokit/graphql.js' shape): a factory that fixes endpoint, auth
// header and user agent; one typed function per operation the product needs; a typed error for
// every failure, GraphQL errors on HTTP 200 included; retries as a wrapper around each request.
import { getOperationAST, parse } from 'graphql';
import { GraphQLClient } from 'graphql-request';
import type { Logger } from '../logger.js';
import { DEFAULT_RAILWAY_API_URL } from '../settings/common.js';
import type { RailwayTokenKind } from '../settings/common.js';
import { authHeaders, authRefusalOf, schemeFor } from './auth.js';
import * as documents from './documents.js';
import {
  isRailwayFailure,
  RailwayAuthError,
  RailwayGraphQLError,
  RailwayHttpError,
  RailwayNetworkError,
  RailwayOutcomeUnknownError,
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
  /** Per query, reading the body included. Default `DEFAULT_QUERY_TIMEOUT_MS`. */
  timeoutMs?: number;
  /** Per mutation. Default `DEFAULT_MUTATION_TIMEOUT_MS`. */
  mutationTimeoutMs?: number;
  userAgent?: string;
}

/** Queries answer quickly; a slow one is worth abandoning and asking again. */
export const DEFAULT_QUERY_TIMEOUT_MS = 30_000;
/**
 * Railway's CLI raised its request timeout from 30 s to 90 s because long mutations exceeded 30 s
 * (docs/railway.md, "Mutations are sent once"). A mutation abandoned early is the worst case here:
 * it cannot be resent, so its outcome stays unknown.
 */
export const DEFAULT_MUTATION_TIMEOUT_MS = 90_000;
/** `buildLogs`/`deploymentLogs` `limit`: "defaults 100, max 5000" (vendor/railway/schema.json; docs/railway.md). */
export const MAX_LOG_LINES = 5_000;
/** Services asked for per page when listing a project's services. */
export const SERVICES_PAGE_SIZE = 100;
/** A project with more pages than this is refused rather than listed forever. */
const MAX_SERVICE_PAGES = 100;

export interface RailwayClient {
  /** The token's kind and header, detected (once per client) when the kind is `auto`. */
  resolveToken(): Promise<ResolvedToken>;
  whoAmI(): Promise<Me>;
  projectTokenInfo(): Promise<ProjectTokenInfo>;
  getProject(projectId: string): Promise<Project>;
  /** Every service of the project, page after page. */
  listServices(projectId: string): Promise<ServiceSummary[]>;
  findServiceByName(projectId: string, name: string): Promise<ServiceSummary | undefined>;
  /** Sent once: a failure whose outcome is unknown is a `RailwayOutcomeUnknownError`. */
  createService(input: CreateServiceInput): Promise<CreatedService>;
  /**
   * Find-or-create by name (names are unique per project). After any failed create it looks
   * again: a create that timed out may have happened, and a concurrent creator may have won.
   */
  ensureService(input: CreateServiceInput): Promise<{ service: ServiceSummary; created: boolean }>;
  getServiceInstance(serviceId: string, environmentId: string): Promise<ServiceInstance>;
  /** Starts a deployment and answers its id. */
  deployService(serviceId: string, environmentId: string, commitSha?: string): Promise<string>;
  getDeployment(deploymentId: string): Promise<Deployment>;
  /** Newest first. */
  listDeployments(filter: DeploymentFilter, first?: number): Promise<Deployment[]>;
  /** The newest `limit` lines (at most `MAX_LOG_LINES`), oldest first. */
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
  /**
   * Deletes the service. When `serviceDelete` fails (whatever Railway said) the project's services
   * are listed: a service absent from that list is gone (`alreadyGone`, or `deleted` when the delete
   * itself may have done it); one still listed, or a listing that fails, is an error. A refused
   * token is a `RailwayAuthError`, never "gone".
   */
  deleteService(
    serviceId: string,
    where: { projectId: string; environmentId?: string },
  ): Promise<DeleteServiceResult>;
  /** What the last answers said about the hourly budget; undefined before the first answer. */
  rateLimit(): RateLimitSnapshot | undefined;
  /** How long a poller should wait before its next request, given `baseMs` and the budget left. */
  pollDelay(baseMs: number): number;
}

type Variables = Record<string, unknown>;

interface OperationInfo {
  name: string;
  mutation: boolean;
}

const operations = new Map<string, OperationInfo>();

function operationOf(document: string): OperationInfo {
  let info = operations.get(document);
  if (info === undefined) {
    const ast = getOperationAST(parse(document));
    info = { name: ast?.name?.value ?? 'anonymous operation', mutation: ast?.operation === 'mutation' };
    operations.set(document, info);
  }
  return info;
}

/** The operation's name, for messages; every document in documents.ts has one. */
export function operationNameOf(document: string): string {
  return operationOf(document).name;
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
function mutationFailure(operation: string, failure: unknown): unknown {
  if (failure instanceof RailwayNetworkError && !failure.neverSent) {
    return new RailwayOutcomeUnknownError(operation, failure);
  }
  if (failure instanceof RailwayHttpError && failure.reason !== 'http_client') {
    return new RailwayOutcomeUnknownError(operation, failure);
  }
  return failure;
}

export function createRailwayClient(options: RailwayClientOptions): RailwayClient {
  const { token, logger } = options;
  const kind = options.tokenKind ?? 'auto';
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
      // Errors come back with the data, and this client turns them into its own typed errors.
      errorPolicy: 'all',
    });
  const queries = graphQLClient(options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS);
  const mutations = graphQLClient(options.mutationTimeoutMs ?? DEFAULT_MUTATION_TIMEOUT_MS);

  /** Turns whatever one attempt threw into this client's typed errors. */
  function translate(operation: string, error: unknown, auth: ResolvedToken, secrets: string[]): unknown {
    if (error instanceof NoAnswer) {
      return new RailwayNetworkError(
        operation,
        error.timedOut ? 'timeout' : 'network',
        redact(error.detail, secrets),
        1,
        error.neverSent,
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
    for (const [i, message] of messages.entries()) {
      const refusal = authRefusalOf(message);
      if (refusal !== undefined) {
        return new RailwayAuthError(operation, auth, message, refusal, workspaceNameOf(errors[i]));
      }
    }
    return new RailwayGraphQLError(operation, messages, data, status, errors.some(isValidationError));
  }

  async function send<T>(document: string, variables: Variables, as?: ResolvedToken): Promise<T> {
    const { name: operation, mutation } = operationOf(document);
    const auth = as ?? (await resolveToken());
    const secrets = secretsOf(token, variables);
    const gql = mutation ? mutations : queries;
    return withRetries(
      async () => {
        logger.debug(`Railway: ${operation}`);
        let answer: Awaited<ReturnType<typeof gql.rawRequest<T>>>;
        try {
          answer = await gql.rawRequest<T>(document, variables, authHeaders(auth.scheme, token));
        } catch (error) {
          const failure = translate(operation, error, auth, secrets);
          throw mutation ? mutationFailure(operation, failure) : failure;
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

  const listServices: RailwayClient['listServices'] = async (projectId) => {
    const services: ServiceSummary[] = [];
    let after: string | undefined;
    for (let page = 1; page <= MAX_SERVICE_PAGES; page++) {
      const data = await send<{ project: { services: Connection<ServiceSummary> } }>(
        documents.PROJECT_SERVICES,
        { id: projectId, first: SERVICES_PAGE_SIZE, ...(after === undefined ? {} : { after }) },
      );
      const { services: connection } = data.project;
      services.push(...nodes(connection));
      const next = connection.pageInfo?.endCursor ?? undefined;
      if (connection.pageInfo?.hasNextPage !== true) return services;
      if (next === undefined || next === after) {
        throw new RailwayGraphQLError(
          'ProjectServices',
          [`Railway said more services follow but gave no new cursor after ${services.length} services`],
          data,
          200,
          false,
        );
      }
      after = next;
    }
    throw new RailwayGraphQLError(
      'ProjectServices',
      [`project ${projectId} has more than ${MAX_SERVICE_PAGES * SERVICES_PAGE_SIZE} services`],
      undefined,
      200,
      false,
    );
  };

  const findServiceByName: RailwayClient['findServiceByName'] = async (projectId, name) =>
    (await listServices(projectId)).find((s) => s.name === name);

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

    listServices,
    findServiceByName,
    createService,

    ensureService: async (input) => {
      const existing = await findServiceByName(input.projectId, input.name);
      if (existing) return { service: existing, created: false };
      try {
        const { id, name, createdAt } = await createService(input);
        return { service: { id, name, createdAt }, created: true };
      } catch (error) {
        // Whatever the failure (a name another run took meanwhile, a create that timed out but
        // happened), what the project holds now is the answer. A failed re-read changes nothing:
        // the create's own error is the one to report.
        if (!isRailwayFailure(error)) throw error;
        const found = await findServiceByName(input.projectId, input.name).catch(() => undefined);
        if (found) {
          logger.info(`Railway service "${input.name}" exists after a failed ${error.operation}; using it.`);
          return { service: found, created: false };
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

    buildLogs: async (deploymentId, limit = 100) => {
      const lines = logLimit(limit);
      const data = await send<{ buildLogs: LogLine[] }>(documents.BUILD_LOGS, { deploymentId, limit: lines });
      return newest(data.buildLogs, lines);
    },

    deploymentLogs: async (deploymentId, limit = 100) => {
      const lines = logLimit(limit);
      const data = await send<{ deploymentLogs: LogLine[] }>(documents.DEPLOYMENT_LOGS, {
        deploymentId,
        limit: lines,
      });
      return newest(data.deploymentLogs, lines);
    },

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

    deleteService: async (serviceId, { projectId, environmentId }) => {
      let failure: unknown;
      try {
        const data = await send<{ serviceDelete: boolean }>(documents.SERVICE_DELETE, {
          id: serviceId,
          ...(environmentId !== undefined ? { environmentId } : {}),
        });
        if (data.serviceDelete === true) return { deleted: true, alreadyGone: false };
        failure = new RailwayGraphQLError(
          'ServiceDelete',
          ['serviceDelete answered false'],
          data,
          200,
          false,
        );
      } catch (error) {
        if (!isRailwayFailure(error)) throw error;
        failure = error;
      }
      // Railway answers a delete of an unknown id with the same `Not Authorized` as a refused token,
      // and a delete that timed out may have happened: only the project's list of services says
      // whether this one is gone. If the token cannot list either, that refusal is the error.
      const services = await listServices(projectId);
      if (services.some((service) => service.id === serviceId)) throw failure;
      if (failure instanceof RailwayOutcomeUnknownError) {
        logger.debug(`Railway service ${serviceId} is gone after a ServiceDelete without an answer.`);
        return { deleted: true, alreadyGone: false };
      }
      logger.debug(`Railway service ${serviceId} is not in project ${projectId}: already gone.`);
      return { deleted: false, alreadyGone: true };
    },

    rateLimit: () => limits.snapshot(),
    pollDelay: (baseMs) => limits.pollDelay(baseMs, clock.now()),
  };
}

interface Connection<T> {
  edges: { node: T }[];
  pageInfo?: { hasNextPage: boolean; endCursor: string | null };
}

const nodes = <T>(c: Connection<T>): T[] => c.edges.map((e) => e.node);

/** At least one line, at most the schema's maximum. */
const logLimit = (limit: number): number => Math.min(MAX_LOG_LINES, Math.max(1, Math.floor(limit)));

/** The newest `limit` lines: Railway answers `limit + 1`, and its CLI trims the same way (docs/railway.md, "Logs"). */
const newest = (lines: LogLine[], limit: number): LogLine[] =>
  lines.length > limit ? lines.slice(lines.length - limit) : lines;

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
