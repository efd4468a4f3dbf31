import { beforeEach, describe, expect, it } from 'vitest';
import {
  createRailwayClient,
  deploySandbox,
  findEventMarker,
  findStatusMarker,
  inputsFromRecord,
  parseFarm,
  provisionSandbox,
  applyVariables,
  RailwayNetworkError,
  readDeploySettings,
  readProvisionSettings,
  type LifecycleResult,
  type RailwayAccounts,
  type RailwayClient,
} from '@trinity/core';
import { type DeploymentScenario } from '../emulators/railway/index.js';
import { REPO } from '../support/github.js';
import { lifecycleWorldPerTest } from '../support/lifecycle-world.js';
import { runContext } from '../support/settings-fixtures.js';

// Deploy against what Railway really answers (issue 7): mutations without an idempotency key whose
// answer is lost, FAILED for builds and deploys alike, deployments replaced, held or skipped, apps
// that exit, and `limit + 1` log lines. In-process, both emulators, a clock the test owns.
const world = lifecycleWorldPerTest(['one']);
const { gh, railway } = world;
const context = () => world.context();
/** Wraps the client deploy uses, e.g. to lose an answer after Railway acted. */
let wrap: (client: RailwayClient) => RailwayClient;
beforeEach(() => {
  wrap = (client) => client;
});

/**
 * One attempt per request, whatever the client's retry policy: the tests see what deploy itself
 * does with an unanswered mutation (the client may wrap it in RailwayOutcomeUnknownError).
 */
function accounts(): RailwayAccounts {
  return world.accounts(1, {
    connect: (options) => wrap(createRailwayClient({ ...options, retries: { maxAttempts: 1 } })),
  });
}

const base = { 'github-token': 'ghs_x', 'railway-token': 'rw_account_1_token', 'issue-number': '7' };
const fromImage = { image: 'ghcr.io/octo-org/app:1' };
const fromRepo = { repo: 'octo-org/app' };

async function provision(source: Record<string, string> = fromImage): Promise<string> {
  const result = await provisionSandbox(
    readProvisionSettings(inputsFromRecord({ ...base, ...source }), runContext()),
    context(),
    accounts(),
    'https://github.com',
  );
  return String(result.outputs['service-id']);
}

function deploy(extra: Record<string, string> = {}): Promise<LifecycleResult> {
  const settings = readDeploySettings(
    inputsFromRecord({ ...base, 'poll-interval-seconds': '5', ...extra }),
    runContext(),
  );
  return deploySandbox(settings, context(), accounts(), {
    onIssueGone: async () => Promise.reject(new Error('the issue is open')),
  });
}

function comments() {
  return gh.emulator.repo(REPO).comments(7);
}
function events(): string[] {
  return comments()
    .map((c) => findEventMarker(c.body)?.type ?? '')
    .filter((type) => type !== '');
}
function eventComment(type: string) {
  return comments().find((c) => findEventMarker(c.body)?.type === type);
}
function statusComment() {
  return comments().find((c) => findStatusMarker(c.body) !== undefined);
}
function row() {
  const farm = parseFarm(gh.emulator.repo(REPO).readFile('.trinity/railway_farm.json') ?? '', 'farm');
  return farm.agent_map.find((r) => r.issue === 7);
}
function requests(operationName: string) {
  return railway.requests.filter((r) => r.operationName === operationName);
}

