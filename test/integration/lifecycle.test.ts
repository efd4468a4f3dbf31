import { describe, expect, it } from 'vitest';
import {
  destroySandbox,
  deploySandbox,
  findEventMarker,
  inputsFromRecord,
  parseFarm,
  provisionSandbox,
  readDeploySettings,
  readProvisionSettings,
} from '@trinity/core';
import { REPO } from '../support/github.js';
import { lifecycleWorldPerTest } from '../support/lifecycle-world.js';
import { runContext } from '../support/settings-fixtures.js';

// The lifecycle in-process, against both emulators, with a clock the test owns: what a bundle run
// cannot show deterministically (a close during the wait, a timeout, a fallback account).
const world = lifecycleWorldPerTest();
const { gh, railway } = world;
const context = () => world.context();
const accounts = (count = 1) => world.accounts(count);

const base = { 'github-token': 'ghs_x', 'railway-token': 'rw_account_1_token', 'issue-number': '7' };
const provisionSettings = (extra: Record<string, string> = {}) =>
  readProvisionSettings(
    inputsFromRecord({ ...base, image: 'ghcr.io/octo-org/app:1', ...extra }),
    runContext(),
  );
const deploySettings = (extra: Record<string, string> = {}) =>
  readDeploySettings(inputsFromRecord({ ...base, 'poll-interval-seconds': '5', ...extra }), runContext());

function events(): string[] {
  return gh.emulator
    .repo(REPO)
    .comments(7)
    .map((c) => findEventMarker(c.body)?.type ?? '')
    .filter((type) => type !== '');
}

const closeIssue = () => world.closeIssue();

describe('the lifecycle against both emulators', () => {
  it('provision passes the issue’s identity and the user’s variables in serviceCreate, for the first build', async () => {
    const result = await provisionSandbox(
      provisionSettings({ variables: 'API_URL=https://api.example' }),
      context(),
      accounts(),
      'https://github.com',
    );
    const [service] = railway.state.services(world.projects[0]?.projectId);
    const variables = service?.instances[0]?.variables;
    expect(variables).toMatchObject({
      ISSUE_NUMBER: '7',
      ISSUE_URL: 'https://github.com/octo-org/sandbox-demo/issues/7',
      GITHUB_REPOSITORY: 'octo-org/sandbox-demo',
      TRINITY_SESSION_ID: result.outputs['session-id'],
      API_URL: 'https://api.example',
    });
    // The first deployment started with the service: it already had them.
    expect(railway.state.deployments(service?.id)).toHaveLength(1);
  });

  it('falls back to the next account when Railway refuses the create, and records where it went', async () => {
    railway.injectFault({
      operation: 'ServiceCreate',
      kind: 'graphql_error',
      message: 'Usage limit reached for this workspace',
    });
    await provisionSandbox(provisionSettings(), context(), accounts(2), 'https://github.com');
    expect(railway.state.services(world.projects[0]?.projectId)).toHaveLength(0);
    expect(railway.state.services(world.projects[1]?.projectId)).toHaveLength(1);
    const farm = parseFarm(gh.emulator.repo(REPO).readFile('.trinity/railway_farm.json') ?? '', 'farm');
    expect(farm.agent_map[0]).toMatchObject({
      issue: 7,
      account_id: 2,
      project_id: world.projects[1]?.projectId,
    });
    expect(
      gh.logger.lines.some((l) => /account 1 refused.*Usage limit reached.*next account/.test(l.message)),
    ).toBe(true);
  });

  it('destroys the sandbox when the issue is closed while its deployment is being waited for', async () => {
    await provisionSandbox(provisionSettings(), context(), accounts(), 'https://github.com');
    let closed = false;
    world.onSleep = async () => {
      if (!closed) {
        closed = true;
        await closeIssue();
      }
    };
    const ctx = context();
    const all = accounts();
    await deploySandbox(deploySettings(), ctx, all, {
      onIssueGone: () => destroySandbox({ issueNumber: 7, archiveDirectory: undefined }, ctx, all),
    });
    expect(closed).toBe(true);
    expect(railway.state.services(world.projects[0]?.projectId)).toHaveLength(0);
    expect(events()).toEqual([
      'sandbox_created',
      'deployment_started',
      'deployment_succeeded',
      'sandbox_destroyed',
    ]);
  });

  it('gives up waiting at timeout-minutes, saying the deployment keeps running and how to follow it', async () => {
    railway.setScenario(/^issue-/, { outcome: 'success', buildMs: 3_600_000 });
    // Built from a repo: an image skips the build (emulator README, deployments).
    await provisionSandbox(
      provisionSettings({ image: '', repo: 'octo-org/app' }),
      context(),
      accounts(),
      'https://github.com',
    );
    const ctx = context();
    const started = world.clock;
    await expect(
      deploySandbox(deploySettings({ 'timeout-minutes': '2' }), ctx, accounts(), {
        onIssueGone: async () => Promise.reject(new Error('not closed')),
      }),
    ).rejects.toThrow(/still BUILDING after 2 minutes.*re-run this job to follow it/);
    expect(world.clock - started).toBeLessThanOrEqual(120_000);
    // Polls grew from 5 s by half each time, so two minutes took a handful, not 24.
    const polls = railway.requests.filter((r) => r.operationName === 'Deployment').length;
    expect(polls).toBeGreaterThan(3);
    expect(polls).toBeLessThan(12);
  });
});
