import { randomUUID } from 'node:crypto';
import { assertProject, requireAccount, requirePrincipal } from './auth.js';
import { findDeployment, findEnvironment, findProject, findService } from './queries.js';
import type { RootField } from './queries.js';
import { RailwayError } from './state.js';
import type { ServiceCreate } from './state.js';
import { deploymentView, domainView, environmentView, serviceView } from './views.js';
import type { Ctx } from './views.js';

interface ServiceCreateArgs {
  input: ServiceCreate;
}

interface VariableCollectionUpsertArgs {
  input: {
    projectId: string;
    environmentId: string;
    serviceId?: string | null;
    variables: Record<string, string>;
    replace?: boolean | null;
    skipDeploys?: boolean | null;
  };
}

interface EnvironmentCreateArgs {
  input: {
    projectId: string;
    name: string;
    ephemeral?: boolean | null;
    sourceEnvironmentId?: string | null;
    skipInitialDeploys?: boolean | null;
  };
}

function instanceOf(ctx: Ctx, serviceId: string, environmentId: string) {
  const s = findService(ctx, serviceId);
  findEnvironment(ctx, environmentId, s.projectId);
  const i = ctx.store.instance(s.id, environmentId);
  if (!i) throw new RailwayError('ServiceInstance not found');
  return { service: s, instance: i };
}

function setVariables(ctx: Ctx, args: VariableCollectionUpsertArgs['input']): void {
  findProject(ctx, args.projectId);
  findEnvironment(ctx, args.environmentId, args.projectId);
  if (!args.serviceId) {
    const shared = ctx.store.sharedVariables.get(args.environmentId) ?? {};
    ctx.store.sharedVariables.set(
      args.environmentId,
      args.replace ? { ...args.variables } : { ...shared, ...args.variables },
    );
    return;
  }
  const { service, instance } = instanceOf(ctx, args.serviceId, args.environmentId);
  instance.variables = args.replace ? { ...args.variables } : { ...instance.variables, ...args.variables };
  instance.updatedAt = ctx.store.clock();
  // skipDeploys exists because a variable change redeploys the service by default.
  if (!args.skipDeploys && instance.source) {
    ctx.store.deploy(service.id, args.environmentId, { reason: 'variableChange' });
  }
}

export const mutationRoot: Record<string, RootField> = {
  serviceCreate: ({ input }: ServiceCreateArgs, ctx: Ctx) => {
    findProject(ctx, input.projectId);
    if (input.environmentId) findEnvironment(ctx, input.environmentId, input.projectId);
    const { service } = ctx.store.createService(input);
    return serviceView(ctx, service);
  },
  serviceInstanceDeployV2: (
    args: { serviceId: string; environmentId: string; commitSha?: string | null },
    ctx: Ctx,
  ) => {
    const { service } = instanceOf(ctx, args.serviceId, args.environmentId);
    const meta = { reason: 'deploy', ...(args.commitSha ? { commitHash: args.commitSha } : {}) };
    return ctx.store.deploy(service.id, args.environmentId, meta).id;
  },
  serviceInstanceDeploy: (
    args: { serviceId: string; environmentId: string; commitSha?: string | null },
    ctx: Ctx,
  ) => {
    const { service } = instanceOf(ctx, args.serviceId, args.environmentId);
    const meta = { reason: 'deploy', ...(args.commitSha ? { commitHash: args.commitSha } : {}) };
    ctx.store.deploy(service.id, args.environmentId, meta);
    return true;
  },
  serviceDomainCreate: (
    { input }: { input: { serviceId: string; environmentId: string; targetPort?: number | null } },
    ctx: Ctx,
  ) => {
    instanceOf(ctx, input.serviceId, input.environmentId);
    return domainView(ctx.store.createDomain(input.serviceId, input.environmentId, input.targetPort ?? null));
  },
  variableCollectionUpsert: ({ input }: VariableCollectionUpsertArgs, ctx: Ctx) => {
    setVariables(ctx, input);
    return true;
  },
  variableUpsert: (
    {
      input,
    }: {
      input: {
        projectId: string;
        environmentId: string;
        serviceId?: string | null;
        name: string;
        value: string;
        skipDeploys?: boolean | null;
      };
    },
    ctx: Ctx,
  ) => {
    setVariables(ctx, { ...input, variables: { [input.name]: input.value } });
    return true;
  },
  serviceDelete: (args: { id: string; environmentId?: string | null }, ctx: Ctx) => {
    requirePrincipal(ctx.principal);
    const s = ctx.store.liveService(args.id);
    if (s) assertProject(ctx.principal, s.projectId);
    // Forks are not modelled, so environmentId never narrows the deletion (see ServiceDeleteInput docs).
    ctx.store.deleteService(args.id);
    return true;
  },
  deploymentRemove: (args: { id: string }, ctx: Ctx) => {
    ctx.store.remove(findDeployment(ctx, args.id));
    return true;
  },
  deploymentRedeploy: (args: { id: string; usePreviousImageTag?: boolean | null }, ctx: Ctx) => {
    const old = findDeployment(ctx, args.id);
    instanceOf(ctx, old.serviceId, old.environmentId);
    const d = ctx.store.deploy(old.serviceId, old.environmentId, { ...old.meta, reason: 'redeploy' });
    return deploymentView(ctx, d);
  },
  environmentCreate: ({ input }: EnvironmentCreateArgs, ctx: Ctx) => {
    // Project tokens are bound to one environment; creating others is an account-level action.
    requireAccount(ctx.principal);
    findProject(ctx, input.projectId);
    const source = input.sourceEnvironmentId
      ? findEnvironment(ctx, input.sourceEnvironmentId, input.projectId)
      : undefined;
    const env = ctx.store.addEnvironment(input.projectId, input.name, input.ephemeral ?? false);
    for (const s of ctx.store.projectServices(input.projectId)) {
      const from = source ? ctx.store.instance(s.id, source.id) : undefined;
      const now = ctx.store.clock();
      const inst = {
        id: randomUUID(),
        serviceId: s.id,
        environmentId: env.id,
        source: from?.source ? { ...from.source } : null,
        branch: from?.branch ?? null,
        variables: { ...(from?.variables ?? {}) },
        createdAt: now,
        updatedAt: now,
      };
      ctx.store.instances.set(inst.id, inst);
      if (inst.source && !input.skipInitialDeploys) ctx.store.deploy(s.id, env.id, { reason: 'deploy' });
    }
    if (source)
      ctx.store.sharedVariables.set(env.id, { ...(ctx.store.sharedVariables.get(source.id) ?? {}) });
    return environmentView(ctx, env);
  },
  environmentDelete: (args: { id: string }, ctx: Ctx) => {
    requireAccount(ctx.principal);
    const env = findEnvironment(ctx, args.id);
    env.deletedAt = ctx.store.clock();
    for (const d of ctx.store.deployments.values()) if (d.environmentId === env.id) ctx.store.remove(d);
    for (const i of [...ctx.store.instances.values()]) {
      if (i.environmentId === env.id) ctx.store.instances.delete(i.id);
    }
    return true;
  },
};
