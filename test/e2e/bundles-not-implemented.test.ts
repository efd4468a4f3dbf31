import { describe, expect, it } from 'vitest';
import { actionNames } from '../support/action-metadata.js';
import { runBundle } from '../support/run-bundle.js';
import { issuesPayload } from '../support/webhook-payloads.js';

// Until the lifecycle ships, each committed bundle must validate its inputs and then fail loudly:
// a workflow that adopts it early must never believe a sandbox was created.
const REQUIRED: Record<string, Record<string, string>> = {
  'provision-sandbox': { 'railway-token': 'rw_live_supersecret' },
  'deploy-sandbox': { 'railway-token': 'rw_live_supersecret' },
  'destroy-sandbox': { 'railway-token': 'rw_live_supersecret' },
  'journal-step': { message: 'Ran the suite' },
};

describe.each(actionNames())('dist/%s/index.js run as the Actions runner runs it', (name) => {
  it('fails with a clear not-implemented error, sets no outputs, and masks the tokens', async () => {
    const payload = issuesPayload('opened');
    const run = await runBundle(name, { inputs: REQUIRED[name], payload, githubToken: 'ghs_runnertoken123' });

    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`::error::${name}: ${name} is not implemented in this version`);
    expect(run.stdout).toContain('Nothing was created, changed or deleted.');
    expect(run.outputs).toEqual({});
    expect(run.stdout).toContain('::add-mask::ghs_runnertoken123');
    // Masked values may appear only in their own add-mask command, never in a log line.
    const logLines = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
    expect(logLines.join('\n')).not.toMatch(/ghs_runnertoken123|rw_live_supersecret/);
  });

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
