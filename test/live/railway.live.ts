// Contract tests against the real Railway API, for whoever has an account: `npm run test:live` with
// RAILWAY_TOKEN (an account or workspace token) and RAILWAY_LIVE_PROJECT_ID (a throwaway project).
// They drive the product's own client through a sandbox's life (create, deploy, poll, logs, delete)
// and ask the questions no document settles (docs/live-conformance.md), saving every answer,
// secrets stripped, as a fixture the emulator tests replay.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleLogger, createRailwayClient, type RailwayClient } from '@trinity/core';
import { createRecorder, summarise } from './recorder.js';

const token = process.env.RAILWAY_TOKEN ?? '';
const projectId = process.env.RAILWAY_LIVE_PROJECT_ID ?? '';
const apiUrl = process.env.RAILWAY_LIVE_API_URL ?? 'https://backboard.railway.com/graphql/v2';
const missing = [!token && 'RAILWAY_TOKEN', !projectId && 'RAILWAY_LIVE_PROJECT_ID'].filter(Boolean);
if (missing.length > 0) {
  console.log(
    `Railway live conformance skipped: set ${missing.join(' and ')} (see docs/live-conformance.md).`,
  );
}

const pollMs = Number(process.env.RAILWAY_LIVE_POLL_MS ?? '5000');
const canary = `canary-${randomBytes(12).toString('hex')}`;
const recorder = createRecorder('railway', [token, canary]);
// Service names are at most 32 characters (docs.railway.com/services).
const name = `trinity-live-${randomBytes(4).toString('hex')}`;

/** Every answer passes through here on its way to the client, and is recorded under the current case. */
const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const text = await response.clone().text();
  let body: unknown = text.slice(0, 500);
  try {
    body = JSON.parse(text);
  } catch {
    // an HTML page or plain text: kept as its first characters
  }
  recorder.record(summarise(response.status, response.headers, body));
  return response;
};

async function raw(query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const response = await recordingFetch(apiUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe.skipIf(missing.length > 0)('Railway, live', () => {
  let client: RailwayClient;
  let environmentId: string;
  let serviceId: string | undefined;
  const bearer = () => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    client = createRailwayClient({
      token: token,
      tokenKind: 'account',
      apiUrl,
      fetch: recordingFetch,
      logger: createConsoleLogger(),
    });
    recorder.begin('project', 'project(id) with its services and environments, account token');
    const project = await client.getProject(projectId);
    environmentId = process.env.RAILWAY_LIVE_ENVIRONMENT_ID ?? project.environments[0]?.id ?? '';
  });

  afterAll(async () => {
    // Whatever failed above, leave no billing service behind.
    if (serviceId !== undefined) await client.deleteService(serviceId, environmentId).catch(() => undefined);
    const written = recorder.save();
    console.log(`Recorded ${written.length} Railway fixtures under test/fixtures/recorded/railway/.`);
  });

  it('names an unknown project token and an unknown bearer token', async () => {
    recorder.begin('unknown-project-token', 'projectToken with a Project-Access-Token Railway does not know');
    await raw(
      'query ProjectToken { projectToken { projectId environmentId } }',
      {},
      {
        'project-access-token': '00000000-0000-4000-8000-000000000000',
      },
    );
    recorder.begin('unknown-bearer-token', 'me with an Authorization: Bearer token Railway does not know');
    await raw('query Me { me { id } }', {}, { authorization: 'Bearer 00000000-0000-4000-8000-000000000000' });
    const projectToken = process.env.RAILWAY_LIVE_PROJECT_TOKEN;
    if (projectToken) {
      recorder.begin('me-with-project-token', 'me with a valid project token');
      await raw('query Me { me { id } }', {}, { 'project-access-token': projectToken });
    }
  });

  it('answers a document that does not fit the schema', async () => {
    recorder.begin('invalid-document', 'a query selecting a field that does not exist');
    const { body } = await raw(
      'query Bad($id: String!) { project(id: $id) { noSuchField } }',
      { id: projectId },
      bearer(),
    );
    expect(Array.isArray(body['errors'])).toBe(true);
  });

  it('creates a service, refuses its name twice, deploys, polls, reads logs, deletes', async () => {
    recorder.begin('service-create', 'serviceCreate with an image source and variables');
    const created = await client.createService({
      projectId: projectId,
      name,
      source: { image: process.env.RAILWAY_LIVE_IMAGE ?? 'traefik/whoami' },
      variables: { TRINITY_LIVE_CANARY: canary },
    });
    serviceId = created.id;

    recorder.begin('service-create-duplicate', 'serviceCreate with the name of an existing service');
    await expect(client.createService({ projectId: projectId, name, variables: {} })).rejects.toThrow();

    recorder.begin('deploy', 'serviceInstanceDeployV2');
    const deploymentId = await client.deployService(created.id, environmentId);

    recorder.begin('deployment-poll', 'deployment(id) polled until it settles');
    const statuses: string[] = [];
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      const deployment = await client.getDeployment(deploymentId);
      if (statuses.at(-1) !== deployment.status) statuses.push(deployment.status);
      if (!['INITIALIZING', 'QUEUED', 'WAITING', 'BUILDING', 'DEPLOYING'].includes(deployment.status)) break;
      if (Date.now() > deadline) break;
      // Every 5 s, as Railway's CLI polls (RAILWAY_LIVE_POLL_MS: 0 for a dry run against the emulator).
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    recorder.note('statuses', statuses);

    for (const field of ['buildLogs', 'deploymentLogs'] as const) {
      recorder.begin(`${field}-limit-2`, `${field}(deploymentId, limit: 2)`);
      const { body } = await raw(
        `query Logs($deploymentId: String!) { ${field}(deploymentId: $deploymentId, limit: 2) { message timestamp } }`,
        { deploymentId },
        bearer(),
      );
      const lines = (body['data'] as Record<string, unknown[]> | null)?.[field];
      recorder.note('lines', Array.isArray(lines) ? lines.length : null);
    }

    recorder.begin('service-delete', 'serviceDelete of an existing service');
    await client.deleteService(created.id, environmentId);
    recorder.begin('service-after-delete', 'service(id) of a service just deleted');
    await raw('query Service($id: String!) { service(id: $id) { id name } }', { id: created.id }, bearer());
    recorder.begin('service-delete-again', 'serviceDelete of a service already deleted');
    await raw(
      'mutation ServiceDelete($id: String!, $environmentId: String) { serviceDelete(id: $id, environmentId: $environmentId) }',
      { id: created.id, environmentId },
      bearer(),
    );
    serviceId = undefined;
  });
});
