import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RailwayGraphQLError } from '../../packages/core/src/railway/index.js';
import type { DeploymentStatus } from '../../packages/core/src/railway/index.js';
import { PROJECT_TOKEN, rejectionOf, startWorld } from './world.js';
import type { World } from './world.js';

let w: World;
beforeEach(async () => {
  w = await startWorld();
});
afterEach(async () => {
  await w.emu.close();
});

const IMAGE = 'ghcr.io/acme/app:latest';

describe('Railway client: a sandbox service from creation to deletion', () => {
  it.each(['account', 'project'] as const)('runs the full life with a %s token', async (kind) => {
    const client = kind === 'account' ? w.client() : w.client({ token: PROJECT_TOKEN, tokenKind: 'project' });
    const { projectId, environmentId } = w;

    // Find-or-create, step one: nothing there yet.
    expect(await client.findServiceByName(projectId, 'issue-42')).toBeUndefined();

    const created = await client.createService({
      projectId,
      environmentId,
      name: 'issue-42',
      source: { image: IMAGE },
      variables: { ISSUE_NUMBER: '42', API_KEY: 'sk-test-1234567890' },
    });
    expect(created).toMatchObject({ name: 'issue-42', projectId });
    expect(Date.parse(created.createdAt)).toBe(w.emu.now());

    // The variables went in with serviceCreate, so the first build already had them.
    const createRequest = w.emu.requests.find((r) => r.operationName === 'ServiceCreate');
    expect(createRequest?.variables).toMatchObject({
      input: { variables: { ISSUE_NUMBER: '42', API_KEY: 'sk-test-1234567890' }, source: { image: IMAGE } },
    });
    const vars = await client.getVariables({ projectId, environmentId, serviceId: created.id });
    expect(vars).toMatchObject({
      ISSUE_NUMBER: '42',
      API_KEY: 'sk-test-1234567890',
      RAILWAY_SERVICE_NAME: 'issue-42',
    });

    // Creating with a source started a deployment.
    const instance = await client.getServiceInstance(created.id, environmentId);
    expect(instance).toMatchObject({
      serviceId: created.id,
      serviceName: 'issue-42',
      environmentId,
      source: { image: IMAGE, repo: null },
      domains: [],
    });
    expect(instance.latestDeployment?.status).toBe('INITIALIZING');
    const firstDeploymentId = instance.latestDeployment?.id;

    // Find-or-create, again: found by name, not created twice.
    expect(await client.findServiceByName(projectId, 'issue-42')).toEqual({
      id: created.id,
      name: 'issue-42',
      createdAt: created.createdAt,
    });
    const creates = w.emu.requests.filter((r) => r.operationName === 'ServiceCreate').length;
    const ensured = await client.ensureService({
      projectId,
      name: 'issue-42',
      source: { image: IMAGE },
      variables: {},
    });
    expect(ensured).toEqual({
      created: false,
      service: { id: created.id, name: 'issue-42', createdAt: created.createdAt },
    });
    expect(w.emu.requests.filter((r) => r.operationName === 'ServiceCreate')).toHaveLength(creates);

    const domain = await client.createServiceDomain(created.id, environmentId);
    expect(domain.domain).toMatch(/^issue-42-[0-9a-f]+\.up\.railway\.app$/);
    expect((await client.getServiceInstance(created.id, environmentId)).domains).toEqual([domain]);

    const deploymentId = await client.deployService(created.id, environmentId, 'a1b2c3d');
    expect(deploymentId).not.toBe(firstDeploymentId);
    expect(w.emu.state.deployments(created.id).at(-1)?.meta).toMatchObject({ commitHash: 'a1b2c3d' });

    // Poll the way the official CLI does (every 5 s), moving the emulator's clock between polls.
    const seen: DeploymentStatus[] = [];
    for (let polls = 0; polls < 30; polls++) {
      const d = await client.getDeployment(deploymentId);
      if (seen.at(-1) !== d.status) seen.push(d.status);
      if (d.status === 'SUCCESS' || d.status === 'FAILED' || d.status === 'CRASHED') break;
      w.emu.advance(client.pollDelay(5_000));
    }
    // An image is not built: INITIALIZING → DEPLOYING (emulator README, deployments).
    expect(seen).toEqual(['INITIALIZING', 'DEPLOYING', 'SUCCESS']);
    const done = await client.getDeployment(deploymentId);
    expect(done).toMatchObject({
      id: deploymentId,
      url: `https://${domain.domain}`,
      staticUrl: domain.domain,
    });

    const build = await client.buildLogs(deploymentId, 5);
    // Railway answers limit + 1 lines; a client may trim them (emulator README, deployments).
    expect(build.length).toBeGreaterThanOrEqual(5);
    for (const line of build) {
      expect(line.message).toEqual(expect.any(String));
      expect(Date.parse(line.timestamp)).not.toBeNaN();
    }
    expect((await client.deploymentLogs(deploymentId, 500)).length).toBeGreaterThan(0);

    // Newest first; the first deployment was superseded when the second succeeded.
    const list = await client.listDeployments({ projectId, serviceId: created.id, environmentId }, 10);
    expect(list.map((d) => [d.id, d.status])).toEqual([
      [deploymentId, 'SUCCESS'],
      [firstDeploymentId, 'REMOVED'],
    ]);
    expect(await client.listDeployments({ serviceId: created.id }, 1)).toHaveLength(1);

    // A variable change without a redeploy.
    await client.upsertVariables({
      projectId,
      environmentId,
      serviceId: created.id,
      variables: { SANDBOX_URL: `https://${domain.domain}` },
      skipDeploys: true,
    });
    expect(await client.getVariables({ projectId, environmentId, serviceId: created.id })).toMatchObject({
      ISSUE_NUMBER: '42',
      SANDBOX_URL: `https://${domain.domain}`,
    });
    expect(w.emu.state.deployments(created.id)).toHaveLength(2);
    // …and one with the default redeploy.
    await client.upsertVariables({ projectId, environmentId, serviceId: created.id, variables: { A: 'b' } });
    expect(w.emu.state.deployments(created.id)).toHaveLength(3);

    expect(await client.deleteService(created.id, { projectId, environmentId })).toEqual({
      deleted: true,
      alreadyGone: false,
    });
    expect(await client.deleteService(created.id, { projectId, environmentId })).toEqual({
      deleted: false,
      alreadyGone: true,
    });
    expect(await client.findServiceByName(projectId, 'issue-42')).toBeUndefined();
    expect(w.emu.state.deployments(created.id).map((d) => d.status)).toEqual([
      'REMOVED',
      'REMOVED',
      'REMOVED',
    ]);
    expect(w.sleeps).toEqual([]);
  });

  it('a second service with the same name is a GraphQL error, not retried', async () => {
    const client = w.client();
    const input = { projectId: w.projectId, name: 'issue-7', variables: {} };
    await client.createService(input);
    const error = await rejectionOf(client.createService(input));
    expect(error).toBeInstanceOf(RailwayGraphQLError);
    expect(error.message).toBe(
      'Railway rejected ServiceCreate: "A service named "issue-7" already exists in this project".',
    );
    expect(w.emu.requests.filter((r) => r.operationName === 'ServiceCreate')).toHaveLength(2);
  });

  it('ensureService creates a missing service once, with its variables', async () => {
    const client = w.client();
    const result = await client.ensureService({
      projectId: w.projectId,
      name: 'issue-9',
      source: { repo: 'acme/app' },
      branch: 'issue-9',
      variables: { ISSUE_NUMBER: '9' },
    });
    expect(result.created).toBe(true);
    const [service] = w.emu.state.services(w.projectId);
    expect(service?.instances[0]).toMatchObject({
      source: { repo: 'acme/app' },
      branch: 'issue-9',
      variables: { ISSUE_NUMBER: '9' },
    });
  });

  it('ensureService loses a creation race gracefully: the other run’s service is the one', async () => {
    const rival = w.client();
    let raced = false;
    // Another run creates the same service between this client's find and its create.
    const racingFetch: typeof fetch = async (input, init) => {
      if (!raced && typeof init?.body === 'string' && init.body.includes('"operationName":"ServiceCreate"')) {
        raced = true;
        await rival.createService({ projectId: w.projectId, name: 'issue-5', variables: {} });
      }
      return fetch(input, init);
    };
    const result = await w.client({ fetch: racingFetch }).ensureService({
      projectId: w.projectId,
      name: 'issue-5',
      variables: {},
    });
    const [only] = w.emu.state.services(w.projectId);
    expect(result).toEqual({
      created: false,
      service: { id: only?.id, name: 'issue-5', createdAt: expect.any(String) as string },
    });
    expect(w.emu.state.services(w.projectId)).toHaveLength(1);
  });

  it('a service without a source cannot be deployed, and says so', async () => {
    const client = w.client();
    const { id } = await client.createService({ projectId: w.projectId, name: 'empty', variables: {} });
    expect((await client.getServiceInstance(id, w.environmentId)).latestDeployment).toBeNull();
    const error = await rejectionOf(client.deployService(id, w.environmentId));
    expect(error).toBeInstanceOf(RailwayGraphQLError);
    expect(error.message).toContain('ServiceInstanceDeployV2');
  });

  it('deleting a service that never existed is reported as already gone', async () => {
    expect(
      await w.client().deleteService('00000000-0000-0000-0000-000000000000', { projectId: w.projectId }),
    ).toEqual({
      deleted: false,
      alreadyGone: true,
    });
  });
});
