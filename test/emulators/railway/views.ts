// GraphQL views over the store. The strict field resolver (resolvers.ts) reports any field a view
// does not define as "not implemented", so every nullable field that is legitimately empty is
// spelled out here as null instead of being silently absent.
import type { Principal } from './auth.js';
import type {
  DeploymentRec,
  DomainRec,
  EnvironmentRec,
  InstanceRec,
  ProjectRec,
  ServiceRec,
  Store,
} from './state.js';
import type { LogLine } from './deployments.js';

export interface Ctx {
  store: Store;
  principal: Principal | null;
  /** Deployments read by this request; poll mode steps each of them once afterwards. */
  touched: Set<DeploymentRec>;
}

export interface ConnArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

type View = Record<string, unknown>;

export function connection<T extends { id: string }>(
  items: T[],
  args: ConnArgs,
  node: (t: T) => unknown,
): View {
  let list = items;
  if (args.after) list = list.slice(list.findIndex((t) => t.id === args.after) + 1);
  if (args.before) {
    const i = list.findIndex((t) => t.id === args.before);
    if (i >= 0) list = list.slice(0, i);
  }
  const total = list.length;
  if (typeof args.first === 'number') list = list.slice(0, Math.max(0, args.first));
  if (typeof args.last === 'number') list = list.slice(Math.max(0, list.length - args.last));
  return {
    edges: list.map((t) => ({ cursor: t.id, node: node(t) })),
    pageInfo: {
      hasNextPage: typeof args.first === 'number' && total > list.length,
      hasPreviousPage: Boolean(args.after) || (typeof args.last === 'number' && total > list.length),
      startCursor: list[0]?.id ?? null,
      endCursor: list[list.length - 1]?.id ?? null,
    },
  };
}

export function projectView(ctx: Ctx, p: ProjectRec): View {
  const envs = ctx.store.projectEnvironments(p.id);
  return {
    id: p.id,
    name: p.name,
    description: null,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    deletedAt: null,
    expiredAt: null,
    isPublic: false,
    isTempProject: false,
    prDeploys: false,
    botPrEnvironments: false,
    focusedPrEnvironments: false,
    baseEnvironmentId: null,
    baseEnvironment: null,
    primaryEnvironmentId: envs[0]?.id ?? null,
    featureFlags: [],
    members: [],
    subscriptionType: 'hobby',
    teamId: null,
    workspaceId: null,
    workspace: null,
    services: (args: ConnArgs) =>
      connection(ctx.store.projectServices(p.id), args, (s) => serviceView(ctx, s)),
    environments: (args: ConnArgs & { isEphemeral?: boolean | null }) =>
      connection(
        envs.filter((e) => typeof args.isEphemeral !== 'boolean' || e.isEphemeral === args.isEphemeral),
        args,
        (e) => environmentView(ctx, e),
      ),
  };
}

export function environmentView(ctx: Ctx, e: EnvironmentRec): View {
  const instances = () =>
    [...ctx.store.instances.values()].filter(
      (i) => i.environmentId === e.id && ctx.store.liveService(i.serviceId),
    );
  return {
    id: e.id,
    name: e.name,
    projectId: e.projectId,
    isEphemeral: e.isEphemeral,
    canAccess: ctx.principal?.kind !== 'project' || ctx.principal.environmentId === e.id,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    deletedAt: e.deletedAt ?? null,
    meta: null,
    sourceEnvironment: null,
    unmergedChangesCount: 0,
    serviceInstances: (args: ConnArgs) => connection(instances(), args, (i) => instanceView(ctx, i)),
    deployments: (args: ConnArgs) =>
      connection(
        sortedDeployments(ctx.store, (d) => d.environmentId === e.id),
        args,
        (d) => deploymentView(ctx, d),
      ),
  };
}

export function serviceView(ctx: Ctx, s: ServiceRec): View {
  return {
    id: s.id,
    name: s.name,
    projectId: s.projectId,
    icon: s.icon,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    deletedAt: s.deletedAt ?? null,
    featureFlags: [],
    groupId: null,
    hasHiddenRegistryCredentialsFromTemplate: false,
    isRestricted: false,
    templateId: null,
    templateServiceId: null,
    templateThreadSlug: null,
    project: () => {
      const p = ctx.store.projects.get(s.projectId);
      return p ? projectView(ctx, p) : null;
    },
    serviceInstances: (args: ConnArgs) =>
      connection(ctx.store.serviceInstances(s.id), args, (i) => instanceView(ctx, i)),
    deployments: (args: ConnArgs) =>
      connection(
        sortedDeployments(ctx.store, (d) => d.serviceId === s.id),
        args,
        (d) => deploymentView(ctx, d),
      ),
  };
}

