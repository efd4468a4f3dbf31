import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubEmulator } from './index.js';
import { failure, NAME, OWNER, REPO, setup, type Octokit } from './testing.js';

let gh: GitHubEmulator;
let octokit: Octokit;
const o = { owner: OWNER, repo: NAME };

beforeEach(async () => {
  ({ gh, octokit } = await setup());
  gh.seedIssue(REPO, { number: 5, title: 'Sandbox please', user: 'alice' });
});
afterEach(() => gh.close());

describe('deployments, environments, collaborators, repository', () => {
  it('creates and lists deployments and statuses', async () => {
    const dep = await octokit.rest.repos.createDeployment({
      ...o,
      ref: 'main',
      environment: 'issue-5',
      auto_merge: false,
      required_contexts: [],
    });
    expect(dep.status).toBe(201);
    const id = (dep.data as { id: number; sha: string }).id;
    expect((dep.data as { sha: string }).sha).toBe(gh.repo(REPO).headSha());
    const st = await octokit.rest.repos.createDeploymentStatus({
      ...o,
      deployment_id: id,
      state: 'success',
      environment_url: 'https://x.up.railway.app',
    });
    expect(st.status).toBe(201);
    expect(
      (await octokit.rest.repos.listDeploymentStatuses({ ...o, deployment_id: id })).data.map((s) => s.state),
    ).toEqual(['success']);
    expect(
      (await octokit.rest.repos.listDeployments({ ...o, environment: 'issue-5' })).data.map((d) => d.id),
    ).toEqual([id]);
    const bad = await failure(octokit.rest.repos.createDeployment({ ...o, ref: 'nope' }));
    expect(bad.status).toBe(422);
    expect(
      (await failure(octokit.rest.repos.createDeploymentStatus({ ...o, deployment_id: 1, state: 'success' })))
        .status,
    ).toBe(404);
    const badState = await failure(
      octokit.rest.repos.createDeploymentStatus({ ...o, deployment_id: id, state: 'done' as never }),
    );
    expect(badState.status).toBe(422);
  });

  it('puts and deletes environments', async () => {
    const env = await octokit.rest.repos.createOrUpdateEnvironment({ ...o, environment_name: 'issue-5' });
    expect(env.data.name).toBe('issue-5');
    expect(gh.repo(REPO).environments()).toEqual(['issue-5']);
    expect((await octokit.rest.repos.deleteAnEnvironment({ ...o, environment_name: 'issue-5' })).status).toBe(
      204,
    );
    expect(
      (await failure(octokit.rest.repos.deleteAnEnvironment({ ...o, environment_name: 'issue-5' }))).status,
    ).toBe(404);
  });

  it('reports collaborator permission with role_name; unknown users 404', async () => {
    gh.addCollaborator(REPO, 'mia', 'maintain');
    const mia = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...o, username: 'mia' });
    expect(mia.data).toMatchObject({ permission: 'write', role_name: 'maintain', user: { login: 'mia' } });
    const owner = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...o, username: OWNER });
    expect(owner.data.permission).toBe('admin');
    const alice = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...o, username: 'alice' });
    expect(alice.data.permission).toBe('read');
    const ghost = await failure(
      octokit.rest.repos.getCollaboratorPermissionLevel({ ...o, username: 'ghost-user' }),
    );
    expect([ghost.status, ghost.data.message]).toEqual([404, 'ghost-user is not a user']);
  });

  it('describes the repository', async () => {
    const { data } = await octokit.rest.repos.get(o);
    expect(data).toMatchObject({ full_name: REPO, default_branch: 'main', private: false });
  });
});
