import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYMENT, LATEST, SERVICE_CREATE, createService, setup } from './helpers.js';
import type { Setup } from './helpers.js';

let s: Setup;
beforeAll(async () => {
  s = await setup();
});
afterAll(async () => {
  await s.emu.close();
});

const VARIABLES =
  'query V($p: String!, $e: String!, $s: String) { variables(projectId: $p, environmentId: $e, serviceId: $s) }';

describe('Railway emulator: state', () => {
  it('refuses a duplicate service name in the same project', async () => {
    await createService(s, 'dup');
    const r = await s.gql(SERVICE_CREATE, { input: { projectId: s.projectId, name: 'dup' } });
    expect(r.body.data).toBeNull();
    expect(r.body.errors?.[0]?.message).toBe('A service named "dup" already exists in this project');
    // The same name is fine in another project.
    const other = await s.gql(SERVICE_CREATE, { input: { projectId: s.otherProjectId, name: 'dup' } });
    expect(other.body.errors).toBeUndefined();
  });

  it('serviceCreate with source and variables starts a deployment that sees the variables', async () => {
    const serviceId = await createService(s, 'web', {
      source: { repo: 'acme/web' },
      branch: 'issue-7',
      variables: { ISSUE: '7', NODE_ENV: 'production' },
    });
    const latest = await s.gql(LATEST, { serviceId, environmentId: s.environmentId });
    expect(latest.body.data?.serviceInstance).toMatchObject({ latestDeployment: { status: 'INITIALIZING' } });
    expect(s.emu.state.deployments(serviceId)).toHaveLength(2); // production and staging
    const vars = await s.gql(VARIABLES, { p: s.projectId, e: s.environmentId, s: serviceId });
    expect(vars.body.data?.variables).toMatchObject({
      ISSUE: '7',
      NODE_ENV: 'production',
      RAILWAY_SERVICE_NAME: 'web',
      RAILWAY_ENVIRONMENT_NAME: 'production',
    });
    const inst = await s.gql(
      'query I($s: String!, $e: String!) { serviceInstance(serviceId: $s, environmentId: $e) { serviceName source { image repo } } }',
      { s: serviceId, e: s.environmentId },
    );
    expect(inst.body.data?.serviceInstance).toEqual({
      serviceName: 'web',
      source: { image: null, repo: 'acme/web' },
    });
    expect(s.emu.state.deployments(serviceId)[0]?.meta).toMatchObject({
      repo: 'acme/web',
      branch: 'issue-7',
    });
  });

  it('serviceCreate without a source deploys nothing and cannot be deployed', async () => {
    const serviceId = await createService(s, 'empty', {});
    expect(s.emu.state.deployments(serviceId)).toEqual([]);
    const r = await s.gql(
      'mutation D($s: String!, $e: String!) { serviceInstanceDeployV2(serviceId: $s, environmentId: $e) }',
      {
        s: serviceId,
        e: s.environmentId,
      },
    );
    expect(r.body.errors?.[0]?.message).toBe('Service instance has no source to deploy');
  });

  it('variableCollectionUpsert merges, replaces and redeploys unless skipDeploys', async () => {
    const serviceId = await createService(s, 'vars', { source: { image: 'nginx' }, variables: { A: '1' } });
    const upsert =
      'mutation U($input: VariableCollectionUpsertInput!) { variableCollectionUpsert(input: $input) }';
    const base = { projectId: s.projectId, environmentId: s.environmentId, serviceId };
    const r = await s.gql(upsert, { input: { ...base, variables: { B: '2' }, skipDeploys: true } });
    expect(r.body.data).toEqual({ variableCollectionUpsert: true });
    expect(
      s.emu.state.deployments(serviceId).filter((d) => d.environmentId === s.environmentId),
    ).toHaveLength(1);
    const read = async () =>
      (await s.gql(VARIABLES, { p: s.projectId, e: s.environmentId, s: serviceId })).body.data
        ?.variables as Record<string, string>;
    expect(await read()).toMatchObject({ A: '1', B: '2' });
    await s.gql(upsert, { input: { ...base, variables: { C: '3' }, replace: true } });
    const after = await read();
    expect(after).toMatchObject({ C: '3' });
    expect(after.A).toBeUndefined();
    expect(
      s.emu.state.deployments(serviceId).filter((d) => d.environmentId === s.environmentId),
    ).toHaveLength(2);
  });

  it('serviceInstanceDeployV2 returns the new deployment id', async () => {
    const serviceId = await createService(s, 'deployable');
    const r = await s.gql(
      'mutation D($s: String!, $e: String!, $c: String) { serviceInstanceDeployV2(serviceId: $s, environmentId: $e, commitSha: $c) }',
      { s: serviceId, e: s.environmentId, c: 'abc123' },
    );
    const id = r.body.data?.serviceInstanceDeployV2 as string;
    const dep = await s.gql(
      'query D($id: String!) { deployment(id: $id) { id status serviceId environmentId } }',
      { id },
    );
    expect(dep.body.data?.deployment).toMatchObject({
      id,
      status: 'INITIALIZING',
      serviceId,
      environmentId: s.environmentId,
    });
    const latest = await s.gql(LATEST, { serviceId, environmentId: s.environmentId });
    expect(latest.body.data?.serviceInstance).toEqual({ latestDeployment: { id, status: 'INITIALIZING' } });
  });

  it('serviceDomainCreate gives an up.railway.app domain that deployments then report', async () => {
    const serviceId = await createService(s, 'site');
    const r = await s.gql(
      'mutation M($input: ServiceDomainCreateInput!) { serviceDomainCreate(input: $input) { id domain serviceId environmentId } }',
      { input: { serviceId, environmentId: s.environmentId, targetPort: 8080 } },
    );
    const domain = (r.body.data?.serviceDomainCreate as { domain: string }).domain;
    expect(domain).toMatch(/^site-[0-9a-f]{6}\.up\.railway\.app$/);
    const id = s.emu.state.deployments(serviceId).find((d) => d.environmentId === s.environmentId)?.id;
    const dep = await s.gql(DEPLOYMENT, { id });
    expect(dep.body.data?.deployment).toMatchObject({ staticUrl: domain, url: `https://${domain}` });
    const doms = await s.gql(
      'query D($p: String!, $e: String!, $s: String!) { domains(projectId: $p, environmentId: $e, serviceId: $s) { serviceDomains { domain } customDomains { id } } }',
      { p: s.projectId, e: s.environmentId, s: serviceId },
    );
    expect(doms.body.data?.domains).toEqual({ serviceDomains: [{ domain }], customDomains: [] });
  });

  it('serviceDelete removes the service and its instances and marks deployments REMOVED', async () => {
    const serviceId = await createService(s, 'doomed');
    const del = 'mutation D($id: String!, $e: String) { serviceDelete(id: $id, environmentId: $e) }';
    const r = await s.gql(del, { id: serviceId, e: s.environmentId });
    expect(r.body.data).toEqual({ serviceDelete: true });
    expect(s.emu.state.services(s.projectId).map((x) => x.name)).not.toContain('doomed');
    expect(s.emu.state.deployments(serviceId).map((d) => d.status)).toEqual(['REMOVED', 'REMOVED']);
    const project = await s.gql(
      'query P($id: String!) { project(id: $id) { services { edges { node { name } } } } }',
      {
        id: s.projectId,
      },
    );
    expect(JSON.stringify(project.body.data)).not.toContain('doomed');
    const inst = await s.gql(LATEST, { serviceId, environmentId: s.environmentId });
    expect(inst.body.errors?.[0]?.message).toBe('Service not found');
    // Railway was seen answering a delete of an unknown id with Not Authorized (switch: not found).
    const again = await s.gql(del, { id: serviceId });
    expect(again.body.errors?.[0]?.message).toBe('Not Authorized');
    expect(again.body.data).toBeNull();
    s.emu.setSwitches({ unknownServiceDelete: 'not_found' });
    const switched = await s.gql(del, { id: serviceId });
    s.emu.setSwitches({ unknownServiceDelete: 'not_authorized' });
    expect(switched.body.errors?.[0]?.message).toBe('Service not found');
    // The name is free again.
    await expect(createService(s, 'doomed')).resolves.toMatch(/[0-9a-f-]{36}/);
  });

  it('project lists services with their instances and environments', async () => {
    const r = await s.gql(
      `query P($id: String!) { project(id: $id) {
        id name
        environments { edges { node { id name } } }
        services(first: 100) { edges { node { id name createdAt serviceInstances { edges { node { environmentId latestDeployment { id status } } } } } } }
      } }`,
      { id: s.projectId },
    );
    expect(r.body.errors).toBeUndefined();
    const project = r.body.data?.project as {
      environments: { edges: { node: { name: string } }[] };
      services: { edges: { node: { name: string; serviceInstances: { edges: unknown[] } } }[] };
    };
    expect(project.environments.edges.map((e) => e.node.name)).toEqual(
      expect.arrayContaining(['production', 'staging']),
    );
    const web = project.services.edges.find((e) => e.node.name === 'web');
    expect(web?.node.serviceInstances.edges.length).toBeGreaterThanOrEqual(2);
  });

  it('deployments(input, first) lists newest first and filters', async () => {
    const serviceId = await createService(s, 'listed');
    await s.gql(
      'mutation D($s: String!, $e: String!) { serviceInstanceDeployV2(serviceId: $s, environmentId: $e) }',
      {
        s: serviceId,
        e: s.environmentId,
      },
    );
    const q = `query L($input: DeploymentListInput!, $first: Int) {
      deployments(input: $input, first: $first) { edges { node { id status environmentId } } pageInfo { hasNextPage } }
    }`;
    const r = await s.gql(q, {
      input: { projectId: s.projectId, serviceId, environmentId: s.environmentId },
      first: 1,
    });
    const conn = r.body.data?.deployments as {
      edges: { node: { id: string } }[];
      pageInfo: { hasNextPage: boolean };
    };
    const all = s.emu.state.deployments(serviceId).filter((d) => d.environmentId === s.environmentId);
    expect(conn.edges.map((e) => e.node.id)).toEqual([all[all.length - 1]?.id]);
    expect(conn.pageInfo.hasNextPage).toBe(true);
  });
});
