import { afterEach, describe, expect, it } from 'vitest';
import { findEventMarker, findStatusMarker, parseFarm } from '@trinity/core';
import { GITHUB_TOKEN, startWorld, type World } from '../support/e2e-world.js';
import { issuesPayload } from '../support/webhook-payloads.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const opened = () => issuesPayload('opened');

function events(w: World): string[] {
  return w.github
    .repo(w.repo)
    .comments(w.issue)
    .map((c) => findEventMarker(c.body)?.type)
    .filter((t): t is NonNullable<typeof t> => t !== undefined);
}

function statusComments(w: World) {
  return w.github
    .repo(w.repo)
    .comments(w.issue)
    .filter((c) => findStatusMarker(c.body) !== undefined);
}

function rows(w: World) {
  const text = w.github.repo(w.repo).readFile('.trinity/railway_farm.json') ?? '';
  return parseFarm(text, 'farm').agent_map.filter((r) => r.issue === w.issue);
}

async function setIssueState(w: World, state: 'open' | 'closed'): Promise<void> {
  const response = await fetch(`${w.github.url}/repos/${w.repo}/issues/${w.issue}`, {
    method: 'PATCH',
    headers: { authorization: `token ${GITHUB_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ state }),
  });
  if (!response.ok) throw new Error(`PATCH issue: ${response.status}`);
}

describe('variants of an issue’s life (committed bundles, both emulators)', () => {
  it('a build that fails: build_failed with a redacted log tail, the job fails, the label says failed', async () => {
    const w = (world = await startWorld(opened()));
    w.railway.setScenario(/^issue-/, { outcome: 'build_fails' });
    const secretUrl = `postgresql://postgres:${w.railway.plantedSecret}@postgres.railway.internal:5432/railway`;
    // Built from a repo: an image is not built, so only a repo source can fail its build.
    await w.run('provision-sandbox', {
      payload: opened(),
      inputs: { variables: `DATABASE_URL=${secretUrl}`, image: '', repo: 'octo-org/app' },
    });
    const deploy = await w.run('deploy-sandbox', { payload: opened() });

    expect(deploy.exitCode).toBe(1);
    expect(deploy.stdout).toMatch(
      /::error::deploy-sandbox: The build of issue #1's sandbox failed \(FAILED\)/,
    );
    expect(deploy.outputs['deployment-status']).toBe('FAILED');
    expect(events(w)).toEqual(['sandbox_created', 'deployment_started', 'build_failed']);
    const failure = w.github
      .repo(w.repo)
      .comments(w.issue)
      .find((c) => findEventMarker(c.body)?.type === 'build_failed');
    expect(failure?.body).toContain('ERROR: failed to solve');
    expect(failure?.body).toContain('DATABASE_URL=');
    for (const c of w.github.repo(w.repo).comments(w.issue))
      expect(c.body).not.toContain(w.railway.plantedSecret);
    expect(
      deploy.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain(w.railway.plantedSecret);
    expect(w.github.repo(w.repo).issue(w.issue)?.labels).toContain('sandbox: failed');
    expect(rows(w)[0]).toMatchObject({ status: 'failed', deployment_status: 'FAILED' });

    // Re-running the deploy after a reported failure means "try again": a new deployment, reported too.
    const retry = await w.run('deploy-sandbox', { payload: opened() });
    expect(retry.outputs['deployment-id']).not.toBe(deploy.outputs['deployment-id']);
    const serviceId = rows(w)[0]?.service_id ?? '';
    expect(w.railway.state.deployments(serviceId)).toHaveLength(2);
    expect(events(w).filter((type) => type === 'build_failed')).toHaveLength(2);
  });

  it('a deployment that crashes after starting: deployment_failed with the deploy log tail', async () => {
    const w = (world = await startWorld(opened()));
    w.railway.setScenario(/^issue-/, { outcome: 'crashes_after_deploy' });
    await w.run('provision-sandbox', { payload: opened() });
    const deploy = await w.run('deploy-sandbox', { payload: opened() });

    expect(deploy.exitCode).toBe(1);
    expect(deploy.outputs['deployment-status']).toBe('CRASHED');
    expect(events(w)).toEqual(['sandbox_created', 'deployment_started', 'deployment_failed']);
    const failure = w.github
      .repo(w.repo)
      .comments(w.issue)
      .find((c) => findEventMarker(c.body)?.type === 'deployment_failed');
    expect(failure?.body).toContain('ECONNREFUSED');
    expect(failure?.body).not.toContain(w.railway.plantedSecret);
    expect(rows(w)[0]).toMatchObject({ status: 'failed', deployment_status: 'CRASHED' });
  });

  it('every step run again: one sandbox, nothing posted twice, the same mapping', async () => {
    const w = (world = await startWorld(opened()));
    const lifeSoFar = async () => {
      await w.run('provision-sandbox', { payload: opened() });
      await w.run('deploy-sandbox', { payload: opened() });
      await w.run('journal-step', { payload: opened(), inputs: { message: 'Same step' } });
    };
    await lifeSoFar();
    const farmBefore = w.github.repo(w.repo).readFile('.trinity/railway_farm.json');
    const commentsBefore = w.github
      .repo(w.repo)
      .comments(w.issue)
      .map((c) => c.id);
    await lifeSoFar();

    expect(w.railway.state.services(w.projectId)).toHaveLength(1);
    expect(
      w.github
        .repo(w.repo)
        .comments(w.issue)
        .map((c) => c.id),
    ).toEqual(commentsBefore);
    expect(w.github.repo(w.repo).readFile('.trinity/railway_farm.json')).toBe(farmBefore);
    expect(events(w)).toEqual([
      'sandbox_created',
      'deployment_started',
      'deployment_succeeded',
      'step_completed',
    ]);

    await setIssueState(w, 'closed');
    for (let i = 0; i < 2; i++) {
      const destroy = await w.run('destroy-sandbox', { payload: opened() });
      expect(destroy.exitCode).toBe(0);
    }
    expect(w.railway.state.services(w.projectId)).toHaveLength(0);
    expect(events(w)).toEqual([
      'sandbox_created',
      'deployment_started',
      'deployment_succeeded',
      'step_completed',
      'sandbox_destroyed',
    ]);
    expect(statusComments(w)).toHaveLength(1);
    expect(rows(w)).toHaveLength(1);
    expect(
      w.github
        .repo(w.repo)
        .log()
        .filter((c) => c.message.startsWith('journal:')),
    ).toHaveLength(1);
  });

  it('a reopened issue gets a new sandbox; the old binding stays recorded as destroyed', async () => {
    const w = (world = await startWorld(opened()));
    const first = await w.run('provision-sandbox', { payload: opened() });
    await setIssueState(w, 'closed');
    await w.run('destroy-sandbox', { payload: opened() });
    await setIssueState(w, 'open');
    const second = await w.run('provision-sandbox', { payload: issuesPayload('reopened') });
    await w.run('deploy-sandbox', { payload: issuesPayload('reopened') });

    expect(second.outputs['service-id']).not.toBe(first.outputs['service-id']);
    expect(w.railway.state.services(w.projectId).map((s) => s.id)).toEqual([second.outputs['service-id']]);
    expect(rows(w).map((r) => r.status)).toEqual(['destroyed', 'live']);
    expect(events(w)).toEqual([
      'sandbox_created',
      'sandbox_destroyed',
      'sandbox_created',
      'deployment_started',
      'deployment_succeeded',
    ]);
    expect(statusComments(w)).toHaveLength(1);
    expect(
      w.github
        .repo(w.repo)
        .issue(w.issue)
        ?.labels.filter((l) => l.startsWith('sandbox:')),
    ).toEqual(['sandbox: live']);
  });

  it('a stranger’s issue is refused once, with who, why and how, and Railway is never called', async () => {
    const payload = opened();
    // Someone who is not the repository's owner (Codertocat) nor a collaborator: the gate's
    // collaborator-permission check must confirm the refusal, not overturn it.
    payload.issue.author_association = 'NONE';
    (payload.issue['user'] as { login: string }).login = 'drive-by-stranger';
    payload.issue.labels = [];
    const w = (world = await startWorld(payload));
    for (let i = 0; i < 2; i++) {
      const run = await w.run('provision-sandbox', { payload, inputs: { 'required-label': 'sandbox' } });
      expect(run.exitCode).toBe(0);
      expect(run.outputs.status).toBe('refused');
    }
    expect(events(w)).toEqual(['sandbox_refused']);
    const refusal = w.github.repo(w.repo).comments(w.issue)[0]?.body ?? '';
    expect(refusal).toContain('NONE');
    expect(refusal).toContain('sandbox');
    expect(w.railway.requests).toHaveLength(0);
    expect(w.railway.state.services(w.projectId)).toHaveLength(0);
    expect(w.github.repo(w.repo).issue(w.issue)?.labels).toEqual(['sandbox: refused']);
  });

  it('an issue closed before its deployment is followed: the deploy job destroys the sandbox instead', async () => {
    const w = (world = await startWorld(opened()));
    await w.run('provision-sandbox', { payload: opened() });
    await setIssueState(w, 'closed');
    const deploy = await w.run('deploy-sandbox', { payload: opened() });
    expect(deploy.exitCode).toBe(0);
    expect(w.railway.state.services(w.projectId)).toHaveLength(0);
    expect(events(w)).toEqual(['sandbox_created', 'sandbox_destroyed']);
  });

  it('a deleted issue: the sandbox goes, no comment is attempted, the summary says so', async () => {
    const w = (world = await startWorld(opened()));
    await w.run('provision-sandbox', { payload: opened() });
    const before = w.github.repo(w.repo).comments(w.issue).length;
    w.github.deleteIssue(w.repo, w.issue);
    const destroy = await w.run('destroy-sandbox', { payload: issuesPayload('deleted') });
    expect(destroy.exitCode).toBe(0);
    expect(w.railway.state.services(w.projectId)).toHaveLength(0);
    expect(destroy.summary).toContain('no comment was posted');
    expect(w.github.requests.filter((r) => r.method === 'POST' && /comments/.test(r.path))).toHaveLength(
      before,
    );
    expect(rows(w)[0]?.status).toBe('destroyed');
  });

  it('a second Railway account takes the sandbox when the first is at its cap, and destroy finds it there', async () => {
    const w = (world = await startWorld(opened()));
    const second = w.railway.addProject({ name: 'farm-2' });
    w.railway.addToken({ token: 'rw_second_account_token', kind: 'account' });
    const today = Math.floor(Date.now() / 86_400_000) * 86_400;
    await w.writeFile(
      '.trinity/railway_farm.json',
      `{"accounts":[{"account_id":1,"alias":"primary","daily_creates":3,"active_services":25,"daily_reset_epoch":${today}}],"agent_map":[]}`,
    );
    const env = {
      RAILWAY_API_TOKEN_2: 'rw_second_account_token',
      RAILWAY_PROJECT_ID_2: second.projectId,
      RAILWAY_ENVIRONMENT_ID_2: second.environmentId,
    };
    const provision = await w.run('provision-sandbox', { payload: opened(), env });
    expect(provision.outputs.status).toBe('deploying');
    expect(w.railway.state.services(w.projectId)).toHaveLength(0);
    expect(w.railway.state.services(second.projectId)).toHaveLength(1);
    expect(rows(w)[0]).toMatchObject({ account_id: 2, project_id: second.projectId });
    expect(provision.stdout).toContain('::add-mask::rw_second_account_token');

    await setIssueState(w, 'closed');
    const withoutToken = await w.run('destroy-sandbox', { payload: opened() });
    expect(withoutToken.exitCode).toBe(1);
    expect(withoutToken.stdout).toContain('RAILWAY_API_TOKEN_2');
    const destroy = await w.run('destroy-sandbox', { payload: opened(), env });
    expect(destroy.exitCode).toBe(0);
    expect(w.railway.state.services(second.projectId)).toHaveLength(0);
  });

  it('the sweep destroys sandboxes of closed and missing issues, recorded or not, and past their ttl', async () => {
    const w = (world = await startWorld(opened()));
    await w.run('provision-sandbox', { payload: opened() });
    w.github.seedIssue(w.repo, {
      number: 2,
      title: 'Other work',
      user: 'octocat',
      authorAssociation: 'MEMBER',
    });
    const other = opened();
    other.issue.number = 2;
    await w.run('provision-sandbox', { payload: other });
    // Issue #3's sandbox is deleted by hand on Railway: its row must not claim a live service.
    w.github.seedIssue(w.repo, { number: 3, title: 'Third', user: 'octocat', authorAssociation: 'MEMBER' });
    const third = opened();
    third.issue.number = 3;
    const provisioned = await w.run('provision-sandbox', { payload: third });
    // A service under our naming scheme that no row records (a run died after creating it, or a
    // person made it), for an issue that does not exist; and issue #2 closed.
    const token = {
      authorization: `Bearer ${'rw_e2e_account_token_0001'}`,
      'content-type': 'application/json',
    };
    await fetch(w.railway.url, {
      method: 'POST',
      headers: token,
      body: JSON.stringify({
        query: 'mutation M($input: ServiceCreateInput!) { serviceCreate(input: $input) { id } }',
        variables: { input: { projectId: w.projectId, name: 'issue-99' } },
      }),
    });
    await fetch(w.railway.url, {
      method: 'POST',
      headers: token,
      body: JSON.stringify({
        query: 'mutation D($id: String!) { serviceDelete(id: $id) }',
        variables: { id: provisioned.outputs['service-id'] },
      }),
    });
    await fetch(`${w.github.url}/repos/${w.repo}/issues/2`, {
      method: 'PATCH',
      headers: { authorization: `token ${GITHUB_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'closed' }),
    });

    const sweep = await w.run('destroy-sandbox', {
      payload: {},
      eventName: 'schedule',
      inputs: { sweep: 'true' },
    });
    expect(sweep.exitCode).toBe(0);
    expect(sweep.outputs).toMatchObject({ destroyed: '2', status: 'swept' });
    expect(w.railway.state.services(w.projectId).map((s) => s.name)).toEqual(['issue-1']);
    expect(sweep.summary).toContain('issue-99');
    expect(sweep.summary).toContain(
      'issue-3: closed in the mapping (its service no longer exists on Railway)',
    );
    const farmRows = parseFarm(
      w.github.repo(w.repo).readFile('.trinity/railway_farm.json') ?? '',
      'farm',
    ).agent_map;
    expect(farmRows.find((r) => r.issue === 3)?.status).toBe('destroyed');

    // Issue #1's sandbox was created eight days ago, as far as the mapping knows.
    const farmText = w.github.repo(w.repo).readFile('.trinity/railway_farm.json') ?? '';
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000).toISOString();
    await w.writeFile(
      '.trinity/railway_farm.json',
      farmText.replace(/"created_at":"[^"]+"/g, `"created_at":"${eightDaysAgo}"`),
    );
    const expired = await w.run('destroy-sandbox', {
      payload: {},
      eventName: 'schedule',
      inputs: { sweep: 'true', ttl: '7d' },
    });
    expect(expired.exitCode).toBe(0);
    expect(w.railway.state.services(w.projectId).map((s) => s.name)).toEqual([]);
  });

  it('a sweep carries on past a sandbox it cannot reach, then fails the job naming it', async () => {
    const w = (world = await startWorld(opened()));
    w.github.seedIssue(w.repo, {
      number: 2,
      title: 'Old work',
      user: 'octocat',
      authorAssociation: 'MEMBER',
      state: 'closed',
    });
    // A legacy row on account 2, whose token this workflow does not pass.
    await w.writeFile(
      '.trinity/railway_farm.json',
      '{"accounts":[],"agent_map":[{"issue":2,"account_id":2,"service_id":"svc-on-account-2"}]}',
    );
    await w.run('provision-sandbox', { payload: opened() });
    await setIssueState(w, 'closed');

    const sweep = await w.run('destroy-sandbox', {
      payload: {},
      eventName: 'schedule',
      inputs: { sweep: 'true' },
    });

    expect(sweep.exitCode).toBe(1);
    expect(sweep.stdout).toContain('RAILWAY_API_TOKEN_2');
    expect(sweep.outputs.destroyed).toBe('1');
    expect(w.railway.state.services(w.projectId)).toHaveLength(0);
    expect(sweep.summary).toContain('not swept');
  });

  it('a journal step whose commit failed is not lost: the re-run commits its experience file, posting nothing twice', async () => {
    const w = (world = await startWorld(opened()));
    await w.run('provision-sandbox', { payload: opened() });
    w.github.injectFault({ operationId: 'graphql/mutation', kind: 'server_error', status: 502, times: 10 });
    const failed = await w.run('journal-step', {
      payload: opened(),
      inputs: { message: 'Profiled the hot path' },
    });
    expect(failed.exitCode).toBe(1);
    w.github.clearFaults();

    const rerun = await w.run('journal-step', {
      payload: opened(),
      inputs: { message: 'Profiled the hot path' },
    });

    expect(rerun.exitCode).toBe(0);
    expect(events(w).filter((type) => type === 'step_completed')).toHaveLength(1);
    const path = rerun.outputs['experience-file'] ?? '';
    expect(path).toMatch(/^\.trinity\/experience\//);
    expect(w.github.repo(w.repo).readFile(path)).toContain('Profiled the hot path');
    expect(rows(w)[0]?.experience_file).toBe(path);
  });

  it('a transferred issue: its sandbox here is destroyed, and the moved issue gets no comment from this repository', async () => {
    const w = (world = await startWorld(opened()));
    await w.run('provision-sandbox', { payload: opened() });
    w.github.createRepo('Codertocat/Elsewhere');
    w.github.transferIssue(w.repo, w.issue, 'Codertocat/Elsewhere');
    const postsBefore = w.github.requests.filter(
      (r) => r.method === 'POST' && /comments/.test(r.path),
    ).length;

    const destroy = await w.run('destroy-sandbox', { payload: issuesPayload('transferred') });

    expect(destroy.exitCode).toBe(0);
    expect(w.railway.state.services(w.projectId)).toHaveLength(0);
    expect(w.github.requests.filter((r) => r.method === 'POST' && /comments/.test(r.path))).toHaveLength(
      postsBefore,
    );
    expect(destroy.summary).toContain('The issue was transferred, so no comment was posted');
    expect(rows(w)[0]?.status).toBe('destroyed');
  });

  it('journal-step keys: one run journaling the same message for two matrix legs keeps both, re-runs add none', async () => {
    const w = (world = await startWorld(opened()));
    for (const key of ['tests-node-20', 'tests-node-22', 'tests-node-20']) {
      const run = await w.run('journal-step', {
        payload: opened(),
        inputs: { message: 'Tests passed', key },
      });
      expect(run.exitCode).toBe(0);
    }
    expect(events(w)).toEqual(['step_completed', 'step_completed']);
    const bad = await w.run('journal-step', {
      payload: opened(),
      inputs: { message: 'x', key: 'has spaces' },
    });
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toContain('Input "key" must be at most 100 characters without spaces');
  });
});
