import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LATEST, createService, setup } from './helpers.js';
import type { Setup } from './helpers.js';
import type { DeploymentScenario } from './types.js';

// The deployment behaviours the product branches on, each cited in README "Deployments: behaviour
// → source": every deployment starts INITIALIZING, images skip the build, Wait for CI (WAITING →
// SKIPPED), approval, FAILED after DEPLOYING, Completed (SUCCESS + deploymentStopped), limit + 1.

const STATE = `query S($id: String!) { deployment(id: $id) { status deploymentStopped instances { status } } }`;

interface State {
  status: string;
  deploymentStopped: boolean;
}

async function state(s: Setup, id: string): Promise<State> {
  const r = await s.gql(STATE, { id });
  return r.body.data?.deployment as State;
}

/** A service of `name` with `scenario`, from an image or a repo; its production deployment's id. */
async function deployment(
  s: Setup,
  name: string,
  scenario: DeploymentScenario,
  source: 'image' | 'repo',
): Promise<string> {
  s.emu.setScenario(name, scenario);
  const serviceId = await createService(s, name, {
    source: source === 'image' ? { image: 'ghcr.io/acme/app:1' } : { repo: 'acme/app' },
  });
  const r = await s.gql(LATEST, { serviceId, environmentId: s.environmentId });
  return (r.body.data?.serviceInstance as { latestDeployment: { id: string } }).latestDeployment.id;
}

/** Every status the deployment passes through, advancing 1 s at a time for `ms`. */
async function statuses(s: Setup, id: string, ms: number): Promise<string[]> {
  const seen: string[] = [];
  for (let t = 0; t <= ms; t += 1_000) {
    const { status, deploymentStopped } = await state(s, id);
    const label = deploymentStopped ? `${status}(stopped)` : status;
    if (seen.at(-1) !== label) seen.push(label);
    s.emu.advance(1_000);
  }
  return seen;
}

const quick = { queuedMs: 1_000, buildMs: 3_000, deployMs: 2_000, crashAfterMs: 2_000, waitMs: 3_000 };

describe('Railway emulator: deployment statuses', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup({ now: () => Date.parse('2026-02-01T00:00:00Z') });
  });
  afterAll(async () => {
    await s.emu.close();
  });

  it('a repo source: INITIALIZING → BUILDING → DEPLOYING → SUCCESS', async () => {
    const id = await deployment(s, 'repo-ok', { outcome: 'success', ...quick }, 'repo');
    expect(await statuses(s, id, 10_000)).toEqual(['INITIALIZING', 'BUILDING', 'DEPLOYING', 'SUCCESS']);
  });

  it('an image source skips the build: INITIALIZING → DEPLOYING → SUCCESS', async () => {
    const id = await deployment(s, 'image-ok', { outcome: 'success', ...quick }, 'image');
    expect(await statuses(s, id, 10_000)).toEqual(['INITIALIZING', 'DEPLOYING', 'SUCCESS']);
  });

  it('a healthcheck that never passes is FAILED after DEPLOYING, with a deploy log', async () => {
    const id = await deployment(s, 'hc', { outcome: 'healthcheck_fails', ...quick }, 'image');
    expect(await statuses(s, id, 10_000)).toEqual(['INITIALIZING', 'DEPLOYING', 'FAILED']);
    const logs = await s.gql(`query L($id: String!) { deploymentLogs(deploymentId: $id) { message } }`, {
      id,
    });
    expect(logs.body.data?.deploymentLogs).toContainEqual({
      message: 'Healthcheck failed: /health never answered 200',
    });
  });

  it('an app that exits 0 stays SUCCESS with deploymentStopped, its instance EXITED', async () => {
    const id = await deployment(s, 'done', { outcome: 'completes', ...quick }, 'image');
    expect(await statuses(s, id, 10_000)).toEqual([
      'INITIALIZING',
      'DEPLOYING',
      'SUCCESS',
      'SUCCESS(stopped)',
    ]);
    const r = await s.gql(STATE, { id });
    expect(r.body.data?.deployment).toMatchObject({ instances: [{ status: 'EXITED' }] });
  });

  it('Wait for CI: WAITING, then on when the checks pass, or SKIPPED when one fails', async () => {
    const passes = await deployment(s, 'ci-ok', { outcome: 'waits_for_ci', ...quick }, 'repo');
    expect(await statuses(s, passes, 12_000)).toEqual([
      'INITIALIZING',
      'WAITING',
      'BUILDING',
      'DEPLOYING',
      'SUCCESS',
    ]);
    const fails = await deployment(s, 'ci-bad', { outcome: 'ci_fails', ...quick }, 'repo');
    expect(await statuses(s, fails, 10_000)).toEqual(['INITIALIZING', 'WAITING', 'SKIPPED']);
  });

  it('NEEDS_APPROVAL stays so', async () => {
    const id = await deployment(s, 'approve', { outcome: 'needs_approval', ...quick }, 'repo');
    expect(await statuses(s, id, 60_000)).toEqual(['INITIALIZING', 'NEEDS_APPROVAL']);
  });

  it('a build failure needs a repo source', async () => {
    s.emu.setScenario('bad-image', { outcome: 'build_fails' });
    const r = await s.gql(`mutation C($input: ServiceCreateInput!) { serviceCreate(input: $input) { id } }`, {
      input: { projectId: s.projectId, name: 'bad-image', source: { image: 'ghcr.io/acme/app:1' } },
    });
    expect(r.body.errors?.[0]?.message).toMatch(/build_fails needs a repo source/);
  });

  it('log queries answer limit + 1 lines, the newest', async () => {
    const id = await deployment(s, 'logs', { outcome: 'success', ...quick, buildLogLines: 12 }, 'repo');
    s.emu.advance(60_000);
    const q = `query L($id: String!, $limit: Int) {
      buildLogs(deploymentId: $id, limit: $limit) { message }
      deploymentLogs(deploymentId: $id, limit: $limit) { message }
    }`;
    const all = (await s.gql(q, { id, limit: 500 })).body.data as Record<string, { message: string }[]>;
    const three = (await s.gql(q, { id, limit: 3 })).body.data as Record<string, { message: string }[]>;
    expect(three['buildLogs']).toEqual(all['buildLogs']?.slice(-4));
    expect(three['deploymentLogs']).toEqual(all['deploymentLogs']?.slice(-4));
  });
});

describe('Railway emulator: faults after execution', () => {
  it('the mutation takes effect, then the answer is dropped or replaced', async () => {
    const s = await setup();
    try {
      const serviceId = await createService(s, 'acted');
      const deploy = `mutation D($s: String!, $e: String!) { serviceInstanceDeployV2(serviceId: $s, environmentId: $e) }`;
      s.emu.injectFault({ operation: 'D', kind: 'server_error', afterExecution: true });
      const r = await s.gql(deploy, { s: serviceId, e: s.environmentId });
      expect(r.status).toBe(500);
      expect(s.emu.state.deployments(serviceId)).toHaveLength(3); // production + staging + this one
      s.emu.injectFault({ operation: 'D', kind: 'drop', afterExecution: true });
      await expect(s.gql(deploy, { s: serviceId, e: s.environmentId })).rejects.toThrow();
      expect(s.emu.state.deployments(serviceId)).toHaveLength(4);
      // Before execution (the default), nothing happens.
      s.emu.injectFault({ operation: 'D', kind: 'drop' });
      await expect(s.gql(deploy, { s: serviceId, e: s.environmentId })).rejects.toThrow();
      expect(s.emu.state.deployments(serviceId)).toHaveLength(4);
    } finally {
      await s.emu.close();
    }
  });
});
