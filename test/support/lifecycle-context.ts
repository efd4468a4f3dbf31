import { createApiCommitBackend, createPublisher, type LifecycleContext } from '@trinity/core';
import { race } from './commit-fixtures.js';
import type { GitHubFixture } from './github.js';

/**
 * The lifecycle's collaborators as the actions build them (api commit mode), over the GitHub
 * emulator fixture, with no real time: `now` is the fixture's clock and `sleep` returns at once
 * unless a test passes its own (say, one that moves the Railway emulator's clock).
 */
export function lifecycleContext(
  gh: GitHubFixture,
  overrides: Partial<LifecycleContext> = {},
): LifecycleContext {
  const owner = 'octo-org';
  const repo = 'sandbox-demo';
  return {
    owner,
    repo,
    octokit: gh.octokit,
    publisher: createPublisher({ octokit: gh.octokit, owner, repo, logger: gh.logger }),
    commits: createApiCommitBackend({
      octokit: gh.octokit,
      owner,
      repo,
      branch: undefined,
      logger: gh.logger,
      race,
    }),
    farmPath: '.trinity/railway_farm.json',
    logger: gh.logger,
    now: () => new Date(gh.clock.now),
    sleep: () => Promise.resolve(),
    run: { id: '7001', attempt: '1', url: undefined },
    secrets: [],
    mask: () => undefined,
    ...overrides,
  };
}