/** Any GraphQL request to the emulator, as an account would send it (for what the product never does). */
async function gql(query: string, variables: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(railway.url, {
    method: 'POST',
    headers: { authorization: `Bearer ${world.project().token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return ((await response.json()) as { data: unknown }).data;
}

describe('a deploy mutation whose answer is lost is never sent again: Railway is read instead', () => {
  // `commit-sha` makes deploy start a deployment rather than adopt the one serviceCreate started.
  const lostAnswers = [
    ['the connection drops after Railway acted', { kind: 'drop' }],
    ['a 502 after Railway acted', { kind: 'server_error', status: 502 }],
    ['a Cloudflare page after Railway acted', { kind: 'html' }],
  ] as const;
  it.each(lostAnswers)(
    '%s: the deployment it started is followed, and no second one exists',
    async (_, fault) => {
      const serviceId = await provision();
      railway.injectFault({ operation: 'ServiceInstanceDeployV2', afterExecution: true, ...fault });
      const result = await deploy({ 'commit-sha': 'abc1234' });

      expect(requests('ServiceInstanceDeployV2')).toHaveLength(1);
      const deployments = railway.state.deployments(serviceId);
      expect(deployments).toHaveLength(2); // serviceCreate's, and the one the lost request started
      expect(deployments[1]?.meta).toMatchObject({ commitHash: 'abc1234' });
      expect(result.outputs['deployment-id']).toBe(deployments[1]?.id);
      expect(result.outputs['deployment-status']).toBe('SUCCESS');
      expect(
        gh.logger.lines.some((l) =>
          /did not answer the request to deploy.*nothing is sent again/.test(l.message),
        ),
      ).toBe(true);
    },
  );

  it('a timeout after Railway acted: the same, from the client’s typed timeout error', async () => {
    const serviceId = await provision();
    wrap = (client) => ({
      ...client,
      deployService: async (...args) => {
        await client.deployService(...args);
        throw new RailwayNetworkError('ServiceInstanceDeployV2', 'timeout', 'no answer within 30000 ms');
      },
    });
    const result = await deploy({ 'commit-sha': 'abc1234' });
    expect(railway.state.deployments(serviceId)).toHaveLength(2);
    expect(result.outputs['deployment-id']).toBe(railway.state.deployments(serviceId)[1]?.id);
  });

  it('a request lost before Railway acted: nothing is resent, and the run says to re-run', async () => {
    const serviceId = await provision();
    railway.injectFault({ operation: 'ServiceInstanceDeployV2', kind: 'drop' });
    await expect(deploy({ 'commit-sha': 'abc1234' })).rejects.toThrow(
      /did not answer the request to deploy .*no new deployment is visible\. The request was not sent again.*Re-run this job/,
    );
    expect(requests('ServiceInstanceDeployV2')).toHaveLength(1);
    expect(railway.state.deployments(serviceId)).toHaveLength(1);
  });

  it('a domain request whose answer is lost: the domain it created is used, and there is only one', async () => {
    const serviceId = await provision();
    railway.injectFault({ operation: 'ServiceDomainCreate', kind: 'server_error', afterExecution: true });
    const result = await deploy();
    const [service] = railway.state.services(world.project().projectId);
    expect(service?.domains).toHaveLength(1);
    expect(result.outputs.url).toBe(`https://${service?.domains[0]}`);
    expect(requests('ServiceDomainCreate')).toHaveLength(1);
    expect(row()).toMatchObject({
      service_id: serviceId,
      status: 'live',
      url: `https://${service?.domains[0]}`,
    });
  });

  it('a domain request lost before Railway acted: reported live without a URL, nothing resent', async () => {
    await provision();
    railway.injectFault({ operation: 'ServiceDomainCreate', kind: 'drop' });
    const result = await deploy();
    expect(result.outputs['deployment-status']).toBe('SUCCESS');
    expect(result.outputs.url).toBe('');
    expect(requests('ServiceDomainCreate')).toHaveLength(1);
    expect(railway.state.services(world.project().projectId)[0]?.domains).toHaveLength(0);
  });
});

