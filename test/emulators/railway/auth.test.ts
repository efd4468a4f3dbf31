import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT_TOKEN,
  OTHER_PROJECT_TOKEN,
  PROJECT_TOKEN,
  bearer,
  createService,
  projectAccess,
  setup,
} from './helpers.js';
import type { Setup } from './helpers.js';

let s: Setup;
beforeAll(async () => {
  s = await setup();
});
afterAll(async () => {
  await s.emu.close();
});

const PROJECT = 'query P($id: String!) { project(id: $id) { id name } }';

function expectRefusal(r: Awaited<ReturnType<Setup['gql']>>, message: string): void {
  expect(r.status).toBe(200);
  expect(r.body.data).toBeNull();
  expect(r.body.errors?.map((e) => e.message)).toEqual([message]);
}
const expectNotAuthorized = (r: Awaited<ReturnType<Setup['gql']>>) => expectRefusal(r, 'Not Authorized');
const expectProjectTokenNotFound = (r: Awaited<ReturnType<Setup['gql']>>) =>
  expectRefusal(r, 'Project Token not found');

describe('Railway emulator: auth', () => {
  it('answers Not Authorized without a token', async () => {
    expectNotAuthorized(await s.gql('query { me { id } }', {}, {}));
  });

  it('answers Not Authorized for an unknown bearer token, Project Token not found for an unknown project token', async () => {
    expectNotAuthorized(await s.gql('query { me { id } }', {}, bearer('nope-0000')));
    expectProjectTokenNotFound(await s.gql(PROJECT, { id: s.projectId }, projectAccess('nope-1111')));
  });

  it('answers Project Token not found, for every operation, once a project token is revoked', async () => {
    s.emu.addToken({
      token: 'revoked-pt-0001',
      kind: 'project',
      projectId: s.projectId,
      environmentId: s.environmentId,
    });
    const before = await s.gql(PROJECT, { id: s.projectId }, projectAccess('revoked-pt-0001'));
    expect(before.body.data?.project).toEqual({ id: s.projectId, name: 'sandbox' });
    s.emu.revokeToken('revoked-pt-0001');
    expectProjectTokenNotFound(await s.gql(PROJECT, { id: s.projectId }, projectAccess('revoked-pt-0001')));
    expectProjectTokenNotFound(
      await s.gql(
        'mutation D($id: String!) { serviceDelete(id: $id) }',
        { id: 'x' },
        projectAccess('revoked-pt-0001'),
      ),
    );
  });

  it('refuses me with a workspace token (personal data)', async () => {
    s.emu.addToken({ token: 'workspace-0001', kind: 'workspace' });
    expectNotAuthorized(await s.gql('query { me { id } }', {}, bearer('workspace-0001')));
    const project = await s.gql(PROJECT, { id: s.projectId }, bearer('workspace-0001'));
    expect(project.body.data?.project).toEqual({ id: s.projectId, name: 'sandbox' });
  });

  it('answers Two Factor Authentication Required, with the workspace, when the workspace enforces 2FA', async () => {
    s.emu.addToken({ token: 'no-2fa-0001', kind: 'account', twoFactorRequiredBy: 'Acme' });
    const r = await s.gql(PROJECT, { id: s.projectId }, bearer('no-2fa-0001'));
    expectRefusal(r, 'Two Factor Authentication Required');
    expect(r.body.errors?.[0]).toMatchObject({ extensions: { workspaceName: 'Acme' } });
  });

  it('answers me for an account token', async () => {
    const r = await s.gql('query { me { id email name } }');
    expect(r.body.data?.me).toMatchObject({ email: 'lead@example.com', name: 'lead' });
  });

  it('refuses me with a project token', async () => {
    expectNotAuthorized(await s.gql('query { me { id } }', {}, projectAccess()));
  });

  it('only reads project tokens from Project-Access-Token and account tokens from Bearer', async () => {
    // A project token sent as a bearer token was seen answered `Project Token not found`.
    expectProjectTokenNotFound(await s.gql(PROJECT, { id: s.projectId }, bearer(PROJECT_TOKEN)));
    expectProjectTokenNotFound(await s.gql(PROJECT, { id: s.projectId }, projectAccess(ACCOUNT_TOKEN)));
    const ok = await s.gql(PROJECT, { id: s.projectId }, projectAccess());
    expect(ok.body.data?.project).toEqual({ id: s.projectId, name: 'sandbox' });
  });

  it('keeps a project token inside its project', async () => {
    expectNotAuthorized(await s.gql(PROJECT, { id: s.otherProjectId }, projectAccess()));
    expectNotAuthorized(
      await s.gql(
        'mutation C($input: ServiceCreateInput!) { serviceCreate(input: $input) { id } }',
        { input: { projectId: s.projectId, name: 'intruder' } },
        projectAccess(OTHER_PROJECT_TOKEN),
      ),
    );
    // The account token sees both projects.
    const other = await s.gql(PROJECT, { id: s.otherProjectId });
    expect(other.body.data?.project).toEqual({ id: s.otherProjectId, name: 'other' });
  });

  it('keeps a project token inside its environment', async () => {
    const serviceId = await createService(s, 'scoped');
    const q =
      'query I($s: String!, $e: String!) { serviceInstance(serviceId: $s, environmentId: $e) { environmentId } }';
    const own = await s.gql(q, { s: serviceId, e: s.environmentId }, projectAccess());
    expect(own.body.data?.serviceInstance).toEqual({ environmentId: s.environmentId });
    expectNotAuthorized(await s.gql(q, { s: serviceId, e: s.environmentIds.staging }, projectAccess()));
  });

  it('answers projectToken only for a project token', async () => {
    const q = 'query { projectToken { projectId environmentId project { name } environment { name } } }';
    const r = await s.gql(q, {}, projectAccess());
    expect(r.body.data?.projectToken).toEqual({
      projectId: s.projectId,
      environmentId: s.environmentId,
      project: { name: 'sandbox' },
      environment: { name: 'production' },
    });
    expectNotAuthorized(await s.gql(q, {}, bearer()));
  });

  it('answers "Project not found" to an account token asking for an unknown project', async () => {
    const r = await s.gql(PROJECT, { id: 'no-such-project' });
    expect(r.body.errors?.[0]?.message).toBe('Project not found');
    expect(r.body.data).toBeNull();
  });
});
