// Contract tests against the real GitHub API, for whoever has a test repository: `npm run test:live`
// with GH_TOKEN (a token that may write issues and contents) and GH_LIVE_REPO (owner/name of a
// throwaway repository; GH_LIVE_ISSUE names an issue to comment on instead of opening one). They drive the product's own client and commit backend (comment, edit,
// commit, race) on a scratch issue and branch, record every answer, secrets stripped, as fixtures the
// emulator tests replay, and clean up after themselves (docs/live-conformance.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApiCommitBackend,
  createConsoleLogger,
  createGitHubClient,
  type GitHubClient,
} from '@trinity/core';
import { bindIssue, createBarrier, holdFirstCommitMutation } from '../support/commit-fixtures.js';
import { createRecorder, summarise } from './recorder.js';

const token = process.env.GH_TOKEN ?? '';
const [owner = '', repo = ''] = (process.env.GH_LIVE_REPO ?? '').split('/');
const apiUrl = process.env.GITHUB_API_URL ?? 'https://api.github.com';
const missing = [!token && 'GH_TOKEN', !(owner && repo) && 'GH_LIVE_REPO (owner/name)'].filter(Boolean);
if (missing.length > 0) {
  console.log(
    `GitHub live conformance skipped: set ${missing.join(' and ')} (see docs/live-conformance.md).`,
  );
}

const recorder = createRecorder('github', [token]);
const stamp = new Date().toISOString().replace(/[-:.]/g, '');
const branch = `trinity-live/${stamp}`;

/** A client as the product builds it, every answer (errors included) recorded under the current case. */
function recordedClient(): GitHubClient {
  const octokit = createGitHubClient({ token: token, baseUrl: apiUrl, logger: createConsoleLogger() });
  octokit.hook.wrap('request', async (request, options) => {
    try {
      const response = await request(options);
      recorder.record(
        summarise(response.status, new Headers(response.headers as Record<string, string>), response.data),
      );
      return response;
    } catch (error) {
      const e = error as { status?: number; response?: { headers?: Record<string, string>; data?: unknown } };
      recorder.record(summarise(e.status ?? 0, new Headers(e.response?.headers ?? {}), e.response?.data));
      throw error;
    }
  });
  return octokit;
}

describe.skipIf(missing.length > 0)('GitHub, live', () => {
  let octokit: GitHubClient;
  let issueNumber: number;
  let openedHere = false;

  beforeAll(async () => {
    octokit = recordedClient();
    const given = Number(process.env.GH_LIVE_ISSUE ?? '');
    if (Number.isInteger(given) && given > 0) {
      issueNumber = given;
    } else {
      recorder.begin('issue-create', 'POST an issue');
      const issue = await octokit.rest.issues.create({
        owner: owner,
        repo: repo,
        title: `trinity live conformance ${stamp}`,
        body: 'Opened and closed by `npm run test:live`.',
      });
      issueNumber = issue.data.number;
      openedHere = true;
    }
    recorder.begin('branch-create', 'POST a ref for a scratch branch at the default branch head');
    const { data: meta } = await octokit.rest.repos.get({ owner: owner, repo: repo });
    const head = await octokit.rest.git.getRef({
      owner: owner,
      repo: repo,
      ref: `heads/${meta.default_branch}`,
    });
    await octokit.rest.git.createRef({
      owner: owner,
      repo: repo,
      ref: `refs/heads/${branch}`,
      sha: head.data.object.sha,
    });
  });

  afterAll(async () => {
    recorder.begin('cleanup', 'delete the scratch branch, close the scratch issue');
    await octokit.rest.git
      .deleteRef({ owner: owner, repo: repo, ref: `heads/${branch}` })
      .catch(() => undefined);
    if (openedHere) {
      await octokit.rest.issues
        .update({ owner: owner, repo: repo, issue_number: issueNumber, state: 'closed' })
        .catch(() => undefined);
    }
    const written = recorder.save();
    console.log(`Recorded ${written.length} GitHub fixtures under test/fixtures/recorded/github/.`);
  });

  it('comments, edits the comment, and refuses a body over 65,536 characters', async () => {
    recorder.begin('comment-create', 'POST an issue comment');
    const comment = await octokit.rest.issues.createComment({
      owner: owner,
      repo: repo,
      issue_number: issueNumber,
      body: 'first',
    });
    recorder.begin('comment-update', 'PATCH that comment');
    await octokit.rest.issues.updateComment({
      owner: owner,
      repo: repo,
      comment_id: comment.data.id,
      body: 'edited',
    });
    recorder.begin('comment-too-long', 'POST an issue comment of 65,537 characters');
    await expect(
      octokit.rest.issues.createComment({
        owner: owner,
        repo: repo,
        issue_number: issueNumber,
        body: 'x'.repeat(65_537),
      }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('answers an issue that does not exist', async () => {
    recorder.begin('issue-missing', 'GET an issue number that does not exist');
    await expect(
      octokit.rest.issues.get({ owner: owner, repo: repo, issue_number: 999_999_999 }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('commits through the product backend, and two racing writers both land', async () => {
    const backend = (instrument?: (o: GitHubClient) => void) => {
      const client = recordedClient();
      instrument?.(client);
      return createApiCommitBackend({
        octokit: client,
        owner: owner,
        repo: repo,
        branch,
        logger: createConsoleLogger(),
        race: { sleep: (ms) => new Promise((r) => setTimeout(r, ms)), random: Math.random },
      });
    };
    recorder.begin('commit', 'one commit through createCommitOnBranch');
    expect(await backend().commit(bindIssue(1))).toMatchObject({ committed: true });
    // The loser's first createCommitOnBranch is GitHub's STALE_DATA answer, recorded as commit-race.
    recorder.begin(
      'commit-race',
      'two writers hold their first commit mutation until both have read the head; the losing createCommitOnBranch',
      { keep: 'first-failure' },
    );
    const arrive = createBarrier(2);
    const results = await Promise.all([
      backend((o) => holdFirstCommitMutation(o, arrive)).commit(bindIssue(2)),
      backend((o) => holdFirstCommitMutation(o, arrive)).commit(bindIssue(3)),
    ]);
    expect(results.every((r) => r.committed)).toBe(true);
    expect(results.filter((r) => r.attempts === 1)).toHaveLength(1);
  });
});
