import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubEmulator } from './index.js';
import { failure, NAME, OWNER, raw, REPO, setup, type Octokit } from './testing.js';

let gh: GitHubEmulator;
let octokit: Octokit;
const o = { owner: OWNER, repo: NAME };

interface Example {
  action: string;
  repository: { full_name: string };
  issue: {
    number: number;
    title: string;
    body: string | null;
    author_association: string;
    user: { login: string };
  };
}
const examples =
  (
    createRequire(import.meta.url)('@octokit/webhooks-examples/api.github.com/index.json') as Array<{
      name: string;
      examples: Example[];
    }>
  ).find((e) => e.name === 'issues')?.examples ?? [];
const example = (action: string): Example => {
  const e = examples.find((x) => x.action === action);
  if (!e) throw new Error(`no ${action} example`);
  return e;
};

beforeEach(async () => {
  ({ gh, octokit } = await setup());
  gh.seedIssue(REPO, {
    number: 5,
    title: 'Sandbox please',
    body: 'details',
    user: 'alice',
    labels: ['sandbox'],
  });
});
afterEach(() => gh.close());

describe('comments', () => {
  it('paginates 250 comments in 3 pages of 100 with GitHub Link rels', async () => {
    gh.seedComments(REPO, 5, 250, (i) => `c${i}`);
    const path = `/repos/${REPO}/issues/5/comments?per_page=100`;
    const first = await raw(gh, 'GET', path);
    expect((first.body as unknown[]).length).toBe(100);
    const link1 = first.headers.get('link') ?? '';
    expect(link1).toMatch(/page=2>; rel="next", <[^>]*page=3>; rel="last"$/);
    expect(link1).not.toContain('rel="prev"');
    const second = await raw(gh, 'GET', `${path}&page=2`);
    const rels2 = [...(second.headers.get('link') ?? '').matchAll(/page=(\d+)>; rel="(\w+)"/g)].map(
      (m) => `${m[2]}=${m[1]}`,
    );
    expect(rels2).toEqual(['prev=1', 'next=3', 'last=3', 'first=1']);
    const third = await raw(gh, 'GET', `${path}&page=3`);
    expect((third.body as unknown[]).length).toBe(50);
    expect(third.headers.get('link')).toMatch(/rel="prev", .*rel="first"$/);
    const clamped = await raw(gh, 'GET', `/repos/${REPO}/issues/5/comments?per_page=500`);
    expect((clamped.body as unknown[]).length).toBe(100);
    expect(((await raw(gh, 'GET', `/repos/${REPO}/issues/5/comments`)).body as unknown[]).length).toBe(30);

    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      ...o,
      issue_number: 5,
      per_page: 100,
    });
    expect(all.map((c) => c.body)).toEqual(Array.from({ length: 250 }, (_, i) => `c${i}`));
    expect(
      gh.requests
        .filter((r) => r.operationId === 'issues/list-comments')
        .slice(-3)
        .map((r) => r.status),
    ).toEqual([200, 200, 200]);
  });

  it('filters by since and creates comments with GitHub fields', async () => {
    gh.seedComments(REPO, 5, 3);
    const created = await octokit.rest.issues.createComment({ ...o, issue_number: 5, body: 'hello' });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      body: 'hello',
      user: { login: 'github-actions[bot]', type: 'Bot' },
      author_association: 'NONE',
      html_url: `https://github.com/${REPO}/issues/5#issuecomment-${created.data.id}`,
    });
    expect(created.data.node_id).toBeTruthy();
    expect(created.data.created_at).toBe('2025-03-01T12:00:00Z');
    const since = await octokit.rest.issues.listComments({
      ...o,
      issue_number: 5,
      since: '2025-03-01T12:00:00Z',
    });
    expect(since.data.map((c) => c.body)).toEqual(['hello']);
    expect((await octokit.rest.issues.get({ ...o, issue_number: 5 })).data.comments).toBe(4);
  });

  it('gets, updates and deletes by id; 404 once gone', async () => {
    const { data } = await octokit.rest.issues.createComment({ ...o, issue_number: 5, body: 'status v1' });
    const ref = { ...o, comment_id: data.id };
    expect((await octokit.rest.issues.getComment(ref)).data.body).toBe('status v1');
    const updated = await octokit.rest.issues.updateComment({ ...ref, body: 'status v2' });
    expect(updated.data.body).toBe('status v2');
    expect(
      gh
        .repo(REPO)
        .comments(5)
        .map((c) => c.body),
    ).toEqual(['status v2']);
    expect((await octokit.rest.issues.deleteComment(ref)).status).toBe(204);
    expect((await failure(octokit.rest.issues.getComment(ref))).status).toBe(404);
    expect((await failure(octokit.rest.issues.updateComment({ ...ref, body: 'x' }))).status).toBe(404);
  });

  it('adds reactions: 201 first, 200 for the same reaction again', async () => {
    const { data } = await octokit.rest.issues.createComment({ ...o, issue_number: 5, body: 'x' });
    const r1 = await octokit.rest.reactions.createForIssueComment({
      ...o,
      comment_id: data.id,
      content: 'rocket',
    });
    const r2 = await octokit.rest.reactions.createForIssueComment({
      ...o,
      comment_id: data.id,
      content: 'rocket',
    });
    expect([r1.status, r2.status, r2.data.id]).toEqual([201, 200, r1.data.id]);
    const bad = await failure(
      octokit.rest.reactions.createForIssueComment({ ...o, comment_id: data.id, content: 'party' as never }),
    );
    expect(bad.status).toBe(422);
  });
});

