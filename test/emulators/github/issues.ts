/** Issues and labels: GET/PATCH/list, labels on repositories and issues, and deleted/transferred issues. */
import { ApiError, fail, notFound, validationFailed, type Reply } from './errors.js';
import { paginate } from './pagination.js';
import {
  bodyOf,
  iso,
  nodeId,
  str,
  userJson,
  type Ctx,
  type Handler,
  type Issue,
  type Label,
  type Repo,
} from './repo-state.js';

export function labelJson(ctx: Pick<Ctx, 'baseUrl'>, repo: Repo, l: Label) {
  return {
    id: l.id,
    node_id: nodeId('LA', l.id),
    url: `${ctx.baseUrl}/repos/${repo.fullName}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    color: l.color,
    default: false,
    description: l.description,
  };
}

/** Finds or creates a repository label, as GitHub does when an unknown label is put on an issue. */
export function ensureLabel(ctx: Pick<Ctx, 'state'>, repo: Repo, name: string): Label {
  const key = name.toLowerCase();
  let label = repo.labels.get(key);
  if (!label) {
    label = { id: ctx.state.nextId(), name, color: 'ededed', description: null };
    repo.labels.set(key, label);
  }
  return label;
}

export function issueJson(ctx: Ctx, repo: Repo, i: Issue) {
  const api = `${ctx.baseUrl}/repos/${repo.fullName}/issues/${i.number}`;
  let comments = 0;
  for (const c of repo.comments.values()) if (c.issueNumber === i.number) comments++;
  return {
    id: i.id,
    node_id: nodeId('I', i.id),
    url: api,
    repository_url: `${ctx.baseUrl}/repos/${repo.fullName}`,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `https://github.com/${repo.fullName}/issues/${i.number}`,
    number: i.number,
    state: i.state,
    state_reason: i.stateReason,
    title: i.title,
    body: i.body,
    user: userJson(ctx.state, i.user, ctx.baseUrl),
    labels: i.labels.map((n) => labelJson(ctx, repo, ensureLabel(ctx, repo, n))),
    assignee: null,
    assignees: [],
    milestone: null,
    locked: i.locked === true,
    active_lock_reason: null,
    comments,
    closed_at: i.closedAt === null ? null : iso(i.closedAt),
    created_at: iso(i.createdAt),
    updated_at: iso(i.updatedAt),
    author_association: i.authorAssociation,
    ...(i.pullRequest === true
      ? {
          pull_request: {
            url: `${ctx.baseUrl}/repos/${repo.fullName}/pulls/${i.number}`,
            html_url: `https://github.com/${repo.fullName}/pull/${i.number}`,
            diff_url: `https://github.com/${repo.fullName}/pull/${i.number}.diff`,
            patch_url: `https://github.com/${repo.fullName}/pull/${i.number}.patch`,
            merged_at: null,
          },
        }
      : {}),
  };
}

/**
 * Resolves an issue the way GitHub answers for it: 404 unknown, 410 deleted, 301 to the new location when it
 * was transferred (GitHub redirects to `/repositories/:id/issues/:n`, which this emulator also serves).
 */
export function loadIssue(ctx: Ctx, suffix = ''): Issue {
  const n = Number(ctx.params.issue_number);
  const issue = ctx.repo.issues.get(n);
  if (!issue) return notFound();
  if (issue.deleted) return fail(410, 'This issue was deleted');
  if (issue.transferredTo) {
    const url = `${ctx.baseUrl}/repositories/${issue.transferredTo.repoId}/issues/${issue.transferredTo.number}${suffix}`;
    // 301 to reads; 307 to everything else, so a client that follows it repeats the method and body
    // (a 301 would turn a POST into a GET). README: behaviour → source.
    const read = ctx.method === 'GET' || ctx.method === 'HEAD';
    if (!read && ctx.state.transferredWrites === 404) return notFound();
    throw new ApiError(
      read ? 301 : 307,
      {
        message: read ? 'Moved Permanently' : 'Temporary Redirect',
        url,
        documentation_url: 'https://docs.github.com/v3/#http-redirects',
      },
      { location: url },
    );
  }
  return issue;
}

function labelNames(v: unknown): string[] {
  const list = Array.isArray(v) ? v : [];
  return list
    .map((x) => (typeof x === 'string' ? x : str((x as Record<string, unknown> | null)?.name)))
    .filter((x): x is string => typeof x === 'string' && x.length > 0);
}

function setIssueLabels(ctx: Ctx, issue: Issue, names: string[]): void {
  const seen = new Set<string>();
  issue.labels = [];
  for (const n of names) {
    const label = ensureLabel(ctx, ctx.repo, n);
    if (seen.has(label.name.toLowerCase())) continue;
    seen.add(label.name.toLowerCase());
    issue.labels.push(label.name);
  }
}

const getIssue: Handler = (ctx) => ({ status: 200, body: issueJson(ctx, ctx.repo, loadIssue(ctx)) });

