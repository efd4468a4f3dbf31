import { setTimeout as delay } from 'node:timers/promises';
import { createApiCommitBackend } from '../commit/api-backend.js';
import { createGitCommitBackend } from '../commit/git-backend.js';
import { createExecGitRunner } from '../commit/git-runner.js';
import type { CommitBackend } from '../commit/types.js';
import { createGitHubClient, type GitHubClient } from '../github/octokit.js';
import { createPublisher } from '../github/publisher.js';
import { resolveRailwayTarget, type LifecycleContext, type RailwayTarget } from '../lifecycle/context.js';
import { createRailwayClient } from '../railway/client.js';
import type { GitHubSettings, RailwaySettings } from '../settings/common.js';
import type { ActionRuntime } from './run-action.js';

/**
 * Builds the lifecycle's collaborators from what the runner provides. The only tuning read from the
 * environment is TRINITY_GITHUB_WRITE_INTERVAL_MS (default 1000, GitHub's advice for content
 * creation), for GitHub Enterprise Server instances with other limits and for emulator-backed tests.
 */
export function createLifecycleContext(
  runtime: ActionRuntime,
  github: GitHubSettings,
  secrets: readonly string[],
): LifecycleContext {
  const { context, logger } = runtime;
  const { owner, repo } = context.repository;
  const writeInterval = Number(runtime.env.TRINITY_GITHUB_WRITE_INTERVAL_MS ?? '1000');
  const octokit = createGitHubClient({
    token: github.token,
    baseUrl: context.apiUrl,
    logger,
    writeIntervalMs: Number.isFinite(writeInterval) && writeInterval >= 0 ? writeInterval : 1000,
  });
  const sleep = (ms: number) => delay(ms).then(() => undefined);
  return {
    owner,
    repo,
    octokit,
    publisher: createPublisher({ octokit, owner, repo, logger }),
    commits: createCommitBackend(runtime, github, octokit, sleep),
    farmPath: github.farmPath,
    logger,
    now: () => new Date(),
    sleep,
    run: {
      id: context.runId,
      attempt: context.runAttempt,
      url:
        context.runId === undefined
          ? undefined
          : `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`,
    },
    secrets,
    mask: runtime.mask,
  };
}

function createCommitBackend(
  runtime: ActionRuntime,
  github: GitHubSettings,
  octokit: GitHubClient,
  sleep: (ms: number) => Promise<void>,
): CommitBackend {
  const { owner, repo } = runtime.context.repository;
  const race = { sleep, random: Math.random };
  if (github.commitMode === 'git') {
    const git = createExecGitRunner({
      cwd: runtime.env.GITHUB_WORKSPACE ?? process.cwd(),
      token: github.token,
      serverUrl: runtime.context.serverUrl,
    });
    return createGitCommitBackend({ git, branch: github.farmBranch, logger: runtime.logger, race });
  }
  return createApiCommitBackend({
    octokit,
    owner,
    repo,
    branch: github.farmBranch,
    logger: runtime.logger,
    race,
  });
}

export async function connectRailway(
  runtime: ActionRuntime,
  settings: RailwaySettings,
): Promise<RailwayTarget> {
  const client = createRailwayClient({
    token: settings.token,
    tokenKind: settings.tokenKind,
    apiUrl: settings.apiUrl,
    logger: runtime.logger,
  });
  return resolveRailwayTarget(client, settings);
}
