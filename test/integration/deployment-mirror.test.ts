import { afterEach, describe, expect, it } from 'vitest';
import { createDeploymentMirror } from '@trinity/core';
import { REPO, startGitHub, type GitHubFixture } from '../support/github.js';

let github: GitHubFixture | undefined;
afterEach(async () => {
  await github?.emulator.close();
  github = undefined;
});

async function mirrorOn() {
  const g = (github = await startGitHub());
  const [owner, repo] = REPO.split('/') as [string, string];
  const mirror = createDeploymentMirror({
    octokit: g.octokit,
    owner,
    repo,
    logger: g.logger,
    ref: g.emulator.repo(REPO).headSha(),
    logUrl: 'https://github.com/octo-org/sandbox-demo/actions/runs/1',
  });
  return { g, mirror };
}

const warnings = (g: GitHubFixture) =>
  g.logger.lines.filter((l) => l.level === 'warning').map((l) => l.message);

describe('the GitHub deployment mirror never fails a run', () => {
  it('a status GitHub keeps failing is a warning; the mirror stays on for the next transition', async () => {
    const { g, mirror } = await mirrorOn();
    const id = await mirror.started({ issue: 7, railwayDeploymentId: 'dep-1', adopted: false });
    expect(id).toBeTypeOf('number');
    g.emulator.injectFault({
      operationId: 'repos/create-deployment-status',
      kind: 'server_error',
      times: 20,
    });
    await mirror.settled(id, 'success', 'https://issue-7.up.railway.app');
    expect(warnings(g)).toEqual([expect.stringMatching(/^Could not mark the GitHub deployment success \(/)]);
    g.emulator.clearFaults();
    await mirror.destroyed(7);
    expect(g.emulator.repo(REPO).deployments()[0]?.statuses).toEqual(['in_progress', 'inactive']);
  });

  it('a rate limit is not the missing permission: it warns without naming deployments: write', async () => {
    const { g, mirror } = await mirrorOn();
    g.emulator.injectFault({
      operationId: 'repos/create-deployment',
      kind: 'secondary_rate_limit',
      retryAfterSeconds: 1,
      times: 20,
    });
    expect(await mirror.started({ issue: 7, railwayDeploymentId: 'dep-1', adopted: false })).toBeUndefined();
    expect(warnings(g).join('\n')).not.toContain('deployments: write');
    g.emulator.clearFaults();
    // Still on: the next deployment is mirrored.
    expect(await mirror.started({ issue: 7, railwayDeploymentId: 'dep-2', adopted: false })).toBeTypeOf(
      'number',
    );
  });

  it('an adopted Railway deployment already mirrored by an earlier run is not created again', async () => {
    const { g, mirror } = await mirrorOn();
    const first = await mirror.started({ issue: 7, railwayDeploymentId: 'dep-1', adopted: false });
    const again = await mirror.started({ issue: 7, railwayDeploymentId: 'dep-1', adopted: true });
    expect(again).toBe(first);
    expect(g.emulator.repo(REPO).deployments()).toHaveLength(1);
    expect(g.emulator.repo(REPO).environments()).toEqual(['issue-7']);
  });
});
