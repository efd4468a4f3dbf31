// The Railway client: one typed function per operation the product needs, in the shape of
// octokit/graphql.js (a factory fixes endpoint, token and user agent). This module holds what each
// operation asks and how it reads the answer: paging, find-or-create, "is it gone?". Sending a
// document, retries and error translation live in requests.ts and failures.ts; which header the
// token goes in, in token-detection.ts.
// About 310 lines, on purpose: the RailwayClient interface documents every operation where callers
// read it, and splitting the operations apart would scatter one service's vocabulary.
import * as documents from './documents.js';
import { isRailwayFailure, RailwayGraphQLError, RailwayOutcomeUnknownError } from './errors.js';
import type { RateLimitSnapshot } from './rate-limit.js';
import { createRequester } from './requests.js';
import type { RailwayConnectionOptions } from './requests.js';
import { createTokenResolver } from './token-detection.js';
import type { RailwayDocument } from './documents.js';
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
  RailwayTokenKind,
  ResolvedToken,
  ServiceDomain,
  ServiceInstance,
  ServiceSummary,
  UpsertVariablesInput,
} from './types.js';

export interface RailwayClientOptions extends RailwayConnectionOptions {
  /** Default `auto`: try the token as a project token, else use it as an account or workspace token. */
  tokenKind?: RailwayTokenKind;
}

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
  rateLimit: () => RateLimitSnapshot | undefined;
  /** How long a poller should wait before its next request, given `baseMs` and the budget left. */
  pollDelay: (baseMs: number) => number;
}

export function createRailwayClient(options: RailwayClientOptions): RailwayClient {
  const { logger } = options;
  const requester = createRequester(options);
  const resolveToken = createTokenResolver(options.tokenKind ?? 'auto', requester.request, logger);

  /** Sends with the token's resolved header. */
  const send = async <TAnswer, TVariables>(
    document: RailwayDocument<TAnswer, TVariables>,
    variables: TVariables,
  ): Promise<TAnswer> => requester.request(document, variables, await resolveToken());

  const listServices: RailwayClient['listServices'] = async (projectId) => {
    const services: ServiceSummary[] = [];
    let after: string | undefined;
    for (let page = 1; page <= MAX_SERVICE_PAGES; page++) {
      const data = await send(documents.PROJECT_SERVICES, {
        id: projectId,
        first: SERVICES_PAGE_SIZE,
        ...(after === undefined ? {} : { after }),
      });
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
    const data = await send(documents.SERVICE_CREATE, {
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

    whoAmI: async () => (await send(documents.ME, {})).me,

    projectTokenInfo: async () => {
      const auth = await resolveToken();
      if (auth.projectId !== undefined && auth.environmentId !== undefined) {
        return { projectId: auth.projectId, environmentId: auth.environmentId };
      }
      return (await send(documents.PROJECT_TOKEN, {})).projectToken;
    },

    getProject: async (projectId) => {
      const data = await send(documents.PROJECT, { id: projectId });
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
      const data = await send(documents.SERVICE_INSTANCE, { serviceId, environmentId });
      const i = data.serviceInstance;
      return { ...i, domains: i.domains.serviceDomains };
    },

    deployService: async (serviceId, environmentId, commitSha) =>
      (
        await send(documents.SERVICE_INSTANCE_DEPLOY, {
          serviceId,
          environmentId,
          ...(commitSha !== undefined ? { commitSha } : {}),
        })
      ).serviceInstanceDeployV2,

    getDeployment: async (deploymentId) =>
      (await send(documents.DEPLOYMENT, { id: deploymentId })).deployment,

    listDeployments: async (filter, first = 10) => {
      const data = await send(documents.DEPLOYMENTS, {
        input: filter,
        first,
      });
      return nodes(data.deployments);
    },

    buildLogs: async (deploymentId, limit = 100) => {
      const lines = logLimit(limit);
      const data = await send(documents.BUILD_LOGS, { deploymentId, limit: lines });
      return newest(data.buildLogs, lines);
    },

    deploymentLogs: async (deploymentId, limit = 100) => {
      const lines = logLimit(limit);
      const data = await send(documents.DEPLOYMENT_LOGS, {
        deploymentId,
        limit: lines,
      });
      return newest(data.deploymentLogs, lines);
    },

    createServiceDomain: async (serviceId, environmentId, targetPort) =>
      (
        await send(documents.SERVICE_DOMAIN_CREATE, {
          input: { serviceId, environmentId, ...(targetPort !== undefined ? { targetPort } : {}) },
        })
      ).serviceDomainCreate,

    upsertVariables: async (input) => {
      await send(documents.VARIABLE_COLLECTION_UPSERT, {
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
        await send(documents.VARIABLES, {
          projectId,
          environmentId,
          serviceId,
        })
      ).variables,

    deleteService: async (serviceId, { projectId, environmentId }) => {
      let failure: unknown;
      try {
        const data = await send(documents.SERVICE_DELETE, {
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

    rateLimit: requester.rateLimit,
    pollDelay: requester.pollDelay,
  };
}

interface Connection<T> {
  edges: { node: T }[];
}

const nodes = <T>(c: Connection<T>): T[] => c.edges.map((e) => e.node);

/** At least one line, at most the schema's maximum. */
const logLimit = (limit: number): number => Math.min(MAX_LOG_LINES, Math.max(1, Math.floor(limit)));

/** The newest `limit` lines: Railway answers `limit + 1`, and its CLI trims the same way (docs/railway.md, "Logs"). */
const newest = (lines: LogLine[], limit: number): LogLine[] =>
  lines.length > limit ? lines.slice(lines.length - limit) : lines;
