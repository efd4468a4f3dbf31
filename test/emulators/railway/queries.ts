import {
  assertEnvironment,
  assertProject,
  notAuthorized,
  requireAccount,
  requirePersonalAccount,
  requireProjectToken,
  requirePrincipal,
} from './auth.js';
import { RailwayError } from './state.js';
import type { DeploymentRec, Store } from './state.js';
import type { LogLine } from './deployments.js';
import {
  allDomains,
  connection,
  deploymentView,
  environmentView,
  instanceView,
  logView,
  projectView,
  serviceView,
  sortedDeployments,
} from './views.js';
import type { ConnArgs, Ctx } from './views.js';

export type RootField = (args: never, ctx: Ctx) => unknown;

/** "Limit the number of logs returned (defaults 100, max 5000)" (vendor/railway/schema.json). */
const LOG_LIMIT_MAX = 5000;

interface LogArgs {
  deploymentId: string;
  limit?: number | null;
  filter?: string | null;
  startDate?: Date | null;
  endDate?: Date | null;
}

interface DeploymentListArgs extends ConnArgs {
  input: {
    projectId?: string | null;
    serviceId?: string | null;
    environmentId?: string | null;
    includeDeleted?: boolean | null;
    status?: { in?: string[] | null; notIn?: string[] | null } | null;
  };
}

export function findProject(ctx: Ctx, id: string) {
  const p = ctx.store.projects.get(id);
  // A project token asking about another project learns nothing, not even whether it exists.
  if (!p) throw ctx.principal?.kind === 'project' ? notAuthorized() : new RailwayError('Project not found');
  assertProject(ctx.principal, id);
  return p;
}

export function findEnvironment(ctx: Ctx, id: string, projectId?: string | null) {
  requirePrincipal(ctx.principal);
  const e = ctx.store.environments.get(id);
  if (!e || e.deletedAt || (projectId && e.projectId !== projectId)) {
    throw new RailwayError('Environment not found');
  }
  assertEnvironment(ctx.principal, e.projectId, e.id);
  return e;
}

export function findService(ctx: Ctx, id: string) {
  requirePrincipal(ctx.principal);
  const s = ctx.store.liveService(id);
  if (!s) throw new RailwayError('Service not found');
  assertProject(ctx.principal, s.projectId);
  return s;
}

export function findDeployment(ctx: Ctx, id: string): DeploymentRec {
  requirePrincipal(ctx.principal);
  const d = ctx.store.deployments.get(id);
  if (!d) throw new RailwayError('Deployment not found');
  assertEnvironment(ctx.principal, d.projectId, d.environmentId);
  return d;
}

/**
 * Lines whose time has come, filtered like Railway's `filter` (a plain substring here), the newest
 * `limit` + 1 of them, as Railway answers (switch `logsExtraLine`), oldest first. `limit` defaults
 * to 100 and is at most 5000, as the schema describes it.
 */
function visibleLogs(store: Store, d: DeploymentRec, lines: LogLine[], args: LogArgs) {
  const elapsed = store.elapsed(d);
  const start = args.startDate?.getTime() ?? -Infinity;
  const end = args.endDate?.getTime() ?? Infinity;
  const views = lines
    .map((line) => ({ line, view: logView(d, line) }))
    .filter(({ line }) => line.at <= elapsed)
    .filter(({ line }) => d.createdAt + line.at >= start && d.createdAt + line.at <= end)
    .filter(({ line }) => !args.filter || line.message.includes(args.filter))
    .map(({ view }) => view);
  const asked = Math.min(LOG_LIMIT_MAX, typeof args.limit === 'number' ? Math.max(0, args.limit) : 100);
  const limit = asked + (store.switches.logsExtraLine ? 1 : 0);
  return limit === 0 ? [] : views.slice(-limit);
}

/** Railway renders its own RAILWAY_* variables next to the user's service variables. */
function builtInVariables(ctx: Ctx, serviceId: string, environmentId: string): Record<string, string> {
  const s = ctx.store.services.get(serviceId);
  const e = ctx.store.environments.get(environmentId);
  const p = s ? ctx.store.projects.get(s.projectId) : undefined;
  if (!s || !e || !p) return {};
  const domain = ctx.store.instanceDomains(serviceId, environmentId)[0]?.domain;
  return {
    RAILWAY_ENVIRONMENT: e.name,
    RAILWAY_ENVIRONMENT_ID: e.id,
    RAILWAY_ENVIRONMENT_NAME: e.name,
    RAILWAY_PRIVATE_DOMAIN: `${s.name}.railway.internal`,
    RAILWAY_PROJECT_ID: p.id,
    RAILWAY_PROJECT_NAME: p.name,
    RAILWAY_SERVICE_ID: s.id,
    RAILWAY_SERVICE_NAME: s.name,
    ...(domain ? { RAILWAY_PUBLIC_DOMAIN: domain } : {}),
  };
}

