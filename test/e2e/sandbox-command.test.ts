import { afterEach, describe, expect, it } from 'vitest';
import { findEventKey, findEventMarker, findStatusMarker } from '@trinity/core';
import { startWorld, type World } from '../support/e2e-world.js';
import { issueCommentPayload, issuesPayload } from '../support/webhook-payloads.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const OWNER_TOKEN = 'ghp_codertocatToken0001';
const STRANGER_TOKEN = 'ghp_strangerToken00001';

/** Opened, provisioned and deployed, as the shipped workflow leaves an issue; GITHUB_SHA as on a runner. */
async function liveIssue(): Promise<World & { sha: string }> {
  const w = (world = await startWorld(issuesPayload('opened')));
  w.github.addToken(OWNER_TOKEN, { login: 'Codertocat' });
  w.github.addToken(STRANGER_TOKEN, { login: 'octo-stranger' });
  const sha = w.github.repo(w.repo).headSha();
  const env = { GITHUB_SHA: sha };
  expect((await w.run('provision-sandbox', { payload: issuesPayload('opened'), env })).exitCode).toBe(0);
  expect((await w.run('deploy-sandbox', { payload: issuesPayload('opened'), env })).exitCode).toBe(0);
  return Object.assign(w, { sha });
}

/** Posts the comment as its author would, then builds the real webhook payload GitHub would send. */
async function comment(w: World, body: string, token = OWNER_TOKEN, login = 'Codertocat') {
  const response = await fetch(`${w.github.url}/repos/${w.repo}/issues/${w.issue}/comments`, {
    method: 'POST',
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ body }),
  });
  const { id } = (await response.json()) as { id: number };
  return issueCommentPayload('created', body, { commentId: id, author: login });
}

function command(w: World & { sha: string }, payload: unknown, image = 'ghcr.io/octo-org/app:latest') {
  return w.run('sandbox-command', {
    payload,
    eventName: 'issue_comment',
    env: { GITHUB_SHA: w.sha },
    // As the shipped workflow passes them: recreate provisions from the image, redeploy polls quickly.
    inputs: { image, 'poll-interval-seconds': '0.01' },
  });
}

function answers(w: World) {
  return w.github
    .repo(w.repo)
    .comments(w.issue)
    .filter((c) => findEventKey(c.body)?.startsWith('command-') === true);
}

