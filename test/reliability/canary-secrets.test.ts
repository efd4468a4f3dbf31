/**
 * Canary secrets (issue 10, part 6): known values flow through the success path and the failure
 * paths (a failed deployment's log tail, a revoked Railway token, a secret pasted into a journal
 * message), and every channel a reader can see is searched for them: the action's stdout and stderr
 * (minus `::add-mask::` lines, which the runner consumes), the step summary and outputs files, every
 * comment in the GitHub emulator, every file and commit message on the branch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployAction, journalAction, provisionAction, type ActionRuntime } from '@trinity/core/actions';
import type { LifecycleResult } from '@trinity/core';
import { startGitHubEmulator, type GitHubEmulator } from '../emulators/github/index.js';
import { startRailwayEmulator, type RailwayEmulator } from '../emulators/railway/index.js';
import { runActionInProcess, type ActionRun } from './in-process-action.js';

const REPO = 'octo-org/sandbox-demo';
const GITHUB_CANARY = 'ghs_CANARYgithubtoken7f3a9c2e1b';
const RAILWAY_CANARY = 'rw_CANARY_railway_token_5d2e8f';
const VARIABLE_CANARY = 'canary-variable-value-91c4';

let github: GitHubEmulator;
let railway: RailwayEmulator;
let project: { projectId: string; environmentId: string };
const runs: ActionRun[] = [];

beforeAll(async () => {
  github = await startGitHubEmulator();
  github.addToken(GITHUB_CANARY, { login: 'github-actions[bot]', repositories: [REPO] });
  github.createRepo(REPO, { files: { 'README.md': '# demo\n' } });
  for (const number of [7, 8]) {
    github.seedIssue(REPO, { number, title: `Issue ${number}`, user: 'octocat', authorAssociation: 'OWNER' });
  }
  railway = await startRailwayEmulator({ progression: 'poll' });
  project = railway.addProject({ name: 'sandboxes' });
  railway.addToken({ token: RAILWAY_CANARY, kind: 'account' });
});
afterAll(async () => {
  await Promise.all([github.close(), railway.close()]);
});

async function run(
  name: string,
  body: (runtime: ActionRuntime) => Promise<LifecycleResult>,
  issue: number,
  inputs: Record<string, string> = {},
): Promise<ActionRun> {
  const result = await runActionInProcess(name, body, {
    inputs: {
      'github-token': GITHUB_CANARY,
      'railway-token': RAILWAY_CANARY,
      'railway-project-id': project.projectId,
      'railway-environment-id': project.environmentId,
      'railway-api-url': railway.url,
      ...inputs,
    },
    env: { GITHUB_API_URL: github.url, TRINITY_GITHUB_WRITE_INTERVAL_MS: '0' },
    eventName: 'issues',
    payload: { action: 'opened', issue: { number: issue } },
  });
  runs.push(result);
  return result;
}

/** Every file and commit message on the default branch, through the API as a reader sees them. */
async function repositoryText(): Promise<string> {
  const headers = { authorization: `token ${GITHUB_CANARY}` };
  const get = async (path: string): Promise<unknown> =>
    (await fetch(`${github.url}/repos/${REPO}/${path}`, { headers })).json();
  const repo = github.repo(REPO);
  const tree = (await get(`git/trees/${repo.headSha()}?recursive=1`)) as {
    tree: Array<{ path: string; type: string }>;
  };
  const files = tree.tree
    .filter((entry) => entry.type === 'blob')
    .map((entry) => repo.readFile(entry.path) ?? '');
  return [...files, ...repo.log().map((commit) => commit.message)].join('\n');
}

function everything(): string {
  const repo = github.repo(REPO);
  const comments = [7, 8].flatMap((n) => repo.comments(n).map((comment) => comment.body));
  const channels = runs.flatMap((r) => [
    r.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n'),
    r.stderr,
    r.outputs,
    r.summary,
    r.failed ?? '',
  ]);
  return [...channels, ...comments].join('\n');
}

describe('canary secrets', () => {
  it('flow through success and failure paths and appear in no output channel', async () => {
    // Success: a sandbox with a secret variable, deployed.
    const provisioned = await run('provision-sandbox', provisionAction, 7, {
      image: 'ghcr.io/octo-org/app:1',
      variables: `DATABASE_PASSWORD=${VARIABLE_CANARY}`,
    });
    expect(provisioned.failed).toBeUndefined();
    const deployed = await run('deploy-sandbox', deployAction, 7, { 'poll-interval-seconds': '0.01' });
    expect(deployed.failed).toBeUndefined();

    // A journal message into which someone pasted the job's token and a token-shaped value. (A value
    // of provision's `variables` is not known to a journal-step job: docs/SECURITY.md, "Limits".)
    const journaled = await run('journal-step', journalAction, 7, {
      message: `Ran the suite with GITHUB_TOKEN=${GITHUB_CANARY} and Authorization: Bearer ${RAILWAY_CANARY}`,
    });
    expect(journaled.failed).toBeUndefined();

    // Failure: a deployment whose healthcheck never passes posts its log tail (Railway's planted
    // database URL with a password in it).
    railway.setScenario(/issue-8/, { outcome: 'healthcheck_fails' });
    await run('provision-sandbox', provisionAction, 8, {
      image: 'ghcr.io/octo-org/app:1',
      variables: `DATABASE_PASSWORD=${VARIABLE_CANARY}`,
    });
    await run('deploy-sandbox', deployAction, 8, { 'poll-interval-seconds': '0.01' });

    // Failure: the Railway token is revoked.
    railway.revokeToken(RAILWAY_CANARY);
    const revoked = await run('deploy-sandbox', deployAction, 7, { 'poll-interval-seconds': '0.01' });
    expect(revoked.failed).toBeDefined();

    // The failure path really posted a log tail (where Railway's planted password was).
    expect(
      github
        .repo(REPO)
        .comments(8)
        .some((comment) => comment.body.includes('log lines')),
    ).toBe(true);
    const seen = `${everything()}\n${await repositoryText()}`;
    expect(seen.length).toBeGreaterThan(1000);
    for (const canary of [GITHUB_CANARY, RAILWAY_CANARY, VARIABLE_CANARY, railway.plantedSecret]) {
      expect(seen, `a channel shows ${canary.slice(0, 12)}…`).not.toContain(canary);
      expect(seen).not.toContain(Buffer.from(canary).toString('base64').replace(/=+$/, ''));
      expect(seen).not.toContain(encodeURIComponent(canary));
    }
    // The masks were announced for each secret the runner must hide from the raw log.
    const masks = runs.flatMap((r) => r.stdout.split('\n').filter((line) => line.startsWith('::add-mask::')));
    expect(masks).toEqual(
      expect.arrayContaining([`::add-mask::${VARIABLE_CANARY}`, `::add-mask::${RAILWAY_CANARY}`]),
    );
    console.log(
      `canary secrets: ${runs.length} runs, ${runs.filter((r) => r.failed !== undefined).length} failed on purpose, ` +
        `${seen.length} characters searched, 0 canaries found`,
    );
  });
});
