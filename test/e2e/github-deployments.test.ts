import { afterEach, describe, expect, it } from 'vitest';
import { startWorld, type World } from '../support/e2e-world.js';
import { issueCommentPayload, issuesPayload } from '../support/webhook-payloads.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const OWNER_TOKEN = 'ghp_codertocatToken0001';
/** A GITHUB_TOKEN whose workflow left `deployments: write` out of its `permissions:`. */
const NO_DEPLOYMENTS_TOKEN = 'ghs_noDeploymentsToken01';

function deploymentRequests(w: World, from: number): string[] {
  return w.github.requests
    .slice(from)
    .map((r) => r.operationId ?? '')
    .filter((id) => id.includes('deployment'));
}

function closedPayload() {
  const closed = issuesPayload('reopened');
  closed.action = 'closed';
  return closed;
}

async function closeIssue(w: World): Promise<void> {
  await fetch(`${w.github.url}/repos/${w.repo}/issues/${w.issue}`, {
    method: 'PATCH',
    headers: { authorization: `token ${OWNER_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ state: 'closed' }),
  });
}

describe('each sandbox is a GitHub deployment to the environment issue-<n>', () => {
  it('deploy: in_progress then success with the sandbox URL; redeploy retires the old one; destroy marks it inactive', async () => {
    const w = (world = await startWorld(issuesPayload('opened')));
    w.github.addToken(OWNER_TOKEN, { login: 'Codertocat' });
    const env = { GITHUB_SHA: w.github.repo(w.repo).headSha() };
    const provisionFrom = w.github.requests.length;
    expect((await w.run('provision-sandbox', { payload: issuesPayload('opened'), env })).exitCode).toBe(0);
    // Provision records nothing as a deployment: Railway's deployment is followed by deploy.
    expect(deploymentRequests(w, provisionFrom)).toEqual([]);

    const deployFrom = w.github.requests.length;
    const deploy = await w.run('deploy-sandbox', { payload: issuesPayload('opened'), env });
    expect(deploy.exitCode).toBe(0);
    // The adopted Railway deployment: one read (is it mirrored already?), one deployment, two statuses.
    expect(deploymentRequests(w, deployFrom)).toEqual([
      'repos/list-deployments',
      'repos/create-deployment',
      'repos/create-deployment-status',
      'repos/create-deployment-status',
    ]);
    expect(w.github.repo(w.repo).environments()).toEqual(['issue-1']);
    const [first] = w.github.repo(w.repo).deployments();
    expect(first).toMatchObject({
      environment: 'issue-1',
      ref: env.GITHUB_SHA,
      statuses: ['in_progress', 'success'],
      payload: { railway_deployment_id: deploy.outputs['deployment-id'], issue: 1 },
    });
    expect(first?.environmentUrls.at(-1)).toBe(deploy.outputs.url);

    // A re-run of the finished deploy changes nothing, on GitHub either.
    const rerunFrom = w.github.requests.length;
    expect((await w.run('deploy-sandbox', { payload: issuesPayload('opened'), env })).exitCode).toBe(0);
    expect(deploymentRequests(w, rerunFrom)).toEqual([]);

    // /sandbox redeploy: a new deployment (not adopted: no read), whose success retires the first.
    const posted = await fetch(`${w.github.url}/repos/${w.repo}/issues/${w.issue}/comments`, {
      method: 'POST',
      headers: { authorization: `token ${OWNER_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ body: '/sandbox redeploy' }),
    });
    const { id } = (await posted.json()) as { id: number };
    const redeployFrom = w.github.requests.length;
    const redeploy = await w.run('sandbox-command', {
      payload: issueCommentPayload('created', '/sandbox redeploy', { commentId: id }),
      eventName: 'issue_comment',
      env,
      inputs: { image: 'ghcr.io/octo-org/app:latest', 'poll-interval-seconds': '0.01' },
    });
    expect(redeploy.exitCode).toBe(0);
    expect(deploymentRequests(w, redeployFrom)).toEqual([
      'repos/create-deployment',
      'repos/create-deployment-status',
      'repos/create-deployment-status',
    ]);
    const [old, fresh] = w.github.repo(w.repo).deployments();
    expect(old?.statuses).toEqual(['in_progress', 'success', 'inactive']);
    expect(fresh?.statuses).toEqual(['in_progress', 'success']);

    await closeIssue(w);
    const destroyFrom = w.github.requests.length;
    const destroy = await w.run('destroy-sandbox', { payload: closedPayload(), env });
    expect(destroy.exitCode).toBe(0);
    expect(deploymentRequests(w, destroyFrom)).toEqual([
      'repos/list-deployments',
      'repos/create-deployment-status',
    ]);
    expect(
      w.github
        .repo(w.repo)
        .deployments()
        .map((d) => d.statuses.at(-1)),
    ).toEqual(['inactive', 'inactive']);
  });

  it('the sweep marks the deployment of a sandbox it destroys inactive', async () => {
    const w = (world = await startWorld(issuesPayload('opened')));
    w.github.addToken(OWNER_TOKEN, { login: 'Codertocat' });
    const env = { GITHUB_SHA: w.github.repo(w.repo).headSha() };
    expect((await w.run('provision-sandbox', { payload: issuesPayload('opened'), env })).exitCode).toBe(0);
    expect((await w.run('deploy-sandbox', { payload: issuesPayload('opened'), env })).exitCode).toBe(0);
    // Closed while the workflow was off: only the scheduled sweep sees it.
    await closeIssue(w);
    const from = w.github.requests.length;
    const sweep = await w.run('destroy-sandbox', {
      payload: {},
      eventName: 'schedule',
      env,
      inputs: { sweep: 'true' },
    });
    expect(sweep.exitCode).toBe(0);
    expect(sweep.outputs.destroyed).toBe('1');
    expect(deploymentRequests(w, from)).toEqual(['repos/list-deployments', 'repos/create-deployment-status']);
    expect(
      w.github
        .repo(w.repo)
        .deployments()
        .map((d) => d.statuses),
    ).toEqual([['in_progress', 'success', 'inactive']]);
  });

  it('without deployments: write the deploy still succeeds, with one warning naming the permission', async () => {
    const w = (world = await startWorld(issuesPayload('opened')));
    w.github.addToken(NO_DEPLOYMENTS_TOKEN, { login: 'github-actions[bot]', withheld: ['deployments'] });
    const env = { GITHUB_SHA: w.github.repo(w.repo).headSha() };
    const inputs = { 'github-token': NO_DEPLOYMENTS_TOKEN };
    expect(
      (await w.run('provision-sandbox', { payload: issuesPayload('opened'), env, inputs })).exitCode,
    ).toBe(0);
    const from = w.github.requests.length;
    const deploy = await w.run('deploy-sandbox', { payload: issuesPayload('opened'), env, inputs });
    expect(deploy.stdout).not.toContain('::error::');
    expect(deploy.exitCode).toBe(0);
    expect(deploy.outputs).toMatchObject({ 'deployment-status': 'SUCCESS' });
    const warnings = deploy.stdout.split('\n').filter((line) => line.startsWith('::warning::'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('`deployments: write`');
    // Refused once, then not tried again in the run.
    expect(deploymentRequests(w, from)).toEqual(['repos/list-deployments', 'repos/create-deployment']);
    expect(w.github.repo(w.repo).deployments()).toEqual([]);
  });

  it('github-deployments: false sends no deployment request', async () => {
    const w = (world = await startWorld(issuesPayload('opened')));
    const env = { GITHUB_SHA: w.github.repo(w.repo).headSha() };
    const inputs = { 'github-deployments': 'false' };
    expect((await w.run('provision-sandbox', { payload: issuesPayload('opened'), env })).exitCode).toBe(0);
    expect((await w.run('deploy-sandbox', { payload: issuesPayload('opened'), env, inputs })).exitCode).toBe(
      0,
    );
    expect(deploymentRequests(w, 0)).toEqual([]);
  });
});
