import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYMENT, LATEST, createService, setup } from './helpers.js';
import type { Setup } from './helpers.js';

const LOGS = `query L($id: String!, $limit: Int) {
  buildLogs(deploymentId: $id, limit: $limit) { message severity timestamp }
  deploymentLogs(deploymentId: $id, limit: $limit) { message severity timestamp }
}`;

interface LogLine {
  message: string;
  severity: string;
  timestamp: string;
}

async function statusOf(s: Setup, id: string): Promise<string> {
  const r = await s.gql(DEPLOYMENT, { id });
  return (r.body.data?.deployment as { status: string }).status;
}

async function logs(s: Setup, id: string): Promise<{ build: LogLine[]; deploy: LogLine[] }> {
  const r = await s.gql(LOGS, { id, limit: 500 });
  return { build: r.body.data?.buildLogs as LogLine[], deploy: r.body.data?.deploymentLogs as LogLine[] };
}

/** Creates a service built from a repo (so it has a build phase) and returns its production deployment's id. */
async function deployed(s: Setup, name: string): Promise<string> {
  const serviceId = await createService(s, name, { source: { repo: 'acme/app' } });
  const r = await s.gql(LATEST, { serviceId, environmentId: s.environmentId });
  return (r.body.data?.serviceInstance as { latestDeployment: { id: string } }).latestDeployment.id;
}

/** Reads the status, then advances by each step and reads again. */
async function sequence(s: Setup, id: string, steps: number[]): Promise<string[]> {
  const seen = [await statusOf(s, id)];
  for (const ms of steps) {
    s.emu.advance(ms);
    seen.push(await statusOf(s, id));
  }
  return seen;
}

describe('Railway emulator: deployment lifecycle in manual mode', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup({ now: () => Date.parse('2026-01-01T00:00:00Z') });
    s.emu.setScenario(/^ok-/, { outcome: 'success', queuedMs: 1000, buildMs: 30_000, deployMs: 10_000 });
    s.emu.setScenario(/^broken-/, { outcome: 'build_fails', queuedMs: 1000, buildMs: 20_000 });
    s.emu.setScenario(/^crashy-/, { outcome: 'crashes_after_deploy', crashAfterMs: 5000 });
  });
  afterAll(async () => {
    await s.emu.close();
  });

  it('success: INITIALIZING → BUILDING → DEPLOYING → SUCCESS, and nothing moves without advance()', async () => {
    const id = await deployed(s, 'ok-1');
    expect(await statusOf(s, id)).toBe('INITIALIZING');
    expect(await statusOf(s, id)).toBe('INITIALIZING');
    expect(await sequence(s, id, [999, 1, 29_999, 1, 9_999, 1, 60_000])).toEqual([
      'INITIALIZING',
      'INITIALIZING',
      'BUILDING',
      'BUILDING',
      'DEPLOYING',
      'DEPLOYING',
      'SUCCESS',
      'SUCCESS',
    ]);
  });

  it('build_fails: INITIALIZING → BUILDING → FAILED with the BuildKit error at the end of the build log', async () => {
    const id = await deployed(s, 'broken-1');
    expect(await sequence(s, id, [1000, 19_999, 1, 60_000])).toEqual([
      'INITIALIZING',
      'BUILDING',
      'BUILDING',
      'FAILED',
      'FAILED',
    ]);
    const { build, deploy } = await logs(s, id);
    expect(build.at(-1)).toMatchObject({
      message:
        'ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
      severity: 'error',
    });
    expect(deploy).toEqual([]);
  });

  it('crashes_after_deploy: INITIALIZING → BUILDING → DEPLOYING → SUCCESS → CRASHED', async () => {
    const id = await deployed(s, 'crashy-1');
    expect(await sequence(s, id, [1000, 30_000, 10_000, 4_999, 1])).toEqual([
      'INITIALIZING',
      'BUILDING',
      'DEPLOYING',
      'SUCCESS',
      'SUCCESS',
      'CRASHED',
    ]);
    const { deploy } = await logs(s, id);
    expect(deploy.filter((l) => l.severity === 'error').map((l) => l.message)).toContain(
      'Process exited with code 1',
    );
  });

  it('logs accumulate as time passes and contain the planted secret', async () => {
    const id = await deployed(s, 'ok-logs');
    expect(await logs(s, id)).toEqual({ build: [], deploy: [] });
    s.emu.advance(1000 + 10_000);
    const early = await logs(s, id);
    s.emu.advance(20_000);
    const built = await logs(s, id);
    s.emu.advance(10_000);
    const live = await logs(s, id);
    expect(early.build.length).toBeGreaterThan(0);
    expect(built.build.length).toBeGreaterThan(early.build.length);
    expect(early.deploy).toEqual([]);
    expect(live.deploy.length).toBeGreaterThan(0);
    expect(built.build.some((l) => l.message.includes(s.emu.plantedSecret))).toBe(true);
    expect(live.deploy.some((l) => l.message.includes(s.emu.plantedSecret))).toBe(true);
    expect(live.build.every((l) => l.severity === 'info')).toBe(true);
    expect(Date.parse(live.build[0]?.timestamp ?? '')).toBeGreaterThan(Date.parse('2026-01-01T00:00:00Z'));
    // Railway answers limit + 1 lines (its CLI trims them), unless switched off.
    const limited = await s.gql(LOGS, { id, limit: 2 });
    expect(limited.body.data?.buildLogs).toEqual(live.build.slice(-3));
    s.emu.setSwitches({ logsExtraLine: false });
    const exact = await s.gql(LOGS, { id, limit: 2 });
    s.emu.setSwitches({ logsExtraLine: true });
    expect(exact.body.data?.buildLogs).toEqual(live.build.slice(-2));
  });

  it('a newer deployment that succeeds moves the older successful one to REMOVED', async () => {
    const first = await deployed(s, 'ok-2');
    s.emu.advance(60_000);
    expect(await statusOf(s, first)).toBe('SUCCESS');
    const serviceId = s.emu.state.services(s.projectId).find((x) => x.name === 'ok-2')?.id;
    const r = await s.gql(
      'mutation D($s: String!, $e: String!) { serviceInstanceDeployV2(serviceId: $s, environmentId: $e) }',
      {
        s: serviceId,
        e: s.environmentId,
      },
    );
    const second = r.body.data?.serviceInstanceDeployV2 as string;
    s.emu.advance(40_000);
    expect(await statusOf(s, first)).toBe('SUCCESS'); // still live while the new one deploys
    s.emu.advance(1_000);
    expect([await statusOf(s, first), await statusOf(s, second)]).toEqual(['REMOVED', 'SUCCESS']);
  });

  it('deploymentRemove and deploymentRedeploy', async () => {
    const id = await deployed(s, 'ok-3');
    const redeploy = await s.gql('mutation R($id: String!) { deploymentRedeploy(id: $id) { id status } }', {
      id,
    });
    const next = redeploy.body.data?.deploymentRedeploy as { id: string; status: string };
    expect(next.status).toBe('INITIALIZING');
    expect(next.id).not.toBe(id);
    const removed = await s.gql('mutation R($id: String!) { deploymentRemove(id: $id) }', { id });
    expect(removed.body.data).toEqual({ deploymentRemove: true });
    s.emu.advance(60_000);
    expect([await statusOf(s, id), await statusOf(s, next.id)]).toEqual(['REMOVED', 'SUCCESS']);
  });
});

