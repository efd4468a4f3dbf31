// The bench's baseline: an action that posts one comment with @actions/github and nothing else.
// `npm run bench` builds it with ncc into a temporary directory (the same build options as
// dist/), so the journal-step bundle's wall time and cold start are compared side by side with
// the least a commenting action can be.
import * as core from '@actions/core';
import * as github from '@actions/github';

async function main(): Promise<void> {
  const octokit = github.getOctokit(core.getInput('github-token', { required: true }));
  await octokit.rest.issues.createComment({
    ...github.context.repo,
    issue_number: github.context.issue.number,
    body: core.getInput('message', { required: true }),
  });
}

main().catch((error: unknown) => core.setFailed(error instanceof Error ? error.message : String(error)));
