import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubEmulator } from './index.js';
import { failure, raw, REPO, setup } from './testing.js';

const ADMIN = 'ghp_ownerTokenForTests0003';
const CLASSIC = 'ghp_classicTokenForTests04';
const INSTALLATION = 'ghs_installationForTests05';
let gh: GitHubEmulator;

beforeEach(async () => {
  ({ gh } = await setup());
  gh.addToken(ADMIN, { login: 'octo-org' }); // the owner
  gh.addToken(CLASSIC, { login: 'octo-org', scopes: ['repo', 'read:org'] });
  gh.addToken(INSTALLATION, { repositories: [REPO] });
});
afterEach(() => gh.close());

describe('workflow permissions, branch rules and branch protection', () => {
  it('answers the workflow permissions to an admin, and refuses others (403, or 404 by the switch)', async () => {
    const path = `/repos/${REPO}/actions/permissions/workflow`;
    expect((await raw(gh, 'GET', path, { token: ADMIN })).body).toEqual({
      default_workflow_permissions: 'read',
      can_approve_pull_request_reviews: false,
    });
    gh.setWorkflowPermissions(REPO, 'write', true);
    expect((await raw(gh, 'GET', path, { token: ADMIN })).body).toMatchObject({
      default_workflow_permissions: 'write',
      can_approve_pull_request_reviews: true,
    });
    const bot = await raw(gh, 'GET', path);
    expect(bot.status).toBe(403);
    expect(bot.body).toMatchObject({ message: 'Must have admin rights to Repository.' });
    const installation = await raw(gh, 'GET', path, { token: INSTALLATION });
    expect(installation.status).toBe(403);
    expect(installation.body).toMatchObject({ message: 'Resource not accessible by integration' });
    gh.setAdminReadRefusal(404);
    expect((await raw(gh, 'GET', path)).status).toBe(404);
  });

  it('lists the rules of a branch to any reader, in GitHub’s rule types, for branch names with a slash too', async () => {
    gh.addBranchRule(REPO, 'main', 'pull_request');
    gh.addBranchRule(REPO, 'main', 'signed_commits');
    gh.addBranchRule(REPO, 'farm/data', 'non_fast_forward');
    const main = await raw(gh, 'GET', `/repos/${REPO}/rules/branches/main`);
    expect(main.status).toBe(200);
    expect((main.body as Array<{ type: string }>).map((r) => r.type)).toEqual([
      'pull_request',
      'required_signatures',
    ]);
    expect((main.body as Array<Record<string, unknown>>)[0]).toMatchObject({
      ruleset_source_type: 'Repository',
      ruleset_source: REPO,
    });
    const nested = await raw(gh, 'GET', `/repos/${REPO}/rules/branches/farm%2Fdata`);
    expect((nested.body as Array<{ type: string }>).map((r) => r.type)).toEqual(['non_fast_forward']);
    expect((await raw(gh, 'GET', `/repos/${REPO}/rules/branches/other`)).body).toEqual([]);
    // Validated against the description like every route.
    const bad = await raw(gh, 'GET', `/repos/${REPO}/rules/branches/main?per_page=lots`);
    expect(bad.status).toBe(422);
  });

  it('answers classic protection to an admin: 404 `Branch not protected`, or the settings a wording stands for', async () => {
    const path = `/repos/${REPO}/branches/main/protection`;
    const none = await raw(gh, 'GET', path, { token: ADMIN });
    expect(none.status).toBe(404);
    expect(none.body).toMatchObject({ message: 'Branch not protected' });
    gh.protectBranch(REPO, 'main', { wording: 'required_status_check' });
    const checks = await raw(gh, 'GET', path, { token: ADMIN });
    expect(checks.status).toBe(200);
    expect(checks.body).toMatchObject({ required_status_checks: { contexts: ['ci/build'] } });
    expect(checks.body).not.toHaveProperty('required_pull_request_reviews');
    expect((await raw(gh, 'GET', path)).status).toBe(403);
  });

  it('sends x-oauth-scopes for a classic token only, and hides repos/get permissions from installations by the switch', async () => {
    const classic = await raw(gh, 'GET', `/repos/${REPO}`, { token: CLASSIC });
    expect(classic.headers.get('x-oauth-scopes')).toBe('repo, read:org');
    expect((await raw(gh, 'GET', `/repos/${REPO}`)).headers.get('x-oauth-scopes')).toBeNull();
    const shown = await raw(gh, 'GET', `/repos/${REPO}`, { token: INSTALLATION });
    expect(shown.body).toHaveProperty('permissions');
    gh.setInstallationRepoPermissions('omitted');
    const hidden = await raw(gh, 'GET', `/repos/${REPO}`, { token: INSTALLATION });
    expect(hidden.body).not.toHaveProperty('permissions');
    expect(hidden.body).toHaveProperty('default_branch', 'main');
  });

  it('a listed-only rule does not refuse ref updates, while a pull-request rule still does', async () => {
    gh.addBranchRule(REPO, 'main', 'required_linear_history');
    const head = gh.repo(REPO).headSha();
    const octokit = getOctokit(ADMIN, { baseUrl: gh.url });
    const commit = await octokit.rest.git.createCommit({
      owner: 'octo-org',
      repo: 'sandbox',
      message: 'x',
      tree: (await octokit.rest.git.getCommit({ owner: 'octo-org', repo: 'sandbox', commit_sha: head })).data
        .tree.sha,
      parents: [head],
    });
    await octokit.rest.git.updateRef({
      owner: 'octo-org',
      repo: 'sandbox',
      ref: 'heads/main',
      sha: commit.data.sha,
    });
    gh.addBranchRule(REPO, 'main', 'pull_request');
    const refused = await failure(
      octokit.rest.git.updateRef({
        owner: 'octo-org',
        repo: 'sandbox',
        ref: 'heads/main',
        sha: head,
        force: true,
      }),
    );
    expect(refused.status).toBe(422);
  });
});
