/**
 * GitHub's outage answers as a run meets them (test/emulators/github/README.md, behaviour → source):
 * the "Unicorn!" HTML page behind a 5xx, and GraphQL's untyped "Something went wrong while executing
 * your query" failure. A passing outage is retried away; a lasting one fails the run with a message
 * that names the status and the page, not hundreds of lines of HTML.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findEventMarker } from '@trinity/core';
import { journalAction } from '@trinity/core/actions';
import { REPO, TOKEN, startGitHub, type GitHubFixture } from '../support/github.js';
import { runActionInProcess } from '../reliability/in-process-action.js';

let gh: GitHubFixture;
beforeEach(async () => {
  gh = await startGitHub();
});
afterEach(() => gh.emulator.close());

/** The thread's event comments (the status comment is the other kind). */
const eventComments = () =>
  gh.emulator
    .repo(REPO)
    .comments(7)
    .filter((c) => findEventMarker(c.body) !== undefined);

const step = (message: string) =>
  runActionInProcess('journal-step', journalAction, {
    inputs: { 'github-token': TOKEN, message, 'issue-number': '7' },
    env: { GITHUB_API_URL: gh.emulator.url, TRINITY_GITHUB_TIME_BASE_MS: '1' },
    eventName: 'workflow_dispatch',
    payload: { inputs: { 'issue-number': '7' } },
  });

describe('GitHub outage answers', () => {
  it('an HTML error page that lasts fails the run naming the status and the page, not the HTML', async () => {
    gh.emulator.injectFault({ operationId: 'issues/create-comment', kind: 'html', status: 502, times: 10 });
    const run = await step('Ran the tests');
    expect(run.failed).toContain(
      'HTTP 502 with an HTML error page instead of an API answer ("Unicorn! · GitHub")',
    );
    expect(run.failed).not.toContain('<!DOCTYPE');
    expect(run.failed).not.toContain('<html');
    expect(gh.emulator.repo(REPO).comments(7)).toHaveLength(0);
  });

  it('an HTML error page that passes is retried away on a read', async () => {
    gh.emulator.injectFault({ operationId: 'graphql/query', kind: 'html', status: 502 });
    const run = await step('Ran the tests');
    expect(run.failed).toBeUndefined();
    expect(gh.emulator.requests.filter((r) => r.fault === 'html')).toHaveLength(1);
    expect(eventComments()).toHaveLength(1);
  });

  it('on a comment it fails the run (the comment may exist); the re-run journals the step once', async () => {
    gh.emulator.injectFault({ operationId: 'issues/create-comment', kind: 'html', status: 502 });
    expect((await step('Ran the tests')).failed).toContain('HTTP 502 with an HTML error page');
    expect((await step('Ran the tests')).failed).toBeUndefined();
    expect(eventComments()).toHaveLength(1);
  });

  it.each([200, 502])(
    'a GraphQL "Something went wrong" answer (status %i) is retried: the step is journalled once',
    async (status) => {
      gh.emulator.injectFault({ operationId: 'graphql/query', kind: 'graphql_error', status });
      const run = await step('Ran the tests');
      expect(run.failed).toBeUndefined();
      const faulted = gh.emulator.requests.filter((r) => r.fault === 'graphql_error');
      expect(faulted).toHaveLength(1);
      expect(eventComments()).toHaveLength(1);
    },
  );
});
