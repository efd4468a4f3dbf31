import type { RailwayTokenKind } from '../settings/common.js';

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
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

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

export interface Me {
  id: string;
  email: string;
  name: string | null;
}

export interface ProjectTokenInfo {
  projectId: string;
  environmentId: string;
}

export interface ServiceSummary {
  id: string;
  name: string;
  /** ISO-8601. */
  createdAt: string;
}

export interface EnvironmentSummary {
  id: string;
  name: string;
}

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

export interface CreatedService extends ServiceSummary {
  projectId: string;
}

export interface Deployment {
  id: string;
  status: DeploymentStatus;
  url: string | null;
  staticUrl: string | null;
  /** ISO-8601. */
  createdAt: string;
  /**
   * Every instance has stopped. With SUCCESS it means the app exited by itself: Railway's
   * "Completed", not a live app (docs/railway.md, "Deployment statuses").
   */
  deploymentStopped: boolean;
}

export interface ServiceDomain {
  id: string;
  domain: string;
}

export interface ServiceInstance {
  id: string;
  serviceId: string;
  serviceName: string;
  environmentId: string;
  source: { image: string | null; repo: string | null } | null;
  latestDeployment: Deployment | null;
  domains: ServiceDomain[];
}

export interface DeploymentFilter {
  projectId?: string;
  serviceId?: string;
  environmentId?: string;
}

export interface LogLine {
  message: string;
  severity: string | null;
  /** RFC 3339, as Railway sends it. */
  timestamp: string;
}

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
