import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findEventMarker, findStatusMarker, parseFarm } from '@trinity/core';
import { startWorld, type World } from '../support/e2e-world.js';
import { issuesPayload } from '../support/webhook-payloads.js';

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

function thread(w: World) {
  const comments = w.github.repo(w.repo).comments(w.issue);
  return {
    events: comments.map((c) => findEventMarker(c.body)?.type).filter((t) => t !== undefined),
    statuses: comments.filter((c) => findStatusMarker(c.body) !== undefined),
    comments,
  };
}

function farm(w: World) {
  const text = w.github.repo(w.repo).readFile('.trinity/railway_farm.json');
  if (text === undefined) throw new Error('no farm committed');
  return parseFarm(text, '.trinity/railway_farm.json');
}

describe('an issue’s whole life, the committed bundles run as the Actions runner runs them', () => {
  it('opened → provision → deploy → two journal steps → closed → destroy', async () => {
    const w = (world = await startWorld(issuesPayload('opened')));

    const provision = await w.run('provision-sandbox', { payload: issuesPayload('opened') });
    expect(provision.stdout).not.toContain('::error::');
    expect(provision.exitCode).toBe(0);
    expect(provision.outputs).toMatchObject({ status: 'deploying' });
    expect(w.railway.state.services(w.projectId)).toHaveLength(1);
    expect(provision.outputs['service-id']).toBe(w.railway.state.services(w.projectId)[0]?.id);

    const deploy = await w.run('deploy-sandbox', { payload: issuesPayload('opened') });
    expect(deploy.stdout).not.toContain('::error::');
    expect(deploy.outputs).toMatchObject({ 'deployment-status': 'SUCCESS' });
    expect(deploy.outputs.url).toMatch(/^https:\/\//);
    // The job summary: a table with what happened, the state, the links and how long it took.
    expect(deploy.summary).toContain('<h3>Deployment for issue #1</h3>');
    expect(deploy.summary).toMatch(/<td>Railway status<\/td><td>SUCCESS<\/td>/);
    expect(deploy.summary).toContain(deploy.outputs.url);
    expect(deploy.summary).toMatch(/<td>Took<\/td><td>\d+\.\d s<\/td>/);

    for (const message of ['Reproduced the bug', 'Fixed it: tests pass']) {
      const seen = w.github.requests.length;
      const step = await w.run('journal-step', { payload: issuesPayload('opened'), inputs: { message } });
      expect(step.exitCode).toBe(0);
      // One read (api mode): the issue, its newest comments, the head, the farm and the experience
      // file's name in one GraphQL query; the commit on top of that head, one createCommitOnBranch.
      // No Git Data API call; GitHub signed it.
      const asked = w.github.requests.slice(seen).map((r) => r.operationId ?? '');
      expect(asked.filter((id) => id === 'graphql/mutation')).toHaveLength(1);
      expect(asked.filter((id) => id === 'graphql/query')).toHaveLength(1);
      expect(asked.filter((id) => id.startsWith('git/'))).toEqual([]);
      expect(w.github.isVerified(w.repo, w.github.repo(w.repo).headSha())).toBe(true);
      expect(step.outputs['experience-file']).toMatch(/^\.trinity\/experience\/\d{8}T\d{9}Z_1\.md$/);
      // Committed to the repository, with the comment it became.
      const file = w.github.repo(w.repo).readFile(step.outputs['experience-file'] ?? '');
      expect(file).toContain(message);
      expect(file).toContain(`comment_url: "${step.outputs['comment-url']}"`);
    }

    // The maintainer closes the issue.
    const closed = issuesPayload('reopened');
    closed.action = 'closed';
    await closeIssue(w);
    const destroy = await w.run('destroy-sandbox', { payload: closed });
    expect(destroy.stdout).not.toContain('::error::');
    expect(destroy.outputs).toMatchObject({ destroyed: '1', status: 'destroyed' });
    // The logs were archived for the workflow to upload, redacted (the build echoed a database URL).
    const logsPath = destroy.outputs['logs-path'] ?? '';
    const archived = readdirSync(logsPath).sort();
    expect(archived).toEqual([expect.stringMatching(/-build\.log$/), expect.stringMatching(/-deploy\.log$/)]);
    const archivedText = archived.map((file) => readFileSync(join(logsPath, file), 'utf8')).join('\n');
    expect(archivedText).toContain('DATABASE_URL=postgresql://postgres:');
    expect(archivedText).not.toContain(w.railway.plantedSecret);
    const destroyedComment = thread(w).comments.find(
      (c) => findEventMarker(c.body)?.type === 'sandbox_destroyed',
    );
    expect(destroyedComment?.body).toMatch(/\d+ lines archived as a workflow artifact/);

    expect(w.railway.state.services(w.projectId)).toHaveLength(0);
    const { events, statuses } = thread(w);
    expect(events).toEqual([
      'sandbox_created',
      'deployment_started',
      'deployment_succeeded',
      'step_completed',
      'step_completed',
      'sandbox_destroyed',
    ]);
    expect(statuses).toHaveLength(1);
    expect(findStatusMarker(statuses[0]?.body ?? '')?.state).toBe('destroyed');
    // Each event comment names its point in the status comment's picture, and links to it once the
    // status comment exists (the first event is posted before it).
    const statusUrl = `https://github.com/${w.repo}/issues/${w.issue}#issuecomment-${statuses[0]?.id ?? 0}`;
    const eventComments = thread(w).comments.filter((c) => findEventMarker(c.body) !== undefined);
    expect(eventComments[0]?.body).toContain('· point 1 of the timeline in the status comment</sub>');
    for (const [i, c] of eventComments.slice(1).entries())
      expect(c.body).toContain(`· point ${i + 2} of [the timeline](${statusUrl})</sub>`);
    expect(statuses[0]?.body).toContain(`e6["6. 🧹 sandbox destroyed`);
    expect(findStatusMarker(statuses[0]?.body ?? '')?.events_total).toBe(6);
    expect(w.github.repo(w.repo).issue(w.issue)?.labels).toEqual(
      expect.arrayContaining(['sandbox: destroyed']),
    );
    expect(
      w.github
        .repo(w.repo)
        .issue(w.issue)
        ?.labels.filter((l) => l.startsWith('sandbox:')),
    ).toHaveLength(1);

    const row = farm(w).agent_map.find((r) => r.issue === w.issue);
    expect(row).toMatchObject({
      status: 'destroyed',
      service_id: provision.outputs['service-id'],
      repo: w.repo,
    });
    expect(row?.experience_file).toMatch(/^\.trinity\/experience\//);
    expect(row?.url).toBe(deploy.outputs.url);
    // Every commit says what changed and for which issue.
    const messages = w.github
      .repo(w.repo)
      .log()
      .map((commit) => commit.message)
      .filter((message) => /^(sandbox|journal):/.test(message));
    // Provision records the service before it posts, then the status comment's id (docs/RELIABILITY.md).
    expect(messages).toHaveLength(6);
    for (const message of messages) expect(message).toMatch(/issue #1\b/);
    expect(messages.join('\n')).toMatch(/deployment \S+ SUCCESS/);
    for (const output of [provision, deploy, destroy])
      expect(logLines(output.stdout)).not.toMatch(/rw_e2e_account_token_0001|ghs_e2eRunnerToken0001/);
  });
});

/** Everything the runner would print, except the mask commands that carry the secret to mask. */
function logLines(stdout: string): string {
  return stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

async function closeIssue(w: World): Promise<void> {
  const response = await fetch(`${w.github.url}/repos/${w.repo}/issues/${w.issue}`, {
    method: 'PATCH',
    headers: { authorization: 'token ghs_e2eRunnerToken0001', 'content-type': 'application/json' },
    body: JSON.stringify({ state: 'closed' }),
  });
  if (!response.ok) throw new Error(`closing failed: ${response.status}`);
}