describe('issues and labels', () => {
  it('gets, closes, reopens, relabels and lists issues', async () => {
    const got = await octokit.rest.issues.get({ ...o, issue_number: 5 });
    expect(got.data).toMatchObject({
      number: 5,
      state: 'open',
      user: { login: 'alice' },
      author_association: 'NONE',
    });
    const closed = await octokit.rest.issues.update({
      ...o,
      issue_number: 5,
      state: 'closed',
      state_reason: 'not_planned',
    });
    expect(closed.data).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(closed.data.closed_at).toBe('2025-03-01T12:00:00Z');
    const reopened = await octokit.rest.issues.update({
      ...o,
      issue_number: 5,
      state: 'open',
      labels: ['a', 'B'],
    });
    expect(reopened.data).toMatchObject({ state: 'open', state_reason: 'reopened', closed_at: null });
    expect(reopened.data.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['a', 'B']);
    gh.seedIssue(REPO, { title: 'closed one', state: 'closed', labels: ['a'] });
    const open = await octokit.rest.issues.listForRepo(o);
    expect(open.data.map((i) => i.number)).toEqual([5]);
    const all = await octokit.rest.issues.listForRepo({ ...o, state: 'all', labels: 'a' });
    expect(all.data.map((i) => i.number).sort()).toEqual([5, 6]);
    expect((await failure(octokit.rest.issues.get({ ...o, issue_number: 99 }))).status).toBe(404);
  });

  it('creates labels (case-insensitive duplicates → 422), adds and removes them on issues', async () => {
    const created = await octokit.rest.issues.createLabel({
      ...o,
      name: 'sandbox:live',
      color: '0e8a16',
      description: 'live',
    });
    expect(created.status).toBe(201);
    const dup = await failure(
      octokit.rest.issues.createLabel({ ...o, name: 'SANDBOX:LIVE', color: '000000' }),
    );
    expect(dup.status).toBe(422);
    expect(dup.data).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
    });
    expect((await octokit.rest.issues.getLabel({ ...o, name: 'sandbox:live' })).data.color).toBe('0e8a16');
    expect((await failure(octokit.rest.issues.getLabel({ ...o, name: 'ghost' }))).status).toBe(404);

    const added = await octokit.rest.issues.addLabels({
      ...o,
      issue_number: 5,
      labels: ['sandbox:live', 'brand-new'],
    });
    expect(added.data.map((l) => l.name)).toEqual(['sandbox', 'sandbox:live', 'brand-new']);
    expect(
      gh
        .repo(REPO)
        .labels()
        .map((l) => l.name),
    ).toContain('brand-new');
    const listed = await octokit.rest.issues.listLabelsOnIssue({ ...o, issue_number: 5 });
    expect(listed.data).toHaveLength(3);
    const removed = await octokit.rest.issues.removeLabel({ ...o, issue_number: 5, name: 'sandbox:live' });
    expect(removed.data.map((l) => l.name)).toEqual(['sandbox', 'brand-new']);
    const notOn = await failure(
      octokit.rest.issues.removeLabel({ ...o, issue_number: 5, name: 'sandbox:live' }),
    );
    expect([notOn.status, notOn.data.message]).toEqual([404, 'Label does not exist']);
  });

  it('answers 410 Gone for a deleted issue', async () => {
    gh.deleteIssue(REPO, 5);
    const gone = await failure(octokit.rest.issues.get({ ...o, issue_number: 5 }));
    expect(gone.status).toBe(410);
    expect(gone.data).toMatchObject({ message: 'This issue was deleted', status: '410' });
    expect(
      (await failure(octokit.rest.issues.createComment({ ...o, issue_number: 5, body: 'x' }))).status,
    ).toBe(410);
  });

  it('answers 301 to a GET of a transferred issue; Octokit follows it to the new issue', async () => {
    gh.createRepo('octo-org/elsewhere');
    gh.seedIssue('octo-org/elsewhere', { title: 'existing' });
    gh.seedComments(REPO, 5, 2);
    gh.transferIssue(REPO, 5, 'octo-org/elsewhere');
    const moved = await raw(gh, 'GET', `/repos/${REPO}/issues/5`);
    expect(moved.status).toBe(301);
    const location = moved.headers.get('location') ?? '';
    expect(location).toMatch(/\/repositories\/\d+\/issues\/2$/);
    expect(moved.body).toMatchObject({ message: 'Moved Permanently', url: location });
    const followed = await octokit.rest.issues.get({ ...o, issue_number: 5 });
    expect(followed.data).toMatchObject({ number: 2, title: 'Sandbox please', comments: 2 });
    expect(gh.repo(REPO).issue(5)?.transferred_to).toBe('octo-org/elsewhere#2');
  });
});

