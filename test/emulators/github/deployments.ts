/** Deployments and their statuses, environments, collaborator permission and the repository itself. */
import { notFound, fail } from './errors.js';
import { paginate } from './pagination.js';
import {
  bodyOf,
  iso,
  nodeId,
  str,
  userJson,
  type Ctx,
  type Deployment,
  type DeploymentStatus,
  type Handler,
} from './repo-state.js';

function deploymentJson(ctx: Ctx, d: Deployment) {
  const url = `${ctx.baseUrl}/repos/${ctx.repo.fullName}/deployments/${d.id}`;
  return {
    url,
    id: d.id,
    node_id: nodeId('DE', d.id),
    sha: d.sha,
    ref: d.ref,
    task: d.task,
    payload: d.payload,
    original_environment: d.environment,
    environment: d.environment,
    description: d.description,
    creator: userJson(ctx.state, d.creator, ctx.baseUrl),
    created_at: iso(d.createdAt),
    updated_at: iso(d.statuses.at(-1)?.createdAt ?? d.createdAt),
    statuses_url: `${url}/statuses`,
    repository_url: `${ctx.baseUrl}/repos/${ctx.repo.fullName}`,
    transient_environment: d.transient,
    production_environment: d.production,
  };
}

function statusJson(ctx: Ctx, d: Deployment, s: DeploymentStatus) {
  const deployment = `${ctx.baseUrl}/repos/${ctx.repo.fullName}/deployments/${d.id}`;
  return {
    url: `${deployment}/statuses/${s.id}`,
    id: s.id,
    node_id: nodeId('DES', s.id),
    state: s.state,
    creator: userJson(ctx.state, s.creator, ctx.baseUrl),
    description: s.description,
    environment: s.environment,
    target_url: s.targetUrl,
    log_url: s.logUrl,
    environment_url: s.environmentUrl,
    created_at: iso(s.createdAt),
    updated_at: iso(s.createdAt),
    deployment_url: deployment,
    repository_url: `${ctx.baseUrl}/repos/${ctx.repo.fullName}`,
  };
}

const createDeployment: Handler = (ctx) => {
  const b = bodyOf(ctx);
  const ref = str(b.ref) ?? '';
  const sha = ctx.repo.resolve(ref) ?? fail(422, `No ref found for: ${ref}`);
  const environment = str(b.environment) ?? 'production';
  const d: Deployment = {
    id: ctx.state.nextId(),
    sha,
    ref,
    task: str(b.task) ?? 'deploy',
    payload: b.payload ?? {},
    environment,
    description: str(b.description) ?? null,
    creator: ctx.login,
    createdAt: ctx.state.now(),
    transient: b.transient_environment === true,
    production:
      typeof b.production_environment === 'boolean' ? b.production_environment : environment === 'production',
    statuses: [],
  };
  ctx.repo.deployments.push(d);
  // A deployment to a name the repository has no environment for creates it (README: not settled).
  if (!ctx.repo.environments.has(environment)) {
    const now = ctx.state.now();
    ctx.repo.environments.set(environment, {
      id: ctx.state.nextId(),
      name: environment,
      createdAt: now,
      updatedAt: now,
    });
  }
  return { status: 201, body: deploymentJson(ctx, d) };
};

const listDeployments: Handler = (ctx) => {
  const q = ctx.query;
  const items = ctx.repo.deployments
    .filter((d) => (q.sha === undefined || d.sha === q.sha) && (q.ref === undefined || d.ref === q.ref))
    .filter(
      (d) =>
        (q.task === undefined || d.task === q.task) &&
        (q.environment === undefined || d.environment === q.environment),
    )
    .reverse();
  const { page, headers } = paginate(ctx, items, '/deployments');
  return { status: 200, body: page.map((d) => deploymentJson(ctx, d)), headers };
};

function loadDeployment(ctx: Ctx): Deployment {
  return ctx.repo.deployments.find((d) => d.id === Number(ctx.params.deployment_id)) ?? notFound();
}

const createStatus: Handler = (ctx) => {
  const d = loadDeployment(ctx);
  const b = bodyOf(ctx);
  const s: DeploymentStatus = {
    id: ctx.state.nextId(),
    state: str(b.state) ?? 'pending',
    description: str(b.description) ?? '',
    environment: str(b.environment) ?? d.environment,
    targetUrl: str(b.target_url) ?? str(b.log_url) ?? '',
    logUrl: str(b.log_url) ?? str(b.target_url) ?? '',
    environmentUrl: str(b.environment_url) ?? '',
    creator: ctx.login,
    createdAt: ctx.state.now(),
  };
  d.statuses.push(s);
  // auto_inactive (default true): the environment's older non-transient, non-production deployments
  // whose last status is success get an inactive status (README: behaviour → source).
  if (s.state === 'success' && b.auto_inactive !== false) {
    for (const older of ctx.repo.deployments) {
      if (older === d || older.environment !== s.environment || older.transient || older.production) continue;
      if (older.statuses.at(-1)?.state !== 'success') continue;
      older.statuses.push({
        ...s,
        id: ctx.state.nextId(),
        state: 'inactive',
        environmentUrl: '',
        description: '',
      });
    }
  }
  return { status: 201, body: statusJson(ctx, d, s) };
};

