import { setTimeout as delay } from 'node:timers/promises';
import { createApiCommitBackend } from '../commit/api-backend.js';
import { createGitCommitBackend } from '../commit/git-backend.js';
import { createExecGitRunner } from '../commit/git-runner.js';
import type { CommitBackend } from '../commit/types.js';
import { createGitHubClient, type GitHubClient } from '../github/octokit.js';
import { createPublisher } from '../github/publisher.js';
import { createRailwayAccounts, type RailwayAccounts } from '../lifecycle/accounts.js';
import type { LifecycleContext } from '../lifecycle/context.js';
import { discoverAccounts } from '../farm/accounts.js';
import { createRailwayClient } from '../railway/client.js';
import type { GitHubSettings, RailwaySettings } from '../settings/common.js';
import { rememberingPublishes } from './breadcrumbs.js';
import type { ActionRuntime } from './run-action.js';

/**
 * Builds the lifecycle's collaborators from what the runner provides. The only tuning read from the
 * environment is for GitHub Enterprise Server instances with other limits and for emulator-backed
 * tests: TRINITY_GITHUB_WRITE_INTERVAL_MS (default 0: writes are paced by a budget of GitHub's
 * published limits, 80 a minute and 500 an hour, with bursts allowed; a number adds a minimum gap
 * between writes) and TRINITY_GITHUB_TIME_BASE_MS (default 1000: milliseconds per second of `retry-after` and per unit
 * of the retry plugin's backoff, so a test's retries take milliseconds, not seconds).
 */
export function createLifecycleContext(
  runtime: ActionRuntime,
  github: GitHubSettings,
  secrets: readonly string[],
): LifecycleContext {
  const { context, logger } = runtime;
  const { owner, repo } = context.repository;
  const octokit = createGitHubClient({
    token: github.token,
    baseUrl: context.apiUrl,
    logger,
    writeIntervalMs: millisecondsFromEnv(runtime.env.TRINITY_GITHUB_WRITE_INTERVAL_MS, 0),
    timeBaseMs: millisecondsFromEnv(runtime.env.TRINITY_GITHUB_TIME_BASE_MS, 1000),
  });
  const sleep = (ms: number) => delay(ms).then(() => undefined);
  return {
    owner,
    repo,
    octokit,
    // Each publish is also remembered for the post step, which corrects the thread if the run is killed.
    publisher:
      runtime.remember === undefined
        ? createPublisher({ octokit, owner, repo, logger })
        : rememberingPublishes(createPublisher({ octokit, owner, repo, logger }), runtime.remember),
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

/** A tuning value in milliseconds; anything unset or not a non-negative number is the default. */
function millisecondsFromEnv(value: string | undefined, fallback: number): number {
  const ms = Number(value ?? fallback);
  return value !== undefined && value.trim() !== '' && Number.isFinite(ms) && ms >= 0 ? ms : fallback;
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

/**
 * Account 1 is the action's railway-* inputs; accounts 2 … 8 come from RAILWAY_API_TOKEN_n (with
 * RAILWAY_PROJECT_ID_n and RAILWAY_ENVIRONMENT_ID_n) in the step's environment, Trinity's names.
 * Their tokens are masked as soon as they are found.
 */
export function connectRailway(runtime: ActionRuntime, settings: RailwaySettings): RailwayAccounts {
  const extra = discoverAccounts(runtime.env).filter((account) => account.accountId >= 2);
  runtime.mask(extra.map((account) => account.token));
  const first = {
    accountId: 1,
    token: settings.token,
    ...(settings.projectId === undefined ? {} : { projectId: settings.projectId }),
    ...(settings.environmentId === undefined ? {} : { environmentId: settings.environmentId }),
  };
  return createRailwayAccounts([first, ...extra], (account) =>
    createRailwayClient({
      token: account.token,
      // The kind input describes railway-token; the extra accounts' kinds are detected.
      tokenKind: account.accountId === 1 ? settings.tokenKind : 'auto',
      apiUrl: settings.apiUrl,
      logger: runtime.logger,
    }),
  );
}
