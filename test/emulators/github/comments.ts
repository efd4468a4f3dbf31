/** Issue comments (with GitHub's pagination and body limit) and reactions on them. */
import { ApiError, fail, notFound } from './errors.js';
import { commentTooLongBody } from './faults.js';
import { loadIssue } from './issues.js';
import { paginate } from './pagination.js';
import {
  bodyOf,
  iso,
  nodeId,
  str,
  userJson,
  type Comment,
  type Ctx,
  type Handler,
  type Repo,
} from './repo-state.js';

export const MAX_BODY = 65_536;

export function commentJson(ctx: Pick<Ctx, 'state' | 'baseUrl'>, repo: Repo, c: Comment) {
  return {
    id: c.id,
    node_id: nodeId('IC', c.id),
    url: `${ctx.baseUrl}/repos/${repo.fullName}/issues/comments/${c.id}`,
    html_url: `https://github.com/${repo.fullName}/issues/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${ctx.baseUrl}/repos/${repo.fullName}/issues/${c.issueNumber}`,
    body: c.body,
    user: userJson(ctx.state, c.user, ctx.baseUrl),
    created_at: iso(c.createdAt),
    updated_at: iso(c.updatedAt),
    author_association: c.authorAssociation,
    performed_via_github_app: null,
    reactions: reactionSummary(ctx, repo, c),
  };
}

function reactionSummary(ctx: Pick<Ctx, 'baseUrl'>, repo: Repo, c: Comment) {
  const count = (content: string) => c.reactions.filter((r) => r.content === content).length;
  return {
    url: `${ctx.baseUrl}/repos/${repo.fullName}/issues/comments/${c.id}/reactions`,
    total_count: c.reactions.length,
    '+1': count('+1'),
    '-1': count('-1'),
    laugh: count('laugh'),
    hooray: count('hooray'),
    confused: count('confused'),
    heart: count('heart'),
    rocket: count('rocket'),
    eyes: count('eyes'),
  };
}

/** GitHub counts characters (code points), not UTF-16 units. */
function checkBody(body: string): void {
  if ([...body].length > MAX_BODY) throw new ApiError(422, commentTooLongBody());
}

const listComments: Handler = (ctx) => {
  const issue = loadIssue(ctx, '/comments');
  const since = ctx.query.since ? Date.parse(ctx.query.since) : undefined;
  const items = [...ctx.repo.comments.values()]
    .filter((c) => c.issueNumber === issue.number && (since === undefined || c.updatedAt >= since))
    .sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  const { page, headers } = paginate(ctx, items, `/issues/${issue.number}/comments`);
  return { status: 200, body: page.map((c) => commentJson(ctx, ctx.repo, c)), headers };
};

const createComment: Handler = (ctx) => {
  const issue = loadIssue(ctx, '/comments');
  // The workflow's token is not one of the "people with write access" who may comment on a locked
  // conversation (README: behaviour → source).
  if (issue.locked === true) {
    fail(403, 'Unable to create comment because issue is locked.');
  }
  const body = str(bodyOf(ctx).body) ?? '';
  checkBody(body);
  const now = ctx.state.now();
  const c: Comment = {
    id: ctx.state.nextId(),
    issueNumber: issue.number,
    body,
    user: ctx.login,
    authorAssociation: ctx.repo.associationOf(ctx.login),
    createdAt: now,
    updatedAt: now,
    reactions: [],
  };
  ctx.repo.comments.set(c.id, c);
  issue.updatedAt = now;
  return {
    status: 201,
    body: commentJson(ctx, ctx.repo, c),
    headers: { location: `${ctx.baseUrl}/repos/${ctx.repo.fullName}/issues/comments/${c.id}` },
  };
};

function loadComment(ctx: Ctx): Comment {
  const c = ctx.repo.comments.get(Number(ctx.params.comment_id));
  return c ?? notFound();
}

const getComment: Handler = (ctx) => ({ status: 200, body: commentJson(ctx, ctx.repo, loadComment(ctx)) });

const updateComment: Handler = (ctx) => {
  const c = loadComment(ctx);
  const body = str(bodyOf(ctx).body) ?? '';
  checkBody(body);
  c.body = body;
  c.updatedAt = ctx.state.now();
  return { status: 200, body: commentJson(ctx, ctx.repo, c) };
};

const deleteComment: Handler = (ctx) => {
  const c = loadComment(ctx);
  ctx.repo.comments.delete(c.id);
  return { status: 204 };
};

const createReaction: Handler = (ctx) => {
  const c = loadComment(ctx);
  const content = str(bodyOf(ctx).content) ?? '';
  // Reacting twice with the same content is idempotent: GitHub answers 200 with the existing reaction.
  let r = c.reactions.find((x) => x.user === ctx.login && x.content === content);
  const status = r ? 200 : 201;
  if (!r) {
    r = { id: ctx.state.nextId(), user: ctx.login, content, createdAt: ctx.state.now() };
    c.reactions.push(r);
  }
  return {
    status,
    body: {
      id: r.id,
      node_id: nodeId('REA', r.id),
      user: userJson(ctx.state, r.user, ctx.baseUrl),
      content: r.content,
      created_at: iso(r.createdAt),
    },
  };
};

export const commentHandlers: Record<string, Handler> = {
  'issues/list-comments': listComments,
  'issues/create-comment': createComment,
  'issues/get-comment': getComment,
  'issues/update-comment': updateComment,
  'issues/delete-comment': deleteComment,
  'reactions/create-for-issue-comment': createReaction,
};