describe('FAILED is a build failure only with evidence', () => {
  it('a healthcheck that never passes is FAILED after DEPLOYING: deployment_failed with the deploy log', async () => {
    railway.setScenario(/^issue-/, { outcome: 'healthcheck_fails' });
    await provision(fromRepo);
    await expect(deploy()).rejects.toThrow(/The deployment of issue #7's sandbox failed \(FAILED\)/);
    expect(events()).toEqual(['sandbox_created', 'deployment_started', 'deployment_failed']);
    expect(eventComment('deployment_failed')?.body).toContain('Healthcheck failed');
    expect(row()).toMatchObject({ status: 'failed', deployment_status: 'FAILED' });
  });

  it('a build that fails is build_failed, with the build log (never past BUILDING, no deploy log)', async () => {
    railway.setScenario(/^issue-/, { outcome: 'build_fails' });
    await provision(fromRepo);
    await expect(deploy()).rejects.toThrow(/The build of issue #7's sandbox failed \(FAILED\)/);
    expect(eventComment('build_failed')?.body).toContain('ERROR: failed to solve');
  });

  it('a deployment already FAILED when adopted is judged by its logs: a deploy log means a deploy failure', async () => {
    railway.setScenario(/^issue-/, { outcome: 'healthcheck_fails' });
    await provision(fromRepo);
    railway.advance(3_600_000); // it failed before this run looked: no status was seen on the way
    await expect(deploy()).rejects.toThrow(/The deployment of issue #7's sandbox failed/);
    expect(events()).toContain('deployment_failed');
  });

  it('an image (no build) that fails its healthcheck is a deployment failure', async () => {
    railway.setScenario(/^issue-/, { outcome: 'healthcheck_fails' });
    await provision(fromImage);
    await expect(deploy()).rejects.toThrow(/The deployment of issue #7's sandbox failed/);
  });
});

describe('statuses that are neither live nor a plain failure', () => {
  it('REMOVED while waited for: the newer deployment that replaced it is followed and reported', async () => {
    const serviceId = await provision();
    const first = railway.state.deployments(serviceId)[0]?.id ?? '';
    let replacement = '';
    world.onSleep = async () => {
      if (replacement !== '') return;
      const data = (await gql(
        'mutation R($s: String!, $e: String!, $id: String!) { serviceInstanceDeployV2(serviceId: $s, environmentId: $e) deploymentRemove(id: $id) }',
        { s: serviceId, e: world.project().environmentId, id: first },
      )) as { serviceInstanceDeployV2: string };
      replacement = data.serviceInstanceDeployV2;
    };
    const result = await deploy();
    expect(result.outputs['deployment-id']).toBe(replacement);
    expect(result.outputs['deployment-status']).toBe('SUCCESS');
    expect(row()).toMatchObject({ deployment_id: replacement, status: 'live' });
    expect(eventComment('deployment_succeeded')?.body).toContain(first); // details: replaced
  });

  it('REMOVED with nothing newer: a failure that says so, not a crash', async () => {
    const serviceId = await provision();
    const first = railway.state.deployments(serviceId)[0]?.id ?? '';
    world.onSleep = async () => {
      await gql('mutation R($id: String!) { deploymentRemove(id: $id) }', { id: first });
    };
    await expect(deploy()).rejects.toThrow(
      /was removed on Railway before it finished, and no newer deployment/,
    );
    expect(eventComment('deployment_failed')?.body.split('\n')[1]).toContain('removed before it finished');
  });

  it('SKIPPED (a check failed while Railway waited for CI): reported as skipped in both comments', async () => {
    railway.setScenario(/^issue-/, { outcome: 'ci_fails', waitMs: 30_000 });
    await provision();
    await expect(deploy()).rejects.toThrow(
      /Railway skipped deployment .*a GitHub check of the commit failed/,
    );
    expect(eventComment('deployment_failed')?.body.split('\n')[1]).toBe(
      '💥 [DEPLOY] Deployment skipped: a GitHub check failed while Railway waited for CI (`SKIPPED`)',
    );
    expect(statusComment()?.body).toContain('**failed** — skipped: a GitHub check failed');
    expect(row()).toMatchObject({ status: 'failed', deployment_status: 'SKIPPED' });
  });

  it('WAITING for CI past timeout-minutes: reported as waiting, not as a timeout', async () => {
    railway.setScenario(/^issue-/, { outcome: 'waits_for_ci', waitMs: 3_600_000 });
    await provision();
    const result = await deploy({ 'timeout-minutes': '2' });
    expect(result.outputs['deployment-status']).toBe('WAITING');
    expect(events()).toEqual(['sandbox_created', 'deployment_started', 'deployment_waiting']);
    expect(eventComment('deployment_waiting')?.body.split('\n')[1]).toContain('Deployment waiting for CI');
    expect(statusComment()?.body).toContain('**deploying** — waiting for CI');
    expect(row()).toMatchObject({ status: 'deploying', deployment_status: 'WAITING' });
  });

  it('WAITING that clears within the time: followed on to SUCCESS', async () => {
    railway.setScenario(/^issue-/, { outcome: 'waits_for_ci', waitMs: 20_000 });
    await provision();
    const result = await deploy();
    expect(result.outputs['deployment-status']).toBe('SUCCESS');
  });

  it('NEEDS_APPROVAL: the wait ends at once and the comments say it awaits approval', async () => {
    railway.setScenario(/^issue-/, { outcome: 'needs_approval' });
    await provision();
    const started = world.clock;
    const result = await deploy();
    expect(result.outputs['deployment-status']).toBe('NEEDS_APPROVAL');
    expect(world.clock - started).toBeLessThan(60_000); // not the 15-minute timeout
    expect(eventComment('deployment_waiting')?.body.split('\n')[1]).toBe(
      '⏸️ [DEPLOY] Deployment awaiting approval in Railway (`NEEDS_APPROVAL`)',
    );
    expect(statusComment()?.body).toContain('awaiting approval in Railway');
  });

  it('SUCCESS with deploymentStopped (the app exited) is "completed", not live', async () => {
    railway.setScenario(/^issue-/, { outcome: 'completes', crashAfterMs: 1 });
    await provision();
    await expect(deploy()).rejects.toThrow(/exited by itself .*"Completed"\), so nothing is live/);
    expect(events()).toEqual(['sandbox_created', 'deployment_started', 'deployment_failed']);
    const failure = eventComment('deployment_failed')?.body ?? '';
    expect(failure.split('\n')[1]).toBe(
      '💥 [DEPLOY] Deployment completed: the app exited, so nothing is live (`SUCCESS`)',
    );
    expect(failure).toContain('exiting 0');
    expect(statusComment()?.body).toContain('completed: the app exited');
    expect(row()).toMatchObject({ status: 'failed', deployment_status: 'SUCCESS' });
    expect(row()?.url).toBeUndefined();
  });
});

describe('log tails', () => {
  it('show at most log-lines lines, though Railway answers one more', async () => {
    railway.setScenario(/^issue-/, { outcome: 'crashes_after_deploy' } satisfies DeploymentScenario);
    await provision();
    await expect(deploy({ 'log-lines': '2' })).rejects.toThrow(/failed \(CRASHED\)/);
    const body = eventComment('deployment_failed')?.body ?? '';
    expect(body).toContain('Last 2 log lines');
    expect(body).toContain('Process exited with code 1');
    const logs = requests('DeploymentLogs');
    expect(logs.at(-1)?.variables).toMatchObject({ limit: 2 });
  });
});

/** A client of the same account as another run (or repository) would use it. */
function someoneElse(): RailwayClient {
  return createRailwayClient({
    token: world.project().token,
    tokenKind: 'account',
    apiUrl: railway.url,
    logger: gh.logger,
  });
}

describe('variables apply only to new deployments', () => {
  it('a service found by name with other variables keeps its session id, is redeployed, and deploy follows that deployment', async () => {
    // Someone's run created it with only a session id (no issue variables) and died before recording it.
    const orphan = await someoneElse().createService({
      projectId: world.project().projectId,
      name: 'issue-7',
      source: fromImage,
      variables: { TRINITY_SESSION_ID: 'session-of-the-dead-run' },
    });
    const [old] = railway.state.deployments(orphan.id);

    await provision(); // finds the service by name and adopts it
    // The service's identity is kept; what it lacked is set, and Railway redeploys with it.
    expect(row()?.session_id).toBe('session-of-the-dead-run');
    expect(requests('VariableCollectionUpsert')).toHaveLength(1);
    const result = await deploy();

    const deployments = railway.state.deployments(orphan.id);
    expect(deployments).toHaveLength(2);
    expect(result.outputs['deployment-id']).toBe(deployments[1]?.id);
    expect(result.outputs['deployment-id']).not.toBe(old?.id);
    expect(deployments[1]?.meta).toMatchObject({ reason: 'variableChange' });
    expect(railway.state.services(world.project().projectId)[0]?.instances[0]?.variables).toMatchObject({
      TRINITY_SESSION_ID: 'session-of-the-dead-run',
      ISSUE_NUMBER: '7',
    });
  });

  it("a service of the same name that is another repository's sandbox is left alone, and provision says why", async () => {
    const theirs = await someoneElse().createService({
      projectId: world.project().projectId,
      name: 'issue-7',
      source: fromImage,
      variables: { GITHUB_REPOSITORY: 'octo-org/other-app', ISSUE_NUMBER: '7', TRINITY_SESSION_ID: 'theirs' },
    });

    await expect(provision()).rejects.toThrow(
      'Railway service "issue-7" already exists and belongs to octo-org/other-app#7, not to ' +
        'octo-org/sandbox-demo#7, so it was left alone.',
    );
    expect(requests('VariableCollectionUpsert')).toHaveLength(0);
    expect(railway.state.deployments(theirs.id)).toHaveLength(1);
    expect(gh.emulator.repo(REPO).readFile('.trinity/railway_farm.json')).toBeUndefined();
  });

  it('a run that died between create and record: the re-run adopts the service as it is, without a redeploy', async () => {
    gh.emulator.injectFault({
      operationId: 'graphql/mutation',
      kind: 'server_error',
      status: 502,
      // The first mutation is the slot's reservation, before the create; the record is the second.
      nth: 2,
      times: 10,
    });
    await expect(provision()).rejects.toThrow();
    gh.emulator.clearFaults();
    const [service] = railway.state.services(world.project().projectId);
    const session = service?.instances[0]?.variables['TRINITY_SESSION_ID'];

    await provision();

    expect(railway.state.services(world.project().projectId)).toHaveLength(1);
    expect(row()?.session_id).toBe(session);
    expect(requests('VariableCollectionUpsert')).toHaveLength(0);
    expect(railway.state.deployments(service?.id ?? '')).toHaveLength(1);
  });

  it('a re-run of provision with changed variables sets only what changed, which redeploys the recorded sandbox', async () => {
    const serviceId = await provision();
    const withChangedVariables = () =>
      provisionSandbox(
        readProvisionSettings(
          inputsFromRecord({ ...base, ...fromImage, variables: 'API_URL=https://api.example' }),
          runContext(),
        ),
        context(),
        accounts(),
        'https://github.com',
      );
    await withChangedVariables();
    expect(requests('VariableCollectionUpsert').map((r) => r.variables)).toEqual([
      expect.objectContaining({
        input: expect.objectContaining({
          variables: { API_URL: 'https://api.example' },
          skipDeploys: false,
        }) as object,
      }),
    ]);
    expect(railway.state.deployments(serviceId)).toHaveLength(2);
    // The same inputs once more: everything is in place, nothing is sent.
    await withChangedVariables();
    expect(requests('VariableCollectionUpsert')).toHaveLength(1);
  });

  it('an upsert whose answer is lost after Railway acted is read back, not sent again', async () => {
    const serviceId = await provision();
    railway.injectFault({ operation: 'VariableCollectionUpsert', kind: 'drop', afterExecution: true });
    await applyVariables(
      await accounts().target(1),
      serviceId,
      { API_URL: 'https://api.example' },
      gh.logger,
    );
    expect(requests('VariableCollectionUpsert')).toHaveLength(1);
    expect(railway.state.deployments(serviceId)).toHaveLength(2); // serviceCreate's and the redeploy
  });

  it('an upsert lost before Railway acted: not sent again, and the run says to re-run', async () => {
    const serviceId = await provision();
    railway.injectFault({ operation: 'VariableCollectionUpsert', kind: 'server_error', status: 503 });
    await expect(
      applyVariables(await accounts().target(1), serviceId, { API_URL: 'https://api.example' }, gh.logger),
    ).rejects.toThrow(/did not answer the request to set API_URL .*not sent again.*Re-run this job/);
    expect(requests('VariableCollectionUpsert')).toHaveLength(1);
    expect(railway.state.deployments(serviceId)).toHaveLength(1);
  });
});
