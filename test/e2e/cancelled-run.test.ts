import { afterEach, describe, expect, it } from 'vitest';
import { findEventMarker, findStatusMarker } from '@trinity/core';
import { startWorld, type World } from '../support/e2e-world.js';
import { issuesPayload } from '../support/webhook-payloads.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function statusOf(w: World) {
  const comments = w.github.repo(w.repo).comments(w.issue);
  const status = comments.find((comment) => findStatusMarker(comment.body) !== undefined);
  return { marker: findStatusMarker(status?.body ?? ''), body: status?.body ?? '' };
}

function events(w: World) {
  return w.github
    .repo(w.repo)
    .comments(w.issue)
    .map((comment) => ({ marker: findEventMarker(comment.body), body: comment.body }))
    .filter((entry) => entry.marker !== undefined);
}

const publishedDeploying = (state: Record<string, string>) =>
  (state.trinity_published ?? '').includes('"state":"deploying"') &&
  (state.trinity_published ?? '').includes('"deployment"');

/**
 * A cancelled run, imitated as the runner does it: main is killed (SIGKILL, no `finally`, no
 * report), then the action's `post:` entry runs with the state main had saved as STATE_ variables
 * (docs/actions.md, 'Cancelled and timed-out runs').
 */
describe('a deploy run cancelled while it waits: the committed post entry after a killed main', () => {
  it('records the stop and where Railway stood, the status leaves "deploying"; the next run converges', async () => {
    const payload = issuesPayload('opened');
    // Manual progression: the deployment stays where it is, so main waits until it is killed.
    const w = (world = await startWorld(payload, 'manual'));
    expect((await w.run('provision-sandbox', { payload })).exitCode).toBe(0);

    const main = await w.run('deploy-sandbox', { payload, killWhen: publishedDeploying });
    expect(main.signal).toBe('SIGKILL');
    expect(main.state.trinity_action).toBe('deploy-sandbox');
    expect(main.state.trinity_finished).toBeUndefined();
    expect(statusOf(w).marker?.state).toBe('deploying');
    const deploymentId = w.railway.state.deployments()[0]?.id ?? '';
    const railwayStatus = w.railway.state.deployments()[0]?.status ?? '';

    const post = await w.run('deploy-sandbox', { payload, entry: 'post', state: main.state });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).not.toContain('::warning::');
    const stopped = events(w).at(-1);
    expect(stopped?.marker).toMatchObject({
      type: 'run_stopped',
      key: 'run_stopped-1001-1-deploy-sandbox',
      deployment_id: deploymentId,
    });
    expect(stopped?.body).toContain('The deploy-sandbox run stopped before it finished');
    expect(stopped?.body).toContain(`Railway's deployment ${deploymentId} was ${railwayStatus}`);
    const status = statusOf(w);
    expect(status.marker).toMatchObject({
      state: 'stopped',
      deployment_id: deploymentId,
      deployment_status: railwayStatus,
      last_event: 'run_stopped',
    });
    expect(status.body).not.toContain('**deploying**');
    expect(status.body).toContain('⏹️ run stopped');
    expect(w.github.repo(w.repo).issue(w.issue)?.labels).toContain('sandbox: stopped');

    // A post step that runs twice (a re-run of the same attempt's post) posts nothing more.
    const again = await w.run('deploy-sandbox', { payload, entry: 'post', state: main.state });
    expect(again.exitCode).toBe(0);
    expect(events(w).filter((entry) => entry.marker?.type === 'run_stopped')).toHaveLength(1);

    // The next run converges as today: the deployment is adopted and reported.
    w.railway.advance(3_600_000);
    const next = await w.run('deploy-sandbox', { payload, env: { GITHUB_RUN_ID: '1002' } });
    expect(next.exitCode).toBe(0);
    expect(next.outputs).toMatchObject({ 'deployment-id': deploymentId, 'deployment-status': 'SUCCESS' });
    expect(statusOf(w).marker?.state).toBe('live');
    expect(w.github.repo(w.repo).issue(w.issue)?.labels).toContain('sandbox: live');
    expect(w.github.repo(w.repo).issue(w.issue)?.labels).not.toContain('sandbox: stopped');
  });

  it('does nothing, and asks nothing, after a main that finished by itself', async () => {
    const payload = issuesPayload('opened');
    const w = (world = await startWorld(payload));
    expect((await w.run('provision-sandbox', { payload })).exitCode).toBe(0);
    const main = await w.run('deploy-sandbox', { payload });
    expect(main.exitCode).toBe(0);
    expect(main.state).toMatchObject({ trinity_action: 'deploy-sandbox', trinity_finished: 'true' });
    expect(main.state.trinity_published).toContain('"state":"live"');

    const github = w.github.requests.length;
    const railway = w.railway.requests.length;
    const post = await w.run('deploy-sandbox', { payload, entry: 'post', state: main.state });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toContain('finished by itself');
    expect(w.github.requests.length - github).toBe(0);
    expect(w.railway.requests.length - railway).toBe(0);
  });

  it('killed before it published anything: the mapping says what the thread shows', async () => {
    const payload = issuesPayload('opened');
    const w = (world = await startWorld(payload));
    // provision hands over to deploy: the thread says "deploying" until deploy reports.
    expect((await w.run('provision-sandbox', { payload })).exitCode).toBe(0);
    expect(statusOf(w).marker?.state).toBe('deploying');
    const killedEarly = { trinity_action: 'deploy-sandbox' };
    const post = await w.run('deploy-sandbox', { payload, entry: 'post', state: killedEarly });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).not.toContain('::warning::');
    expect(events(w).at(-1)?.marker?.type).toBe('run_stopped');
    expect(events(w).at(-1)?.body).toContain('This run knew of no deployment of it.');
    expect(statusOf(w).marker?.state).toBe('stopped');

    // Once the sandbox is live, an early kill leaves nothing to correct: one read, no write.
    expect((await w.run('deploy-sandbox', { payload, env: { GITHUB_RUN_ID: '1002' } })).exitCode).toBe(0);
    expect(statusOf(w).marker?.state).toBe('live');
    const seen = w.github.requests.length;
    const railway = w.railway.requests.length;
    const idle = await w.run('deploy-sandbox', { payload, entry: 'post', state: killedEarly });
    expect(idle.exitCode).toBe(0);
    expect(idle.stdout).toContain('the thread does not claim work in progress');
    const asked = w.github.requests
      .slice(seen)
      .map((request) => `${request.method} ${request.operationId ?? ''}`);
    expect(asked.filter((request) => !request.startsWith('GET') && request !== 'POST graphql/query')).toEqual(
      [],
    );
    expect(asked.length).toBeLessThanOrEqual(2);
    expect(w.railway.requests.length - railway).toBe(0);
  });
});