const updateIssue: Handler = (ctx) => {
  const issue = loadIssue(ctx);
  const b = bodyOf(ctx);
  const now = ctx.state.now();
  if (typeof b.title === 'string' || typeof b.title === 'number') issue.title = String(b.title);
  if ('body' in b) issue.body = str(b.body) ?? null;
  if (b.state === 'closed' && issue.state !== 'closed') {
    issue.state = 'closed';
    issue.closedAt = now;
    issue.stateReason = str(b.state_reason) ?? 'completed';
  } else if (b.state === 'open' && issue.state !== 'open') {
    issue.state = 'open';
    issue.closedAt = null;
    issue.stateReason = 'reopened';
  } else if (typeof b.state_reason === 'string' && issue.state === 'closed') {
    issue.stateReason = b.state_reason;
  }
  if (Array.isArray(b.labels)) setIssueLabels(ctx, issue, labelNames(b.labels));
  issue.updatedAt = now;
  return { status: 200, body: issueJson(ctx, ctx.repo, issue) };
};

const listIssues: Handler = (ctx) => {
  const state = ctx.query.state ?? 'open';
  const wanted = (ctx.query.labels ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const since = ctx.query.since ? Date.parse(ctx.query.since) : undefined;
  const sort = ctx.query.sort === 'updated' ? 'updatedAt' : 'createdAt';
  const asc = ctx.query.direction === 'asc';
  const items = [...ctx.repo.issues.values()]
    .filter((i) => !i.deleted && !i.transferredTo)
    .filter((i) => state === 'all' || i.state === state)
    .filter((i) => wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w)))
    .filter((i) => since === undefined || i.updatedAt >= since)
    .sort((a, b) => (asc ? 1 : -1) * (a[sort] - b[sort] || a.number - b.number));
  const { page, headers } = paginate(ctx, items, '/issues');
  return { status: 200, body: page.map((i) => issueJson(ctx, ctx.repo, i)), headers };
};

const issueLabelsReply = (ctx: Ctx, issue: Issue, status = 200): Reply => ({
  status,
  body: issue.labels.map((n) => labelJson(ctx, ctx.repo, ensureLabel(ctx, ctx.repo, n))),
});

const listIssueLabels: Handler = (ctx) => {
  const issue = loadIssue(ctx, '/labels');
  const { page, headers } = paginate(ctx, issue.labels, `/issues/${issue.number}/labels`);
  return {
    status: 200,
    body: page.map((n) => labelJson(ctx, ctx.repo, ensureLabel(ctx, ctx.repo, n))),
    headers,
  };
};

const addLabels: Handler = (ctx) => {
  const issue = loadIssue(ctx, '/labels');
  const b = ctx.body;
  const names = labelNames(Array.isArray(b) ? b : bodyOf(ctx).labels);
  setIssueLabels(ctx, issue, [...issue.labels, ...names]);
  issue.updatedAt = ctx.state.now();
  return issueLabelsReply(ctx, issue);
};

const removeLabel: Handler = (ctx) => {
  const issue = loadIssue(ctx, '/labels');
  const name = (ctx.params.name ?? '').toLowerCase();
  const idx = issue.labels.findIndex((l) => l.toLowerCase() === name);
  if (idx < 0) return notFound('Label does not exist');
  issue.labels.splice(idx, 1);
  issue.updatedAt = ctx.state.now();
  return issueLabelsReply(ctx, issue);
};

const createLabel: Handler = (ctx) => {
  const b = bodyOf(ctx);
  const name = str(b.name) ?? '';
  if (ctx.repo.labels.has(name.toLowerCase())) {
    return validationFailed([{ resource: 'Label', code: 'already_exists', field: 'name' }]);
  }
  const color = (str(b.color) ?? 'ededed').replace(/^#/, '');
  if (!/^[0-9a-fA-F]{6}$/.test(color)) {
    return validationFailed([{ resource: 'Label', code: 'invalid', field: 'color' }]);
  }
  const label: Label = { id: ctx.state.nextId(), name, color, description: str(b.description) ?? null };
  ctx.repo.labels.set(name.toLowerCase(), label);
  return { status: 201, body: labelJson(ctx, ctx.repo, label) };
};

const getLabel: Handler = (ctx) => {
  const label = ctx.repo.labels.get((ctx.params.name ?? '').toLowerCase());
  return label ? { status: 200, body: labelJson(ctx, ctx.repo, label) } : notFound();
};

export const issueHandlers: Record<string, Handler> = {
  'issues/get': getIssue,
  'issues/update': updateIssue,
  'issues/list-for-repo': listIssues,
  'issues/list-labels-on-issue': listIssueLabels,
  'issues/add-labels': addLabels,
  'issues/remove-label': removeLabel,
  'issues/create-label': createLabel,
  'issues/get-label': getLabel,
};
