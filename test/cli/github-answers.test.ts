/**
 * `tri` and GitHub's real answers: an issue URL of another repository is never re-targeted, a
 * secondary rate limit is not a missing permission, a comment GitHub calls too long is said so.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GitHubFixture } from '../support/github.js';
import { REPO, cli, github, workingCopy } from './helpers.js';

let gh: GitHubFixture;
beforeEach(async () => {
  gh = await github();
});
afterEach(async () => {
  await gh.emulator.close();
});

describe('issue URLs of another repository', () => {
  it('tri agent link refuses one instead of linking the same number here', async () => {
    const root = workingCopy();
    const run = await cli(root, gh).run(['agent', 'link', 'https://github.com/octo-org/app/issues/506']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(
      `The issue given is an issue of octo-org/app (#506), but this working copy's repository (from --repo, ` +
        `GITHUB_REPOSITORY or the origin remote) is ${REPO}; an issue URL is never re-targeted to another repository. ` +
        'Run tri in a clone of octo-org/app, or pass --repo octo-org/app.',
    );
    expect(existsSync(join(root, '.trinity/current_issue.json'))).toBe(false);
    expect(gh.emulator.requests).toEqual([]);
  });

  it('links a URL of this repository, and one of another repository with --repo naming it', async () => {
    const root = workingCopy();
    const tri = cli(root, gh);
    expect((await tri.run(['agent', 'link', `https://github.com/${REPO}/issues/506`])).code).toBe(0);
    gh.emulator.createRepo('octo-org/app');
    gh.emulator.seedIssue('octo-org/app', { number: 506, title: 'there' });
    const there = await tri.run([
      'agent',
      'link',
      '--repo',
      'octo-org/app',
      'https://github.com/octo-org/app/issues/506',
    ]);
    expect(there.code).toBe(0);
    expect(there.stdout).toContain('Linked this working copy to octo-org/app#506');
  });

  it('tri agent log and tri sandbox mapping refuse one too', async () => {
    const root = workingCopy();
    const tri = cli(root, gh);
    const url = 'https://github.com/octo-org/app/issues/7';
    for (const argv of [
      ['agent', 'log', url],
      ['sandbox', 'mapping', url],
    ]) {
      const run = await tri.run(argv);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('is an issue of octo-org/app (#7)');
    }
  });
});

describe('GitHub refusals explained', () => {
  it('a secondary rate limit is explained as one, not as a missing permission', async () => {
    const root = workingCopy();
    const tri = cli(root, gh);
    await tri.run(['agent', 'link', '7']);
    gh.emulator.injectFault({
      kind: 'secondary_rate_limit',
      operationId: 'issues/create-comment',
      retryAfterSeconds: 3600,
      times: 10,
    });
    const step = await tri.run(['agent', 'step', 'tests pass']);
    expect(step.code).toBe(0);
    expect(step.stderr).toContain(
      "GitHub's secondary rate limit stopped POST /repos/octo-org/sandbox-demo/issues/7/comments",
    );
    expect(step.stderr).toContain('GitHub asks to wait 3600 s (retry-after)');
    expect(step.stderr).not.toContain('issues: write');
    const sync = await tri.run(['agent', 'sync']);
    expect(sync.code).toBe(3);
    expect(sync.stderr).toContain("GitHub's secondary rate limit");
    expect(sync.stderr).not.toContain('issues: write');
  });

  it('a comment GitHub calls too long is said to be that', async () => {
    const root = workingCopy();
    const tri = cli(root, gh);
    await tri.run(['agent', 'link', '7']);
    gh.emulator.injectFault({ kind: 'comment_too_long', operationId: 'issues/create-comment' });
    const step = await tri.run(['agent', 'step', 'a step']);
    expect(step.stderr).toContain(
      'GitHub refused the comment as too long (422 Validation Failed: Body is too long (maximum is 65536 characters))',
    );
  });
});
