import { describe, expect, it } from 'vitest';
import { actionNames } from '../support/action-metadata.js';
import { runBundle } from '../support/run-bundle.js';
import { issueCommentPayload, issuesPayload } from '../support/webhook-payloads.js';

// Bad inputs are refused before any request is made, by each committed bundle, with a message that
// names the input; tokens are masked before anything else is logged.
const REQUIRED: Record<string, Record<string, string>> = {
  'provision-sandbox': { 'railway-token': 'rw_live_supersecret' },
  'deploy-sandbox': { 'railway-token': 'rw_live_supersecret' },
  'destroy-sandbox': { 'railway-token': 'rw_live_supersecret' },
  'journal-step': { message: 'Ran the suite' },
  'sandbox-command': { 'railway-token': 'rw_live_supersecret' },
};

/** sandbox-command runs on a new comment; the others on an issue event. */
function triggeredBy(name: string): { payload: unknown; eventName: string } {
  return name === 'sandbox-command'
    ? { payload: issueCommentPayload('created', '/sandbox status'), eventName: 'issue_comment' }
    : { payload: issuesPayload('opened'), eventName: 'issues' };
}

describe.each(actionNames())('dist/%s/index.js run as the Actions runner runs it', (name) => {
  it('names a bad input before doing anything else', async () => {
    const run = await runBundle(name, {
      inputs: { ...REQUIRED[name], 'commit-mode': 'svn' },
      ...triggeredBy(name),
      githubToken: 'ghs_runnertoken123',
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      `::error::${name}: Input "commit-mode" is "svn", which is not one of the accepted values: api, git.`,
    );
    expect(run.stdout).toContain('::add-mask::ghs_runnertoken123');
    expect(run.outputs).toEqual({});
  });

  it('asks for issue-number on workflow_dispatch', async () => {
    const run = await runBundle(name, {
      inputs: REQUIRED[name],
      payload: { inputs: {}, ref: 'refs/heads/main' },
      eventName: 'workflow_dispatch',
      githubToken: 'ghs_runnertoken123',
    });
    // destroy-sandbox too: only a sweep may run without an issue. sandbox-command takes its issue
    // from the comment, so it names the event it needs instead.
    expect(run.stdout).toContain(
      name === 'sandbox-command'
        ? `sandbox-command reads an issue comment, but this run's event is "workflow_dispatch"`
        : 'Input "issue-number" is required',
    );
    expect(run.exitCode).toBe(1);
  });
});
