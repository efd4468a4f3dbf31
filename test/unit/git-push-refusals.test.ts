/**
 * git commit mode: a push GitHub refuses for a reason the user fixes is a user error in GitHub's
 * own wording, not "an outage or a bug" (the lead's git integration tests cover the happy paths).
 */
import { createGitCommitBackend, createRecordingLogger, isUserError, type GitRunner } from '@trinity/core';
import { describe, expect, it } from 'vitest';

const HEAD = 'a'.repeat(40);

/** Answers the plumbing the backend runs; the push fails with what GitHub's git server printed. */
function runnerPushingWith(stderr: string): GitRunner {
  return {
    run(args) {
      const ok = (stdout = '') => Promise.resolve({ exitCode: 0, stdout, stderr: '' });
      switch (args[0]) {
        case 'rev-parse':
          return ok(`${HEAD}\n`);
        case 'cat-file':
          return Promise.resolve({ exitCode: 128, stdout: '', stderr: 'fatal: path does not exist' });
        case 'hash-object':
        case 'write-tree':
        case 'commit-tree':
          return ok(`${'b'.repeat(40)}\n`);
        case 'push':
          return Promise.resolve({ exitCode: 128, stdout: '', stderr });
        default:
          return ok();
      }
    },
  };
}

async function pushWith(stderr: string): Promise<unknown> {
  const backend = createGitCommitBackend({
    git: runnerPushingWith(stderr),
    branch: 'main',
    logger: createRecordingLogger(),
    race: { sleep: () => Promise.resolve(), random: () => 0, maxAttempts: 3 },
  });
  try {
    await backend.commit(() =>
      Promise.resolve({ message: 'm', files: [{ path: '.trinity/railway_farm.json', content: '{}' }] }),
    );
  } catch (error) {
    return error;
  }
  throw new Error('expected the push to fail');
}

describe('git push refusals', () => {
  it('names contents: write for the 403 of a token without it', async () => {
    const error = await pushWith(
      'remote: Permission to acme/widgets.git denied to github-actions[bot].\n' +
        "fatal: unable to access 'https://github.com/acme/widgets/': The requested URL returned error: 403\n",
    );
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toContain(
      'Permission to acme/widgets.git denied to github-actions[bot].',
    );
    expect((error as Error).message).toContain('The token lacks the `contents: write` permission');
  });

  it.each([
    'remote: error: GH006: Protected branch update failed for refs/heads/main.        ',
    'remote: error: GH013: Repository rule violations found for refs/heads/main.        ',
  ])('explains a protected branch or ruleset: %s', async (line) => {
    const error = await pushWith(
      `${line}\nTo https://github.com/acme/widgets\n ! [remote rejected] abc -> main (protected branch hook declined)\n`,
    );
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /the branch is protected or a ruleset applies \("GH0(06|13): [^"]+ for refs\/heads\/main"\).*Set farm-branch/,
    );
  });

  it('leaves an unknown failure an error of its own', async () => {
    const error = await pushWith('fatal: unable to access: Could not resolve host: github.com\n');
    expect(isUserError(error)).toBe(false);
  });
});
