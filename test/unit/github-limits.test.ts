/**
 * Rate limits and refusals through the client the product builds: GitHub answers a limit with 403
 * or 429, only the throttling plugin retries it, `retry-after` is obeyed, a wait longer than the run
 * accepts fails at once with what, when and how, and a missing permission names the permission.
 */
import {
  acceptedPermissions,
  createGitHubClient,
  createRecordingLogger,
  explainRefusal,
  GitHubRefusal,
  isUserError,
} from '@trinity/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubEmulator, type GitHubEmulator } from '../emulators/github/index.js';

const REPO = 'octo-org/limits';
const o = { owner: 'octo-org', repo: 'limits' };
let gh: GitHubEmulator;

// The throttling plugin computes a primary limit's wait from the wall clock and `x-ratelimit-reset`,
// so this emulator keeps the wall clock too; the waits asserted on are an hour, far from any jitter.
beforeEach(async () => {
  gh = await startGitHubEmulator();
  gh.addToken('ghs_write');
  gh.addToken('ghs_read', { permissions: 'read' });
  gh.createRepo(REPO, { files: { 'a.txt': 'a\n' } });
  gh.seedIssue(REPO, { title: 'limits' });
});

afterEach(async () => {
  await gh.close();
});

function client(token = 'ghs_write') {
  const logger = createRecordingLogger();
  const octokit = createGitHubClient({
    token,
    baseUrl: gh.url,
    logger,
    timeBaseMs: 1,
    writeIntervalMs: 0,
    maxRateLimitRetries: 3,
    now: () => new Date(),
  });
  return { octokit, logger };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe.each([403, 429] as const)('a limit answered with %i', (status) => {
  it('is retried by the throttling plugin only: 4 requests, not 16', async () => {
    gh.injectFault({
      kind: 'secondary_rate_limit',
      status,
      retryAfterSeconds: 1,
      operationId: 'issues/get',
      times: 100,
    });
    const { octokit } = client();
    const error = await failureOf(octokit.rest.issues.get({ ...o, issue_number: 1 }));
    expect(gh.requests.filter((r) => r.operationId === 'issues/get')).toHaveLength(4);
    expect(error).toBeInstanceOf(GitHubRefusal);
    expect((error as GitHubRefusal).status).toBe(status);
    expect((error as Error).message).toContain(
      "GitHub's secondary rate limit stopped GET /repos/octo-org/limits/issues/1",
    );
    expect((error as Error).message).toContain('GitHub asks to wait 1 s (retry-after)');
  });

  it('obeys a short retry-after and then succeeds', async () => {
    gh.injectFault({
      kind: 'secondary_rate_limit',
      status,
      retryAfterSeconds: 2,
      operationId: 'issues/create-comment',
    });
    const { octokit, logger } = client();
    const created = await octokit.rest.issues.createComment({ ...o, issue_number: 1, body: 'hi' });
    expect(created.status).toBe(201);
    expect(logger.lines.some((e) => e.message.includes('retrying in 2 s'))).toBe(true);
  });

  it('fails at once when the primary limit resets later than the run waits', async () => {
    gh.injectFault({
      kind: 'primary_rate_limit',
      status,
      retryAfterSeconds: 3600,
      operationId: 'issues/get',
      times: 100,
    });
    const { octokit } = client();
    const error = await failureOf(octokit.rest.issues.get({ ...o, issue_number: 1 }));
    expect(gh.requests.filter((r) => r.operationId === 'issues/get')).toHaveLength(1);
    expect(isUserError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain("GitHub's primary rate limit (core) for this token is used up");
    expect(message).toMatch(/It resets at \d{4}-\d\d-\d\dT[\d:.]+Z \(in 60 minutes\)/);
    expect(message).toContain('Re-run the job after the reset');
  });
});

describe('a missing permission', () => {
  it('names issues: write for a comment and contents: write for a commit', async () => {
    const { octokit } = client('ghs_read');
    const comment = await failureOf(octokit.rest.issues.createComment({ ...o, issue_number: 1, body: 'x' }));
    expect(isUserError(comment)).toBe(true);
    expect((comment as Error).message).toContain('The token lacks the `issues: write` permission');
    const tree = await failureOf(
      octokit.rest.git.createTree({
        ...o,
        tree: [{ path: 'b', mode: '100644', type: 'blob', content: 'b' }],
      }),
    );
    expect((tree as Error).message).toContain('The token lacks the `contents: write` permission');
    expect((tree as GitHubRefusal).status).toBe(403);
  });
});

describe('x-accepted-github-permissions', () => {
  it('names what GitHub asked for when the route is not one the product knows', () => {
    const error = Object.assign(new Error('Resource not accessible by integration'), {
      status: 403,
      response: {
        data: { message: 'Resource not accessible by integration' },
        headers: { 'x-accepted-github-permissions': 'issues=write; pull_requests=write' },
      },
    });
    expect(acceptedPermissions(error)).toEqual(['issues: write', 'pull-requests: write']);
    const explained = explainRefusal(
      error,
      { method: 'POST', url: '/repos/o/r/pulls/1/reviews' },
      { maxWaitSeconds: 300, now: () => new Date(0) },
    );
    expect((explained as Error).message).toContain(
      'The token lacks the `issues: write or pull-requests: write` permission',
    );
  });
});
