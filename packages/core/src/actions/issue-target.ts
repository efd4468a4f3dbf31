import { UserError } from '../errors.js';
import type { GitHubClient } from '../github/octokit.js';
import { refusalOf } from '../github/refusals.js';
import { optional } from '../settings/inputs.js';
import { refusePullRequest } from '../settings/common.js';
import type { ActionRuntime } from './run-action.js';

/**
 * A manual run (`workflow_dispatch`) names its issue by the `issue-number` input, which nothing
 * has checked: a typo would otherwise end green ("issue is missing: nothing to do") and a pull
 * request's number would get a sandbox. So before anything else, the issue is read once and the
 * run refused, with what to fix, when it does not exist, was deleted or moved, or is a pull
 * request. An event's own issue needs no such read: GitHub sent it, and its payload says whether it
 * is a pull request (settings/common.ts).
 */
export async function confirmNamedIssue(
  runtime: Pick<ActionRuntime, 'inputs' | 'context'>,
  octokit: GitHubClient,
  issueNumber: number,
): Promise<void> {
  if (optional(runtime.inputs, 'issue-number') === undefined) return;
  const { owner, repo } = runtime.context.repository;
  const named = `${owner}/${repo}#${issueNumber}`;
  let data;
  try {
    ({ data } = await octokit.rest.issues.get({ owner, repo, issue_number: issueNumber }));
  } catch (error) {
    const refusal = refusalOf(error, named);
    if (refusal === undefined) throw error;
    throw new UserError(
      `Input "issue-number" names ${named}, which this run cannot act on. ${refusal.message}`,
    );
  }
  // A transferred issue answers through a redirect from its new repository (github/issue-state.ts).
  const home = `/repos/${owner}/${repo}`.toLowerCase();
  if (!data.repository_url.toLowerCase().endsWith(home)) {
    throw new UserError(
      `Input "issue-number" names ${named}, which was transferred to another repository (now ${data.html_url}). ` +
        "Its sandbox, if it had one, is this repository's to destroy: run the destroy operation; to give the " +
        'moved issue a sandbox, run the workflow of the repository it moved to.',
    );
  }
  refusePullRequest(data, issueNumber);
}
