/**
 * The answers the product branches on, as GitHub gives them (README: behaviour → source): redirects
 * of transferred issues by method, repository-scoped tokens, GITHUB_TOKEN's per-repository limits,
 * files over 1 MB, signed commits and rulesets, lagging ref reads.
 */
import { getOctokit } from '@actions/github';
import { afterEach, describe, expect, it } from 'vitest';
import type { GitHubEmulator } from './index.js';
import { failure, NAME, OWNER, raw, READ_TOKEN, REPO, setup, TOKEN, type Octokit } from './testing.js';

const o = { owner: OWNER, repo: NAME };
let gh: GitHubEmulator;
let octokit: Octokit;
let advance: (ms: number) => void;

async function start(files?: Record<string, string>) {
  ({ gh, octokit, advance } = await setup(files));
}

afterEach(async () => {
  await gh.close();
});

describe('transferred issues', () => {
  it('answers 301 to GET and 307 to other methods; a followed POST stays a POST', async () => {
    await start();
    gh.createRepo('octo-org/elsewhere');
    gh.seedIssue(REPO, { title: 'moving' });
    gh.transferIssue(REPO, 1, 'octo-org/elsewhere');
    expect((await raw(gh, 'GET', `/repos/${REPO}/issues/1/comments`)).status).toBe(301);
    const post = await raw(gh, 'POST', `/repos/${REPO}/issues/1/comments`, { body: { body: 'hi' } });
    expect(post.status).toBe(307);
    expect(post.body).toMatchObject({ message: 'Temporary Redirect' });
    const created = await octokit.rest.issues.createComment({ ...o, issue_number: 1, body: 'hi' });
    expect(created.status).toBe(201);
    expect(
      gh
        .repo('octo-org/elsewhere')
        .comments(1)
        .map((c) => c.body),
    ).toEqual(['hi']);
  });

  it('a token scoped to the old repository sees 404 where the issue went private', async () => {
    await start();
    gh.createRepo('octo-org/private-home', { private: true });
    gh.seedIssue(REPO, { title: 'moving' });
    gh.transferIssue(REPO, 1, 'octo-org/private-home');
    gh.addToken('ghs_scoped', { repositories: [REPO] });
    const scoped = getOctokit('ghs_scoped', { baseUrl: gh.url });
    expect((await failure(scoped.rest.issues.get({ ...o, issue_number: 1 }))).status).toBe(404);
    expect(
      (await failure(scoped.rest.issues.createComment({ ...o, issue_number: 1, body: 'x' }))).status,
    ).toBe(404);
  });
});

describe('GITHUB_TOKEN limits, per repository', () => {
  it('counts 1,000 requests an hour for the repository, whichever installation token asks', async () => {
    await start();
    gh.addToken('ghs_run1', { repositories: [REPO] });
    gh.addToken('ghs_run2', { repositories: [REPO] });
    const first = await raw(gh, 'GET', `/repos/${REPO}`, { token: 'ghs_run1' });
    expect(first.headers.get('x-ratelimit-limit')).toBe('1000');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('999');
    const second = await raw(gh, 'GET', `/repos/${REPO}`, { token: 'ghs_run2' });
    expect(second.headers.get('x-ratelimit-used')).toBe('2');
    expect((await raw(gh, 'GET', `/repos/${REPO}`)).headers.get('x-ratelimit-limit')).toBe('5000');
  });

  it('answers the 81st content-creating request of a minute with the secondary limit', async () => {
    await start();
    gh.seedIssue(REPO, { title: 'busy' });
    gh.addToken('ghs_run', { repositories: [REPO] });
    for (let i = 0; i < 80; i++) {
      const ok = await raw(gh, 'POST', `/repos/${REPO}/issues/1/comments`, {
        token: 'ghs_run',
        body: { body: `c${i}` },
      });
      expect(ok.status).toBe(201);
    }
    advance(10_000);
    const limited = await raw(gh, 'POST', `/repos/${REPO}/issues/1/comments`, {
      token: 'ghs_run',
      body: { body: 'one too many' },
    });
    expect(limited.status).toBe(403);
    expect(limited.headers.get('retry-after')).toBe('50');
    expect((limited.body as { message: string }).message).toMatch(
      /^You have exceeded a secondary rate limit and have been temporarily blocked from content creation\. /,
    );
    gh.setRateLimitStatus(429);
    const again = await raw(gh, 'POST', `/repos/${REPO}/issues/1/comments`, {
      token: 'ghs_run',
      body: { body: 'still too many' },
    });
    expect(again.status).toBe(429);
    advance(50_000);
    const reads = await raw(gh, 'GET', `/repos/${REPO}/issues/1`, { token: 'ghs_run' });
    expect(reads.status).toBe(200);
    const later = await raw(gh, 'POST', `/repos/${REPO}/issues/1/comments`, {
      token: 'ghs_run',
      body: { body: 'a minute later' },
    });
    expect(later.status).toBe(201);
  });
});