describe('Railway emulator: poll progression', () => {
  it('moves a deployment one state forward per read, whatever the clock', async () => {
    const s = await setup({ progression: 'poll' });
    try {
      s.emu.setScenario('polled', { outcome: 'success' });
      const id = await deployed(s, 'polled'); // this read saw INITIALIZING and stepped it
      const seen: string[] = [];
      for (let i = 0; i < 5; i++) seen.push(await statusOf(s, id));
      expect(seen).toEqual(['BUILDING', 'DEPLOYING', 'SUCCESS', 'SUCCESS', 'SUCCESS']);
      // A service no scenario matches plays the default (success) scenario.
      const other = await deployed(s, 'unmatched');
      expect(s.emu.state.deployments().find((d) => d.id === other)?.outcome).toBe('success');
    } finally {
      await s.emu.close();
    }
  });

  it('steps a deployment once per request even when the request reads it twice', async () => {
    const s = await setup({ progression: 'poll' });
    try {
      s.emu.setScenario('twice', { outcome: 'build_fails' });
      const serviceId = await createService(s, 'twice', { source: { repo: 'acme/app' } });
      const q = `query T($s: String!, $e: String!, $input: DeploymentListInput!) {
        serviceInstance(serviceId: $s, environmentId: $e) { latestDeployment { status } }
        deployments(input: $input) { edges { node { status } } }
      }`;
      const vars = { s: serviceId, e: s.environmentId, input: { serviceId, environmentId: s.environmentId } };
      const statuses = async () => {
        const r = await s.gql(q, vars);
        const data = r.body.data as {
          serviceInstance: { latestDeployment: { status: string } };
          deployments: { edges: { node: { status: string } }[] };
        };
        return [data.serviceInstance.latestDeployment.status, data.deployments.edges[0]?.node.status];
      };
      expect(await statuses()).toEqual(['INITIALIZING', 'INITIALIZING']);
      expect(await statuses()).toEqual(['BUILDING', 'BUILDING']);
      expect(await statuses()).toEqual(['FAILED', 'FAILED']);
    } finally {
      await s.emu.close();
    }
  });
});

describe('Railway emulator: realtime progression', () => {
  it('follows the injected now()', async () => {
    let t = Date.parse('2026-03-01T12:00:00Z');
    const s = await setup({ progression: 'realtime', now: () => t });
    try {
      const id = await deployed(s, 'rt');
      expect(await statusOf(s, id)).toBe('INITIALIZING');
      t += 1_000;
      expect(await statusOf(s, id)).toBe('BUILDING');
      t += 40_000;
      expect(await statusOf(s, id)).toBe('SUCCESS');
      const dep = await s.gql(DEPLOYMENT, { id });
      expect((dep.body.data?.deployment as { createdAt: string }).createdAt).toBe('2026-03-01T12:00:00.000Z');
    } finally {
      await s.emu.close();
    }
  });
});