const listStatuses: Handler = (ctx) => {
  const d = loadDeployment(ctx);
  const { page, headers } = paginate(ctx, [...d.statuses].reverse(), `/deployments/${d.id}/statuses`);
  return { status: 200, body: page.map((s) => statusJson(ctx, d, s)), headers };
};

const putEnvironment: Handler = (ctx) => {
  const name = ctx.params.environment_name ?? '';
  const now = ctx.state.now();
  const env = ctx.repo.environments.get(name) ?? {
    id: ctx.state.nextId(),
    name,
    createdAt: now,
    updatedAt: now,
  };
  env.updatedAt = now;
  ctx.repo.environments.set(name, env);
  return {
    status: 200,
    body: {
      id: env.id,
      node_id: nodeId('EN', env.id),
      name,
      url: `${ctx.baseUrl}/repos/${ctx.repo.fullName}/environments/${encodeURIComponent(name)}`,
      html_url: `https://github.com/${ctx.repo.fullName}/deployments/activity_log?environments_filter=${encodeURIComponent(name)}`,
      created_at: iso(env.createdAt),
      updated_at: iso(env.updatedAt),
      protection_rules: [],
      deployment_branch_policy: null,
    },
  };
};

const deleteEnvironment: Handler = (ctx) => {
  if (!ctx.repo.environments.delete(ctx.params.environment_name ?? '')) return notFound();
  return { status: 204 };
};

/**
 * GitHub maps roles to the legacy `permission` field (maintain→write, triage→read) and keeps the role in
 * `role_name`. Unknown logins get 404 "<login> is not a user"; known users without access get `none` on a
 * private repository and `read` on a public one.
 */
const collaboratorPermission: Handler = (ctx) => {
  const login = ctx.params.username ?? '';
  // Recorded answer to a caller without push access (README: behaviour → source).
  if (ctx.tokenPermissions === 'read') {
    return fail(403, 'Must have push access to view collaborator permission.');
  }
  if (!ctx.state.users.has(login.toLowerCase())) return notFound(`${login} is not a user`);
  const role = ctx.repo.permissionOf(login) ?? (ctx.repo.isPrivate ? 'none' : 'read');
  const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
  return {
    status: 200,
    body: { permission, role_name: role, user: userJson(ctx.state, login, ctx.baseUrl) },
  };
};

const getRepo: Handler = (ctx) => {
  const r = ctx.repo;
  const owner = ctx.state.users.get(r.owner.toLowerCase());
  return {
    status: 200,
    body: {
      id: r.id,
      node_id: nodeId('R', r.id),
      name: r.name,
      full_name: r.fullName,
      private: r.isPrivate,
      visibility: r.isPrivate ? 'private' : 'public',
      owner: { ...userJson(ctx.state, r.owner, ctx.baseUrl), type: owner?.type ?? 'User' },
      html_url: `https://github.com/${r.fullName}`,
      url: `${ctx.baseUrl}/repos/${r.fullName}`,
      default_branch: r.defaultBranch,
      fork: false,
      archived: false,
      disabled: false,
      has_issues: true,
      open_issues_count: [...r.issues.values()].filter(
        (i) => i.state === 'open' && !i.deleted && !i.transferredTo,
      ).length,
      ...repoPermissions(ctx),
    },
  };
};

/** The token's role, unless the token is an installation token and the switch hides it (README). */
function repoPermissions(ctx: Ctx) {
  const token = ctx.token;
  if (token?.repositories !== undefined && ctx.state.installationRepoPermissions === 'omitted') return {};
  const r = ctx.repo;
  return {
    permissions: (() => {
      const p = r.permissionOf(ctx.login);
      return {
        admin: p === 'admin',
        maintain: p === 'admin' || p === 'maintain',
        push: p === 'admin' || p === 'maintain' || p === 'write',
        triage: p !== undefined && p !== 'read',
        pull: true,
      };
    })(),
  };
}

export const repoHandlers: Record<string, Handler> = {
  'repos/create-deployment': createDeployment,
  'repos/list-deployments': listDeployments,
  'repos/create-deployment-status': createStatus,
  'repos/list-deployment-statuses': listStatuses,
  'repos/create-or-update-environment': putEnvironment,
  'repos/delete-an-environment': deleteEnvironment,
  'repos/get-collaborator-permission-level': collaboratorPermission,
  'repos/get': getRepo,
};
