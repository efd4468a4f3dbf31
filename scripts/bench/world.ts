// The bench's world: both in-repo emulators, a repository seeded from the real `issues.opened`
// webhook example, and the committed bundles run against them as the Actions runner runs them
// (test/support/run-bundle.ts). Unlike the e2e world, Railway's clock is manual: the bench moves
// it, so a 30-minute build costs what it would cost and takes no time.
import { setTimeout as delay } from 'node:timers/promises';
import {
  createRecordingLogger,
  deploySandbox,
  destroySandbox,
  readDeploySettings,
  type RunContext,
} from '@trinity/core';
import { connectRailway, createLifecycleContext, type ActionRuntime } from '@trinity/core/actions';
import { startGitHubEmulator, type GitHubEmulator } from '../../test/emulators/github/index.js';
import { startRailwayEmulator, type RailwayEmulator } from '../../test/emulators/railway/index.js';
import { readActionMetadata } from '../../test/support/action-metadata.js';
import { runBundle, type BundleRun } from '../../test/support/run-bundle.js';
import { issuesPayload, type IssuesPayload } from '../../test/support/webhook-payloads.js';

export const GITHUB_TOKEN = 'ghs_benchRunnerToken0001';
export const RAILWAY_TOKEN = 'rw_bench_account_token_0001';

/** Environment every bundle run gets: no fixed spacing between writes, retries in milliseconds. */
export const BENCH_ENV = {
  TRINITY_GITHUB_WRITE_INTERVAL_MS: '0',
  TRINITY_GITHUB_TIME_BASE_MS: '1',
};

export interface BenchWorld {
  github: GitHubEmulator;
  railway: RailwayEmulator;
  repo: string;
  issue: number;
  opened: IssuesPayload;
  run(action: string, options?: { payload?: unknown; inputs?: Record<string, string> }): Promise<BundleRun>;
  /** Adds an issue by the same author (no sandbox) and returns its `issues.opened` payload. */
  addIssue(number: number): IssuesPayload;
  /** The runtime runAction would give `action`'s body in this world (for in-process runs). */
  runtime(action: string, inputs?: Record<string, string>): ActionRuntime;
  /**
   * deploy-sandbox's body in this process, with the lifecycle's sleep moving the Railway
   * emulator's clock instead of waiting: the polling schedule is the product's, the time virtual.
   */
  deployVirtually(
    inputs?: Record<string, string>,
  ): Promise<{ status: string | undefined; virtualMs: number }>;
  close(): Promise<void>;
}

export async function startBenchWorld(): Promise<BenchWorld> {
  const github = await startGitHubEmulator();
  github.addToken(GITHUB_TOKEN, { login: 'github-actions[bot]' });
  const opened = issuesPayload('opened');
  const { repo, issueNumber } = github.seedFromWebhookPayload(opened);
  const railway = await startRailwayEmulator({ progression: 'manual' });
  const { projectId, environmentId } = railway.addProject({ name: 'sandboxes' });
  railway.addToken({ token: RAILWAY_TOKEN, kind: 'account' });
  const railwayInputs = {
    'railway-token': RAILWAY_TOKEN,
    'railway-project-id': projectId,
    'railway-environment-id': environmentId,
    'railway-api-url': railway.url,
  };

  const inputsFor = (action: string, given: Record<string, string> = {}): Record<string, string> => ({
    ...(action === 'journal-step' ? {} : railwayInputs),
    ...(action === 'provision-sandbox' ? { image: 'ghcr.io/octo-org/app:latest' } : {}),
    ...(action === 'deploy-sandbox' ? { 'poll-interval-seconds': '0.01' } : {}),
    ...given,
  });

  /** What runAction would hand an action's body: its inputs (defaults from action.yml), the run context. */
  const actionRuntime = (action: string, given: Record<string, string>): ActionRuntime => {
    const values: Record<string, string> = {};
    for (const [name, spec] of Object.entries(readActionMetadata(action).inputs))
      if (spec.default !== undefined)
        values[name] = spec.default.replace('${{ github.token }}', GITHUB_TOKEN);
    Object.assign(values, given);
    const [owner = '', name = ''] = repo.split('/');
    const context: RunContext = {
      repository: { owner, repo: name },
      apiUrl: github.url,
      serverUrl: 'https://github.com',
      runId: '1001',
      runAttempt: '1',
      eventName: 'issues',
      payload: opened,
    };
    return {
      inputs: (input) => values[input] ?? '',
      context,
      logger: createRecordingLogger(),
      env: { ...BENCH_ENV },
      mask: () => undefined,
    };
  };

  return {
    github,
    railway,
    repo,
    issue: issueNumber,
    opened,
    run: (action, options = {}) =>
      runBundle(action, {
        payload: options.payload ?? opened,
        githubToken: GITHUB_TOKEN,
        env: { GITHUB_REPOSITORY: repo, GITHUB_API_URL: github.url, ...BENCH_ENV },
        inputs: inputsFor(action, options.inputs),
      }),
    addIssue(number) {
      const payload = issuesPayload('opened');
      payload.issue.number = number;
      const user = (opened.issue.user as { login?: string } | undefined)?.login ?? 'octocat';
      github.seedIssue(repo, { number, title: `bench #${number}`, user, authorAssociation: 'OWNER' });
      return payload;
    },
    runtime: (action, given = {}) => actionRuntime(action, { ...railwayInputs, ...given }),
    async deployVirtually(given = {}) {
      const runtime = actionRuntime('deploy-sandbox', { ...railwayInputs, ...given });
      const settings = readDeploySettings(runtime.inputs, runtime.context);
      const started = railway.now();
      const lifecycle = {
        ...createLifecycleContext(runtime, settings.github, settings.secrets),
        now: () => new Date(railway.now()),
        sleep: async (ms: number) => {
          railway.advance(ms);
          await delay(0);
        },
      };
      const accounts = connectRailway(runtime, settings.railway);
      const onIssueGone = () =>
        destroySandbox(
          { issueNumber: settings.issueNumber, archiveDirectory: undefined },
          lifecycle,
          accounts,
        );
      const result = await deploySandbox(settings, lifecycle, accounts, { onIssueGone });
      return { status: result.outputs['deployment-status']?.toString(), virtualMs: railway.now() - started };
    },
    close: async () => {
      await Promise.all([github.close(), railway.close()]);
    },
  };
}
