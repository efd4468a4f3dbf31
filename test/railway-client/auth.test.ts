import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../packages/core/src/errors.js';
import { RailwayAuthError } from '../../packages/core/src/railway/index.js';
import { ACCOUNT_TOKEN, PROJECT_TOKEN, rejectionOf, startWorld } from './world.js';
import type { World } from './world.js';

let w: World;
beforeEach(async () => {
  w = await startWorld();
});
afterEach(async () => {
  await w.emu.close();
});

describe('Railway client auth', () => {
  it('sends an account token as Authorization: Bearer', async () => {
    const me = await w.client({ tokenKind: 'account' }).whoAmI();
    expect(me.email).toBe('lead@example.com');
    expect(w.emu.requests.map((r) => [r.operationName, r.authKind])).toEqual([['Me', 'bearer']]);
  });

  it('sends a workspace token as Authorization: Bearer', async () => {
    w.emu.addToken({ token: 'ws-token-1234-abcd', kind: 'workspace' });
    const project = await w
      .client({ token: 'ws-token-1234-abcd', tokenKind: 'workspace' })
      .getProject(w.projectId);
    expect(project.name).toBe('sandboxes');
    expect(w.emu.requests[0]?.authKind).toBe('bearer');
  });

  it('sends a project token as Project-Access-Token', async () => {
    const client = w.client({ token: PROJECT_TOKEN, tokenKind: 'project' });
    const project = await client.getProject(w.projectId);
    expect(project).toMatchObject({ id: w.projectId, name: 'sandboxes', services: [] });
    expect(project.environments.map((e) => e.id)).toEqual([w.environmentId]);
    expect(await client.projectTokenInfo()).toEqual({
      projectId: w.projectId,
      environmentId: w.environmentId,
    });
    expect(w.emu.requests.map((r) => [r.operationName, r.authKind])).toEqual([
      ['Project', 'project'],
      ['ProjectToken', 'project'],
    ]);
  });

  it('auto-detects a project token and learns its project and environment, once per client', async () => {
    const client = w.client({ token: PROJECT_TOKEN, tokenKind: 'auto' });
    expect(await client.resolveToken()).toEqual({
      configured: 'auto',
      scheme: 'project',
      projectId: w.projectId,
      environmentId: w.environmentId,
    });
    // Known from detection: no second projectToken request.
    expect(await client.projectTokenInfo()).toEqual({
      projectId: w.projectId,
      environmentId: w.environmentId,
    });
    await client.getProject(w.projectId);
    expect(w.emu.requests.map((r) => [r.operationName, r.authKind])).toEqual([
      ['ProjectToken', 'project'],
      ['Project', 'project'],
    ]);
  });

  it('auto-detects an account token (refused as a project token) and then uses Bearer', async () => {
    const client = w.client({ token: ACCOUNT_TOKEN, tokenKind: 'auto' });
    const [a, b] = await Promise.all([client.whoAmI(), client.whoAmI()]);
    expect(a.email).toBe('lead@example.com');
    expect(b).toEqual(a);
    expect(await client.resolveToken()).toEqual({ configured: 'auto', scheme: 'bearer' });
    // Two concurrent first calls share one detection.
    expect(w.emu.requests.map((r) => [r.operationName, r.authKind])).toEqual([
      ['ProjectToken', 'project'],
      ['Me', 'bearer'],
      ['Me', 'bearer'],
    ]);
    expect(w.sleeps).toEqual([]);
  });

  it('an unknown token is a RailwayAuthError with a fix, after exactly one request', async () => {
    const error = await rejectionOf(
      w.client({ token: 'nope-0000-1111-2222', tokenKind: 'account' }).whoAmI(),
    );
    expect(error).toBeInstanceOf(RailwayAuthError);
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      'Railway refused the account token (sent as Authorization: Bearer) for Me: "Not Authorized". ' +
        'Check that the secret passed as railway-token holds a current Railway token, that the ' +
        'railway-token-kind input matches it (account, workspace or project; "auto" detects it), and ' +
        'that a project token belongs to the project and environment this action works on.',
    );
    expect(w.emu.requests).toHaveLength(1);
    expect(w.sleeps).toEqual([]);
  });

  it('with auto, an unknown token is tried once each way, never retried, and the message says so', async () => {
    const error = await rejectionOf(
      w.client({ token: 'nope-0000-1111-2222', tokenKind: 'auto' }).getProject(w.projectId),
    );
    expect(error).toBeInstanceOf(RailwayAuthError);
    expect(error.message).toContain(
      'Railway refused the token (railway-token-kind "auto": Railway did not accept it as a project token, ' +
        'so it was sent as an account or workspace token with Authorization: Bearer) for Project: "Not Authorized".',
    );
    expect(w.emu.requests.map((r) => [r.operationName, r.authKind, r.status])).toEqual([
      ['ProjectToken', 'project', 200],
      ['Project', 'bearer', 200],
    ]);
  });

  it('a project token used on another project is refused with the project-token hint', async () => {
    const client = w.client({ token: PROJECT_TOKEN, tokenKind: 'project' });
    const error = await rejectionOf(client.getProject(w.otherProjectId));
    expect(error).toBeInstanceOf(RailwayAuthError);
    expect(error.message).toMatch(
      /^Railway refused the project token \(sent as Project-Access-Token\) for Project/,
    );
    expect(error.message).toContain('that a project token belongs to the project');
    expect((error as RailwayAuthError).operation).toBe('Project');
  });

  it('an account token declared as a project token is refused (wrong header), not silently fixed', async () => {
    const error = await rejectionOf(
      w.client({ token: ACCOUNT_TOKEN, tokenKind: 'project' }).getProject(w.projectId),
    );
    expect(error).toBeInstanceOf(RailwayAuthError);
    expect(w.emu.requests.map((r) => r.authKind)).toEqual(['project']);
  });
});