describe('/sandbox commands in the thread, through the committed bundle and real issue_comment payloads', () => {
  it('redeploy: a reaction at once, a new Railway deployment, an answer, the status updated; a re-run executes nothing', async () => {
    const w = await liveIssue();
    const serviceId = w.railway.state.services(w.projectId)[0]?.id ?? '';
    const before = w.railway.state.deployments(serviceId).length;
    const payload = await comment(w, 'Something is off.\n\n/sandbox redeploy');

    const run = await command(w, payload);
    expect(run.stdout).not.toContain('::error::');
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ command: 'redeploy', outcome: 'done' });
    expect(w.railway.state.deployments(serviceId)).toHaveLength(before + 1);
    // The claim: an `eyes` reaction on the command, created (201) by this run.
    const reactions = () =>
      w.github.requests
        .filter((r) => r.operationId === 'reactions/create-for-issue-comment')
        .map((r) => r.status);
    expect(reactions()).toEqual([201]);
    const read = await fetch(`${w.github.url}/repos/${w.repo}/issues/comments/${payload.comment.id}`, {
      headers: { authorization: `token ${OWNER_TOKEN}` },
    });
    expect(((await read.json()) as { reactions: Record<string, number> }).reactions).toMatchObject({
      eyes: 1,
    });
    const [answer] = answers(w);
    expect(findEventKey(answer?.body ?? '')).toBe(`command-${payload.comment.id}`);
    expect(answer?.body).toContain('Redeployed');
    const status = w.github
      .repo(w.repo)
      .comments(w.issue)
      .find((c) => findStatusMarker(c.body) !== undefined);
    expect(findStatusMarker(status?.body ?? '')?.state).toBe('live');
    // The redeploy's own events are journaled too: a second deployment started and succeeded.
    const events = w.github
      .repo(w.repo)
      .comments(w.issue)
      .map((c) => findEventMarker(c.body)?.type);
    expect(events.filter((t) => t === 'deployment_succeeded')).toHaveLength(2);

    // The same comment again (a re-run of the job): claimed already, so nothing is executed or posted.
    const githubBefore = w.github.requests.length;
    const rerun = await command(w, payload);
    expect(rerun.exitCode).toBe(0);
    expect(rerun.outputs).toMatchObject({ outcome: 'handled-before' });
    expect(reactions()).toEqual([201, 200]);
    expect(w.railway.state.deployments(serviceId)).toHaveLength(before + 1);
    expect(answers(w)).toHaveLength(1);
    expect(
      w.github.requests.slice(githubBefore).filter((r) => r.operationId === 'issues/create-comment'),
    ).toEqual([]);
  });

  it('status, logs and help answer without changing anything; log lines are redacted', async () => {
    const w = await liveIssue();
    const serviceId = w.railway.state.services(w.projectId)[0]?.id ?? '';
    const deployments = w.railway.state.deployments(serviceId).length;

    const status = await command(w, await comment(w, '/sandbox status'));
    expect(status.outputs).toMatchObject({ command: 'status', outcome: 'done' });
    expect(answers(w).at(-1)?.body).toMatch(/The sandbox is live at https:\/\//);

    const logs = await command(w, await comment(w, '/sandbox logs build 20'));
    expect(logs.outputs).toMatchObject({ command: 'logs', outcome: 'done' });
    const logAnswer = answers(w).at(-1)?.body ?? '';
    expect(logAnswer).toMatch(/build log lines of deployment/);
    expect(logAnswer).toContain('DATABASE_URL=postgresql://postgres:');
    expect(logAnswer).not.toContain(w.railway.plantedSecret);

    const help = await command(w, await comment(w, '/sandbox help'));
    expect(help.outputs).toMatchObject({ command: 'help', outcome: 'done' });
    expect(answers(w).at(-1)?.body).toContain('/sandbox recreate');

    const invalid = await command(w, await comment(w, '/sandbox deploy'));
    expect(invalid.outputs).toMatchObject({ command: 'invalid', outcome: 'failed' });
    expect(answers(w).at(-1)?.body).toContain('is not a sandbox command');

    expect(w.railway.state.deployments(serviceId)).toHaveLength(deployments);
    expect(w.railway.state.services(w.projectId)).toHaveLength(1);
  });

  it('without image or repo (an unset SANDBOX_IMAGE): status works; recreate refuses before destroying anything', async () => {
    const w = await liveIssue();
    const [service] = w.railway.state.services(w.projectId);

    const status = await command(w, await comment(w, '/sandbox status'), '');
    expect(status.outputs).toMatchObject({ command: 'status', outcome: 'done' });
    expect(answers(w).at(-1)?.body).toMatch(/The sandbox is live at https:\/\//);

    const recreate = await command(w, await comment(w, '/sandbox recreate'), '');
    // Answered in the thread, then the job fails with the same user error (as every failed command).
    expect(recreate.exitCode).not.toBe(0);
    expect(recreate.stdout).toContain('Inputs "image" and "repo" are both empty');
    expect(answers(w).at(-1)?.body).toContain(
      '`/sandbox recreate` failed: Inputs "image" and "repo" are both empty',
    );
    // Nothing was destroyed: the same service, still live.
    expect(w.railway.state.services(w.projectId).map((s) => s.id)).toEqual([service?.id]);
  });

  it('someone without write access: no Railway call, one polite answer per issue', async () => {
    const w = await liveIssue();
    w.railway.clearRequests();
    const first = await command(w, await comment(w, '/sandbox destroy', STRANGER_TOKEN, 'octo-stranger'));
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toMatchObject({ command: 'destroy', outcome: 'declined' });
    const second = await command(w, await comment(w, '/sandbox redeploy', STRANGER_TOKEN, 'octo-stranger'));
    expect(second.outputs).toMatchObject({ outcome: 'declined' });
    expect(w.railway.requests).toEqual([]);
    expect(w.railway.state.services(w.projectId)).toHaveLength(1);
    const declined = answers(w);
    expect(declined).toHaveLength(1);
    expect(declined[0]?.body).toContain('only from people who may write to this repository');
    // No reaction either: nothing was claimed.
    expect(w.github.requests.filter((r) => r.operationId?.startsWith('reactions/'))).toEqual([]);
  });

  it.each([
    ['an edited comment', () => issueCommentPayload('edited', '/sandbox destroy')],
    ['a quoted command', () => issueCommentPayload('created', '> /sandbox destroy\nplease do not')],
    ['a command in a code block', () => issueCommentPayload('created', '```\n/sandbox destroy\n```')],
    [
      'a comment on a pull request',
      () => issueCommentPayload('created', '/sandbox destroy', { pullRequest: true }),
    ],
    ['an ordinary comment', () => issueCommentPayload('created', 'Thanks!')],
  ])('%s costs no request at all', async (_, payload) => {
    const w = await liveIssue();
    w.railway.clearRequests();
    const githubBefore = w.github.requests.length;
    const run = await command(w, payload());
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({ outcome: 'ignored' });
    expect(w.github.requests.slice(githubBefore)).toEqual([]);
    expect(w.railway.requests).toEqual([]);
  });

  it('destroy, then recreate: the sandbox goes, then a fresh one is provisioned and deployed', async () => {
    const w = await liveIssue();
    const first = w.railway.state.services(w.projectId)[0]?.id;
    const destroyed = await command(w, await comment(w, '/sandbox destroy'));
    expect(destroyed.outputs).toMatchObject({ command: 'destroy', outcome: 'done' });
    expect(w.railway.state.services(w.projectId)).toHaveLength(0);
    expect(findStatusMarker(statusBody(w))?.state).toBe('destroyed');

    const recreated = await command(w, await comment(w, '/sandbox recreate'));
    expect(recreated.stdout).not.toContain('::error::');
    expect(recreated.outputs).toMatchObject({ command: 'recreate', outcome: 'done' });
    const services = w.railway.state.services(w.projectId);
    expect(services).toHaveLength(1);
    expect(services[0]?.id).not.toBe(first);
    expect(findStatusMarker(statusBody(w))?.state).toBe('live');
  });
});

function statusBody(w: World): string {
  return (
    w.github
      .repo(w.repo)
      .comments(w.issue)
      .find((c) => findStatusMarker(c.body) !== undefined)?.body ?? ''
  );
}