export function instanceView(ctx: Ctx, i: InstanceRec): View {
  const service = ctx.store.services.get(i.serviceId);
  const active = () =>
    sortedDeployments(
      ctx.store,
      (d) =>
        d.serviceId === i.serviceId &&
        d.environmentId === i.environmentId &&
        ['SUCCESS', 'DEPLOYING'].includes(ctx.store.status(d)),
    );
  return {
    id: i.id,
    serviceId: i.serviceId,
    environmentId: i.environmentId,
    serviceName: service?.name ?? '',
    service: () => (service ? serviceView(ctx, service) : null),
    source: i.source ? { image: i.source.image ?? null, repo: i.source.repo ?? null } : null,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    deletedAt: null,
    latestDeployment: () => {
      const d = ctx.store.latestDeployment(i.serviceId, i.environmentId);
      return d ? deploymentView(ctx, d) : null;
    },
    activeDeployments: () => active().map((d) => deploymentView(ctx, d)),
    domains: () => allDomains(ctx.store.instanceDomains(i.serviceId, i.environmentId)),
    builder: 'RAILPACK',
    buildCommand: null,
    startCommand: null,
    rootDirectory: null,
    dockerfilePath: null,
    railwayConfigFile: null,
    cronSchedule: null,
    nextCronRunAt: null,
    healthcheckPath: null,
    healthcheckTimeout: null,
    numReplicas: 1,
    region: 'us-west2',
    restartPolicyType: 'ON_FAILURE',
    restartPolicyMaxRetries: 10,
    sleepApplication: false,
    isUpdatable: true,
    upstreamUrl: null,
    watchPatterns: [],
    drainingSeconds: null,
    overlapSeconds: null,
    preDeployCommand: null,
    nixpacksPlan: null,
    railpackInfo: null,
    edgeConfig: null,
    ipv6EgressEnabled: null,
  };
}

export function allDomains(domains: DomainRec[]): View {
  return { customDomains: [], serviceDomains: domains.map(domainView) };
}

export function domainView(d: DomainRec): View {
  return {
    id: d.id,
    domain: d.domain,
    environmentId: d.environmentId,
    serviceId: d.serviceId,
    projectId: d.projectId,
    targetPort: d.targetPort,
    suffix: 'up.railway.app',
    syncStatus: 'ACTIVE',
    createdAt: d.createdAt,
    updatedAt: d.createdAt,
    deletedAt: null,
    edgeId: null,
    cdnMode: null,
    newDomainName: null,
    newHostLabel: null,
  };
}

const INSTANCE_STATUS: Record<string, string> = {
  DEPLOYING: 'INITIALIZING',
  SUCCESS: 'RUNNING',
  CRASHED: 'CRASHED',
  REMOVED: 'REMOVED',
};

export function deploymentView(ctx: Ctx, d: DeploymentRec): View {
  ctx.touched.add(d);
  const status = ctx.store.status(d);
  const domain = ctx.store.instanceDomains(d.serviceId, d.environmentId)[0]?.domain ?? null;
  // A completed app's instance has exited (3P probe in the README: SUCCESS, stopped, instance EXITED).
  const instanceStatus = ctx.store.stopped(d) ? 'EXITED' : INSTANCE_STATUS[status];
  return {
    id: d.id,
    status,
    projectId: d.projectId,
    serviceId: d.serviceId,
    environmentId: d.environmentId,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    statusUpdatedAt: d.statusUpdatedAt,
    // Unconfirmed against production: staticUrl is the bare service domain, url adds the scheme.
    staticUrl: domain,
    url: domain ? `https://${domain}` : null,
    suggestAddServiceDomain: domain === null,
    canRedeploy: true,
    canRollback: false,
    creator: null,
    deploymentStopped: ctx.store.stopped(d),
    diagnosis: null,
    snapshotId: null,
    sockets: [],
    meta: d.meta,
    instances: instanceStatus ? [{ id: `${d.id}-0`, status: instanceStatus }] : [],
    service: () => {
      const s = ctx.store.services.get(d.serviceId);
      return s ? serviceView(ctx, s) : null;
    },
    environment: () => {
      const e = ctx.store.environments.get(d.environmentId);
      return e ? environmentView(ctx, e) : null;
    },
  };
}

/** Newest first, as Railway lists deployments. */
export function sortedDeployments(store: Store, keep: (d: DeploymentRec) => boolean): DeploymentRec[] {
  return [...store.deployments.values()].filter(keep).sort((a, b) => b.seq - a.seq);
}

export function logView(d: DeploymentRec, line: LogLine): View {
  return {
    message: line.message,
    severity: line.severity,
    timestamp: new Date(d.createdAt + line.at).toISOString(),
    attributes: [{ key: 'level', value: line.severity }],
    tags: {
      deploymentId: d.id,
      deploymentInstanceId: null,
      environmentId: d.environmentId,
      pluginId: null,
      projectId: d.projectId,
      serviceId: d.serviceId,
      snapshotId: null,
    },
  };
}