describe('seeding from real webhook payloads', () => {
  it('mirrors repository and issue of opened/labeled/deleted/transferred payloads', async () => {
    for (const action of ['opened', 'reopened', 'labeled', 'deleted', 'transferred']) {
      const payload = example(action);
      const { repo, issueNumber } = gh.seedFromWebhookPayload(payload);
      expect(repo).toBe(payload.repository.full_name);
      expect(issueNumber).toBe(payload.issue.number);
      const { data } = await octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', {
        owner: repo.split('/')[0] ?? '',
        repo: repo.split('/')[1] ?? '',
        issue_number: issueNumber,
      });
      expect(data).toMatchObject({
        number: payload.issue.number,
        title: payload.issue.title,
        body: payload.issue.body,
        author_association: payload.issue.author_association,
        user: { login: payload.issue.user.login },
      });
    }
    const labeled = example('labeled');
    expect(gh.repo(labeled.repository.full_name).issue(1)?.author_association).toBe('OWNER');
    expect(gh.repo(labeled.repository.full_name).labels()).toContainEqual(
      expect.objectContaining({ name: 'bug', color: 'd73a4a' }) as unknown,
    );
    expect(gh.repo(example('deleted').repository.full_name).issue(1)?.state).toBe('closed');
  });

  it('computes author_association for API comments from ownership and collaborators', async () => {
    gh.addToken('ghp_owner', { login: OWNER });
    gh.addToken('ghp_collab', { login: 'bob' });
    gh.addCollaborator(REPO, 'bob', 'write');
    const { getOctokit } = await import('@actions/github');
    const asOwner = await getOctokit('ghp_owner', { baseUrl: gh.url }).rest.issues.createComment({
      ...o,
      issue_number: 5,
      body: 'o',
    });
    const asBob = await getOctokit('ghp_collab', { baseUrl: gh.url }).rest.issues.createComment({
      ...o,
      issue_number: 5,
      body: 'b',
    });
    expect([asOwner.data.author_association, asBob.data.author_association]).toEqual([
      'OWNER',
      'COLLABORATOR',
    ]);
  });
});
