import { describe, expect, it } from 'vitest';
import { actionNames } from '../support/action-metadata.js';
import { runBundle } from '../support/run-bundle.js';
import { issuesPayload } from '../support/webhook-payloads.js';

// Bad inputs are refused before any request is made, by each committed bundle, with a message that
// names the input; tokens are masked before anything else is logged.
const REQUIRED: Record<string, Record<string, string>> = {
  'provision-sandbox': { 'railway-token': 'rw_live_supersecret' },
  'deploy-sandbox': { 'railway-token': 'rw_live_supersecret' },
  'destroy-sandbox': { 'railway-token': 'rw_live_supersecret' },
  'journal-step': { message: 'Ran the suite' },
};

describe.each(actionNames())('dist/%s/index.js run as the Actions runner runs it', (name) => {
  it('names a bad input before doing anything else', async () => {
    const run = await runBundle(name, {
      inputs: { ...REQUIRED[name], 'commit-mode': 'svn' },
      payload: issuesPayload('opened'),
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
    // destroy-sandbox too: only a sweep may run without an issue.
    expect(run.stdout).toContain('Input "issue-number" is required');
    expect(run.exitCode).toBe(1);
  });
});