describe('files over 1 MB', () => {
  const big = `${'x'.repeat(1024 * 1024)}tail\n`;

  it('answers empty content as JSON (or the historical 403 too_large); raw always works', async () => {
    await start({ 'farm.json': big });
    const empty = await octokit.rest.repos.getContent({ ...o, path: 'farm.json' });
    expect(empty.data).toMatchObject({ content: '', encoding: 'none' });
    gh.setLargeFileAnswer('too_large');
    const refused = await failure(octokit.rest.repos.getContent({ ...o, path: 'farm.json' }));
    expect(refused.status).toBe(403);
    expect(refused.data).toMatchObject({
      errors: [{ resource: 'Blob', field: 'data', code: 'too_large' }],
    });
    const text = await octokit.rest.repos.getContent({
      ...o,
      path: 'farm.json',
      mediaType: { format: 'raw' },
    });
    const data: unknown = text.data;
    const body = typeof data === 'string' ? data : Buffer.from(data as ArrayBuffer).toString('utf8');
    expect(body).toBe(big);
  });
});

describe('signed commits, rulesets and lagging reads', () => {
  async function commitOnMain(author?: { name: string; email: string }): Promise<string> {
    const head = (await octokit.rest.git.getRef({ ...o, ref: 'heads/main' })).data.object.sha;
    const base = (await octokit.rest.git.getCommit({ ...o, commit_sha: head })).data.tree.sha;
    const tree = await octokit.rest.git.createTree({
      ...o,
      base_tree: base,
      tree: [{ path: 'f.txt', mode: '100644', type: 'blob', content: String(Math.random()) }],
    });
    const commit = await octokit.rest.git.createCommit({
      ...o,
      message: 'm',
      tree: tree.data.sha,
      parents: [head],
      ...(author === undefined ? {} : { author }),
    });
    return commit.data.sha;
  }

  it('signs a bot commit without custom author; a signed-commits rule rejects the others', async () => {
    await start({ 'a.txt': 'a' });
    gh.addBranchRule(REPO, 'main', 'signed_commits');
    const custom = await commitOnMain({ name: 'someone', email: 'someone@example.com' });
    expect(gh.isVerified(REPO, custom)).toBe(false);
    const rejected = await failure(octokit.rest.git.updateRef({ ...o, ref: 'heads/main', sha: custom }));
    expect(rejected.status).toBe(422);
    expect(rejected.data.message).toBe(
      'Repository rule violations found\n\nCommits must have verified signatures.\n\n',
    );
    const signed = await commitOnMain();
    expect(gh.isVerified(REPO, signed)).toBe(true);
    const commit = await octokit.rest.git.getCommit({ ...o, commit_sha: signed });
    expect(commit.data.verification).toMatchObject({ verified: true, reason: 'valid' });
    await octokit.rest.git.updateRef({ ...o, ref: 'heads/main', sha: signed });
    expect(gh.repo(REPO).headSha()).toBe(signed);
  });

  it('answers a pull-request rule with its wording, as 409 when asked', async () => {
    await start({ 'a.txt': 'a' });
    gh.addBranchRule(REPO, 'main', 'pull_request', { status: 409 });
    const sha = await commitOnMain();
    const rejected = await failure(octokit.rest.git.updateRef({ ...o, ref: 'heads/main', sha }));
    expect(rejected.status).toBe(409);
    expect(rejected.data.message).toBe(
      'Repository rule violations found\n\nChanges must be made through a pull request.\n\n',
    );
  });

  it('lets ref reads trail a write by the configured number of reads', async () => {
    await start({ 'a.txt': 'a' });
    const before = gh.repo(REPO).headSha();
    gh.lagRefReads(REPO, 2);
    const sha = await commitOnMain();
    await octokit.rest.git.updateRef({ ...o, ref: 'heads/main', sha });
    const read = async () => (await octokit.rest.git.getRef({ ...o, ref: 'heads/main' })).data.object.sha;
    expect([await read(), await read(), await read()]).toEqual([before, before, sha]);
  });
});

describe('tokens', () => {
  it('keeps the default test token unscoped', async () => {
    await start();
    expect((await raw(gh, 'GET', `/repos/${REPO}`, { token: TOKEN })).status).toBe(200);
  });

  it('names the permission a refused write needed, and refuses permission checks without push access', async () => {
    await start();
    gh.seedIssue(REPO, { title: 't' });
    const refused = await raw(gh, 'POST', `/repos/${REPO}/issues/1/comments`, {
      token: READ_TOKEN,
      body: { body: 'x' },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-accepted-github-permissions')).toBe('issues=write; pull_requests=write');
    const check = await raw(gh, 'GET', `/repos/${REPO}/collaborators/octocat/permission`, {
      token: READ_TOKEN,
    });
    expect(check.status).toBe(403);
    expect(check.body).toMatchObject({ message: 'Must have push access to view collaborator permission.' });
  });

  it('can answer writes to a transferred issue with 404 instead of 307', async () => {
    await start();
    gh.createRepo('octo-org/elsewhere');
    gh.seedIssue(REPO, { title: 'moving' });
    gh.transferIssue(REPO, 1, 'octo-org/elsewhere');
    gh.setTransferredWrites(404);
    expect((await raw(gh, 'POST', `/repos/${REPO}/issues/1/comments`, { body: { body: 'x' } })).status).toBe(
      404,
    );
    expect((await raw(gh, 'GET', `/repos/${REPO}/issues/1`)).status).toBe(301);
  });
});