export const queryRoot: Record<string, RootField> = {
  me: (_args: Record<string, never>, ctx: Ctx) => {
    const { user } = requirePersonalAccount(ctx.principal);
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      username: user.name,
      avatar: null,
      createdAt: user.createdAt,
      lastLogin: user.createdAt,
      isAdmin: false,
      isConductor: false,
      isVerified: true,
      has2FA: false,
      hasPasskeys: false,
      agreedFairUse: true,
      termsAgreedOn: null,
      riskLevel: null,
      banReason: null,
      githubUsername: null,
      githubProviderId: null,
      registrationStatus: 'ONBOARDED',
      featureFlags: [],
      flags: [],
      platformFeatureFlags: [],
      profile: null,
      apiTokenRateLimit: null,
      workspace: null,
      workspaces: [],
    };
  },
  projectToken: (_args: Record<string, never>, ctx: Ctx) => {
    const t = requireProjectToken(ctx.principal);
    return {
      id: t.tokenId,
      name: t.name,
      displayToken: `${t.token.slice(0, 4)}…${t.token.slice(-4)}`,
      createdAt: t.createdAt,
      projectId: t.projectId,
      environmentId: t.environmentId,
      project: () => projectView(ctx, findProject(ctx, t.projectId)),
      environment: () => environmentView(ctx, findEnvironment(ctx, t.environmentId)),
    };
  },
  project: (args: { id: string }, ctx: Ctx) => projectView(ctx, findProject(ctx, args.id)),
  projects: (args: ConnArgs, ctx: Ctx) => {
    requireAccount(ctx.principal);
    return connection([...ctx.store.projects.values()], args, (p) => projectView(ctx, p));
  },
  environment: (args: { id: string; projectId?: string | null }, ctx: Ctx) =>
    environmentView(ctx, findEnvironment(ctx, args.id, args.projectId)),
  environments: (args: ConnArgs & { projectId: string; isEphemeral?: boolean | null }, ctx: Ctx) => {
    findProject(ctx, args.projectId);
    const envs = ctx.store
      .projectEnvironments(args.projectId)
      .filter((e) => typeof args.isEphemeral !== 'boolean' || e.isEphemeral === args.isEphemeral);
    return connection(envs, args, (e) => environmentView(ctx, e));
  },
  service: (args: { id: string }, ctx: Ctx) => serviceView(ctx, findService(ctx, args.id)),
  serviceInstance: (args: { serviceId: string; environmentId: string }, ctx: Ctx) => {
    const s = findService(ctx, args.serviceId);
    assertEnvironment(ctx.principal, s.projectId, args.environmentId);
    const i = ctx.store.instance(s.id, args.environmentId);
    if (!i) throw new RailwayError('ServiceInstance not found');
    return instanceView(ctx, i);
  },
  deployment: (args: { id: string }, ctx: Ctx) => deploymentView(ctx, findDeployment(ctx, args.id)),
  deployments: (args: DeploymentListArgs, ctx: Ctx) => {
    const p = requirePrincipal(ctx.principal);
    const { input } = args;
    if (input.projectId) findProject(ctx, input.projectId);
    if (input.serviceId) findService(ctx, input.serviceId);
    if (input.environmentId) findEnvironment(ctx, input.environmentId);
    const list = sortedDeployments(ctx.store, (d) => {
      const status = ctx.store.status(d);
      return (
        (!input.projectId || d.projectId === input.projectId) &&
        (!input.serviceId || d.serviceId === input.serviceId) &&
        (!input.environmentId || d.environmentId === input.environmentId) &&
        (p.kind !== 'project' || (d.projectId === p.projectId && d.environmentId === p.environmentId)) &&
        (!input.status?.in || input.status.in.includes(status)) &&
        (!input.status?.notIn || !input.status.notIn.includes(status)) &&
        (input.includeDeleted === true || Boolean(ctx.store.liveService(d.serviceId)))
      );
    });
    return connection(list, args, (d) => deploymentView(ctx, d));
  },
  buildLogs: (args: LogArgs, ctx: Ctx) => {
    const d = findDeployment(ctx, args.deploymentId);
    return visibleLogs(ctx.store, d, d.lifecycle.buildLogs, args);
  },
  deploymentLogs: (args: LogArgs, ctx: Ctx) => {
    const d = findDeployment(ctx, args.deploymentId);
    return visibleLogs(ctx.store, d, d.lifecycle.deployLogs, args);
  },
  variables: (
    args: {
      projectId: string;
      environmentId: string;
      serviceId?: string | null;
      unrendered?: boolean | null;
    },
    ctx: Ctx,
  ) => {
    findProject(ctx, args.projectId);
    findEnvironment(ctx, args.environmentId, args.projectId);
    if (!args.serviceId) return { ...(ctx.store.sharedVariables.get(args.environmentId) ?? {}) };
    const s = findService(ctx, args.serviceId);
    const i = ctx.store.instance(s.id, args.environmentId);
    if (!i) throw new RailwayError('ServiceInstance not found');
    return { ...builtInVariables(ctx, s.id, args.environmentId), ...i.variables };
  },
  domains: (args: { projectId: string; environmentId: string; serviceId: string }, ctx: Ctx) => {
    findProject(ctx, args.projectId);
    findEnvironment(ctx, args.environmentId, args.projectId);
    findService(ctx, args.serviceId);
    return allDomains(ctx.store.instanceDomains(args.serviceId, args.environmentId));
  },
};
