/**
 * The gate through provision, against both emulators: an organization member whose membership is
 * private shows as CONTRIBUTOR to GITHUB_TOKEN (actions/github-script#365); the collaborator
 * permission endpoint, not the association, settles whether they may spend the Railway credit.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { inputsFromRecord, provisionSandbox, readProvisionSettings } from '@trinity/core';
import { REPO } from '../support/github.js';
import { lifecycleWorldPerTest } from '../support/lifecycle-world.js';
import { runContext } from '../support/settings-fixtures.js';

const world = lifecycleWorldPerTest(['one']);
const { gh, railway } = world;
const ISSUE = 11;

beforeEach(() => {
  gh.emulator.seedIssue(REPO, {
    number: ISSUE,
    title: 'Try my branch',
    user: 'quiet-member',
    authorAssociation: 'CONTRIBUTOR',
  });
});

const context = () => world.context();
const accounts = () => world.accounts(1);

const provision = () =>
  provisionSandbox(
    readProvisionSettings(
      inputsFromRecord({
        'github-token': 'ghs_x',
        'railway-token': world.project().token,
        'issue-number': String(ISSUE),
        image: 'ghcr.io/octo-org/app:1',
      }),
      runContext(),
    ),
    context(),
    accounts(),
    'https://github.com',
  );

const permissionChecks = () =>
  gh.emulator.requests.filter((r) => r.operationId === 'repos/get-collaborator-permission-level');

describe('the gate confirms write access before refusing on association', () => {
  it.each(['write', 'maintain', 'admin'] as const)('admits a CONTRIBUTOR with %s access', async (role) => {
    gh.emulator.addCollaborator(REPO, 'quiet-member', role);
    const result = await provision();
    expect(result.outputs.status).not.toBe('refused');
    expect(railway.state.services(world.project().projectId)).toHaveLength(1);
    expect(permissionChecks()).toHaveLength(1);
  });

  it('refuses a CONTRIBUTOR with triage access, naming both checks', async () => {
    gh.emulator.addCollaborator(REPO, 'quiet-member', 'triage');
    const result = await provision();
    expect(result.outputs.status).toBe('refused');
    const comment = gh.emulator.repo(REPO).comments(ISSUE)[0]?.body ?? '';
    expect(comment).toContain('(CONTRIBUTOR) is not one of OWNER, MEMBER, COLLABORATOR');
    expect(comment).toContain(
      "GitHub's collaborator permission check says triage, not admin, maintain or write",
    );
    expect(railway.state.services(world.project().projectId)).toHaveLength(0);
  });

  it('refuses, saying the check could not be made, when the permission endpoint fails', async () => {
    gh.emulator.addCollaborator(REPO, 'quiet-member', 'write');
    gh.emulator.injectFault({
      kind: 'server_error',
      operationId: 'repos/get-collaborator-permission-level',
      times: 10,
    });
    const result = await provision();
    expect(result.outputs.status).toBe('refused');
    const comment = gh.emulator.repo(REPO).comments(ISSUE)[0]?.body ?? '';
    expect(comment).toContain("GitHub's collaborator permission check could not be made (500");
  });

  it('does not ask when the association is allowed already', async () => {
    gh.emulator.seedIssue(REPO, {
      number: ISSUE,
      title: 't',
      user: 'quiet-member',
      authorAssociation: 'MEMBER',
    });
    await provision();
    expect(permissionChecks()).toHaveLength(0);
  });
});
