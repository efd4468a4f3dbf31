// The shapes the Railway client speaks in. What Railway answers (`Deployment`, `LogLine`, …) is
// derived from generated/graphql.ts, which GraphQL Code Generator writes from the documents in
// documents.ts and the vendored schema (`npm run codegen`): a field renamed or made nullable in the
// schema, or a field added to a document, changes these types, and the compiler points at every
// use. What callers hand the client (`CreateServiceInput`, …) is the client's own vocabulary and
// written here; the generated input types check it where the client builds its variables.
import type {
  BuildLogsQuery,
  DeploymentQuery,
  DeploymentStatus,
  MeQuery,
  ProjectQuery,
  ProjectServicesQuery,
  ProjectTokenQuery,
  ServiceCreateMutation,
  ServiceDomainCreateMutation,
  ServiceInstanceQuery,
} from './generated/graphql.js';
import type { RailwayTokenKind } from '../railway-facts.js';

export type { DeploymentStatus } from './generated/graphql.js';
export type { RailwayTokenKind } from '../railway-facts.js';

/** All 13 values of Railway's `DeploymentStatus` enum, as in the vendored schema. */
export const DEPLOYMENT_STATUSES = [
  'BUILDING',
  'CRASHED',
  'DEPLOYING',
  'FAILED',
  'INITIALIZING',
  'NEEDS_APPROVAL',
  'QUEUED',
  'REMOVED',
  'REMOVING',
  'SKIPPED',
  'SLEEPING',
  'SUCCESS',
  'WAITING',
] as const satisfies readonly DeploymentStatus[];

/** Compiles only while the list holds every status of the schema's enum (after `npm run codegen`). */
type _EveryStatusListed = Nothing<Exclude<DeploymentStatus, (typeof DEPLOYMENT_STATUSES)[number]>>;
type Nothing<T extends never> = T;

/**
 * How the token is sent. `bearer` is an account or workspace token (`Authorization: Bearer`),
 * `project` a project token (`Project-Access-Token`).
 */
export type AuthScheme = 'bearer' | 'project';

/** What the client settled on for its token, after detection when the kind was `auto`. */
export interface ResolvedToken {
  /** As configured; `auto` stays `auto` so messages can say the kind was detected. */
  configured: RailwayTokenKind;
  scheme: AuthScheme;
  /** Learned from `projectToken` when the token is a project token. */
  projectId?: string;
  environmentId?: string;
}

export type Me = MeQuery['me'];

export type ProjectTokenInfo = ProjectTokenQuery['projectToken'];

/** `createdAt` is ISO-8601. */
export type ServiceSummary = ProjectServicesQuery['project']['services']['edges'][number]['node'];

export type EnvironmentSummary = ProjectQuery['project']['environments']['edges'][number]['node'];

/** A project with its connections flattened to lists. */
export interface Project {
  id: string;
  name: string;
  services: ServiceSummary[];
  environments: EnvironmentSummary[];
}

export type ServiceSource = { image: string } | { repo: string };

export interface CreateServiceInput {
  projectId: string;
  /** Only narrows creation when the environment is a fork; Railway otherwise creates it everywhere. */
  environmentId?: string;
  name: string;
  source?: ServiceSource;
  branch?: string;
  /** Passed in `serviceCreate` itself so that the first build already sees them. */
  variables: Record<string, string>;
}

export type CreatedService = ServiceCreateMutation['serviceCreate'];

/**
 * `createdAt` is ISO-8601. `deploymentStopped` means every instance has stopped: with SUCCESS the
 * app exited by itself, Railway's "Completed", not a live app (docs/railway.md, "Deployment
 * statuses").
 */
export type Deployment = DeploymentQuery['deployment'];

export type ServiceDomain = ServiceDomainCreateMutation['serviceDomainCreate'];

type ServiceInstanceAnswer = ServiceInstanceQuery['serviceInstance'];

/** A service in one environment, its domains flattened to a list. */
export type ServiceInstance = Omit<ServiceInstanceAnswer, 'domains'> & {
  domains: ServiceInstanceAnswer['domains']['serviceDomains'];
};

export interface DeploymentFilter {
  projectId?: string;
  serviceId?: string;
  environmentId?: string;
}

/** `timestamp` is RFC 3339, as Railway sends it. */
export type LogLine = BuildLogsQuery['buildLogs'][number];

export interface UpsertVariablesInput {
  projectId: string;
  environmentId: string;
  serviceId: string;
  variables: Record<string, string>;
  /** A variable change redeploys the service unless this is true. */
  skipDeploys?: boolean;
}

export type DeleteServiceResult =
  { deleted: true; alreadyGone: false } | { deleted: false; alreadyGone: true };
