import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createRailwayClient,
  deploySandbox,
  destroySandbox,
  findBinding,
  inputsFromRecord,
  issueOfServiceName,
  provisionSandbox,
  readDeploySettings,
  readProvisionSettings,
  sweepSandboxes,
} from '@trinity/core';
import { CrashSwitch, startCrashWorld, type CrashWorld } from '../support/crash-world.js';
import { REPO } from '../support/github.js';
import { runContext } from '../support/settings-fixtures.js';

// Issue 10, part 1: a service exists on Railway only with a mapping row that names it, or for the
// moment between create and record; whatever happens in that moment is repaired by the next run of
// any action for the issue and by the sweep, never "left alone".

let world: CrashWorld;
beforeEach(async () => {
  world = await startCrashWorld();
});
afterEach(async () => {
  await world.close();
});

const base = { 'github-token': 'ghs_x', 'railway-token': 'rw_account_1_token', 'issue-number': '7' };
const run = () => world.run(new CrashSwitch(undefined));

/** A service as a run that died between create and record leaves it. */
async function unrecorded(name: string, variables: Record<string, string>): Promise<string> {
  const client = createRailwayClient({
    token: 'rw_account_1_token',
    tokenKind: 'account',
    apiUrl: world.railway.url,
    logger: world.gh.logger,
  });
  const { service } = await client.ensureService({
    projectId: world.project.projectId,
    environmentId: world.project.environmentId,
    name,
    source: { image: 'ghcr.io/octo-org/app:1' },
    variables,
  });
  return service.id;
}
const ours = (issue: number) => ({ GITHUB_REPOSITORY: REPO, ISSUE_NUMBER: String(issue) });

async function closeIssue(issue: number): Promise<void> {
  await world.gh.octokit.rest.issues.update({
    owner: 'octo-org',
    repo: 'sandbox-demo',
    issue_number: issue,
    state: 'closed',
  });
}

describe('nothing created is ever unrecorded', () => {
  it('a thread that refuses the comment (a locked issue) keeps the record, and destroy deletes the service', async () => {
    // GitHub answers 403 to a comment on a locked issue; the run fails, but the row is committed first.
    world.gh.emulator.injectFault({
      operationId: 'issues/create-comment',
      kind: 'server_error',
      status: 403,
      times: 50,
    });
    const { context, accounts } = run();
    await expect(
      provisionSandbox(
        readProvisionSettings(inputsFromRecord({ ...base, image: 'ghcr.io/octo-org/app:1' }), runContext()),
        context,
        accounts,
        'https://github.com',
      ),
    ).rejects.toThrow();
    const [serviceId] = world.serviceIds();
    expect(findBinding(world.farm(), 7)?.service_id).toBe(serviceId);

    await closeIssue(7);
    world.gh.emulator.clearFaults();
    const again = run();
    await destroySandbox({ issueNumber: 7, archiveDirectory: undefined }, again.context, again.accounts);
    expect(world.serviceIds()).toEqual([]);
    expect(findBinding(world.farm(), 7)).toBeUndefined();
  });

  it('destroy finds the issue’s unrecorded service by its name and deletes it', async () => {
    await unrecorded('issue-7', ours(7));
    await closeIssue(7);
    const { context, accounts } = run();
    const result = await destroySandbox(
      { issueNumber: 7, archiveDirectory: undefined, serviceName: 'issue-{issue}' },
      context,
      accounts,
    );
    expect(result.outputs.destroyed).toBe(1);
    expect(world.serviceIds()).toEqual([]);
  });

  it('deploy records the issue’s unrecorded service, then deploys it', async () => {
    const id = await unrecorded('issue-7', { ...ours(7), TRINITY_SESSION_ID: 'session-1' });
    const { context, accounts } = run();
    await deploySandbox(
      readDeploySettings(inputsFromRecord({ ...base, 'poll-interval-seconds': '5' }), runContext()),
      context,
      accounts,
      { onIssueGone: () => Promise.reject(new Error('the issue is open')) },
    );
    expect(findBinding(world.farm(), 7)).toMatchObject({
      service_id: id,
      session_id: 'session-1',
      status: 'live',
    });
    expect(world.serviceIds()).toEqual([id]);
  });

  it('the sweep, by the configured template, destroys unrecorded services of closed, deleted and missing issues and records those of open ones', async () => {
    const emulator = world.gh.emulator;
    emulator.seedIssue(REPO, { number: 8, title: 'closed', user: 'octocat', authorAssociation: 'OWNER' });
    emulator.seedIssue(REPO, { number: 9, title: 'deleted', user: 'octocat', authorAssociation: 'OWNER' });
    emulator.seedIssue(REPO, { number: 10, title: 'open', user: 'octocat', authorAssociation: 'OWNER' });
    await closeIssue(8);
    emulator.deleteIssue(REPO, 9);
    const open = await unrecorded('widgets-7', ours(7));
    await unrecorded('widgets-8', ours(8));
    await unrecorded('widgets-9', ours(9));
    await unrecorded('widgets-404', ours(404));
    // Another repository sharing the project and the template: its service is not ours to touch.
    const theirs = await unrecorded('widgets-10', { GITHUB_REPOSITORY: 'other-org/app', ISSUE_NUMBER: '10' });
    // Named by another template (the default): not ours either.
    const hand = await unrecorded('issue-11', ours(11));

    const { context, accounts } = run();
    const result = await sweepSandboxes(
      { ttlMs: undefined, archiveRoot: undefined, serviceName: 'widgets-{issue}' },
      context,
      accounts,
    );
    expect(new Set(world.serviceIds())).toEqual(new Set([open, theirs, hand]));
    expect(findBinding(world.farm(), 7)?.service_id).toBe(open);
    expect(result.outputs.destroyed).toBe(3);
    const said = result.report.rows.map(([what, how]) => `${what}: ${how}`).join('\n');
    expect(said).toContain('widgets-7: unrecorded');
    expect(said).toContain('issue #7 is open: recorded');
    expect(said).toContain('issue #8 is closed: destroyed');
    expect(said).toContain('issue #9 is deleted: destroyed');
    expect(said).toContain('issue #404 is missing: destroyed');
    expect(said).toContain('belongs to other-org/app#10; left alone');
    expect(said).not.toContain('issue-11');

    // A second pass changes nothing.
    const counter = new CrashSwitch(undefined);
    const second = world.run(counter);
    await sweepSandboxes(
      { ttlMs: undefined, archiveRoot: undefined, serviceName: 'widgets-{issue}' },
      second.context,
      second.accounts,
    );
    expect(counter.writes).toEqual([]);
  });
});

describe('issueOfServiceName', () => {
  it('reads the issue back from a name the template gives, and nothing else', () => {
    expect(issueOfServiceName('issue-{issue}', 'issue-42')).toBe(42);
    expect(issueOfServiceName('w-{issue}-{issue}', 'w-5-5')).toBe(5);
    expect(issueOfServiceName('w-{issue}-{issue}', 'w-5-6')).toBeUndefined();
    expect(issueOfServiceName('issue-{issue}', 'issue-042')).toBeUndefined();
    expect(issueOfServiceName('issue-{issue}', 'issue-0')).toBeUndefined();
    expect(issueOfServiceName('issue-{issue}', 'issue-99999999999')).toBeUndefined();
    expect(issueOfServiceName('a.{issue}', 'ab1')).toBeUndefined();
    expect(issueOfServiceName('widgets-{issue}', 'issue-7')).toBeUndefined();
  });
});
