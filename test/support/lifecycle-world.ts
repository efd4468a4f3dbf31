import { beforeEach } from 'vitest';
import {
  createRailwayAccounts,
  createRailwayClient,
  type LifecycleContext,
  type Logger,
  type RailwayAccounts,
  type RailwayClient,
  type RailwayClientOptions,
} from '@trinity/core';
import { startRailwayEmulator, type RailwayEmulator } from '../emulators/railway/index.js';
import { REPO, gitHubPerTest, type GitHubFixture } from './github.js';
import { lifecycleContext } from './lifecycle-context.js';
import { perTest } from './per-test.js';

/** One Railway account's project in the emulator, with the account token that reaches it. */
export interface AccountProject {
  projectId: string;
  environmentId: string;
  token: string;
}

/** Where the world's clock starts in every test. */
export const WORLD_START = Date.parse('2026-11-25T10:00:00Z');

export interface LifecycleWorld {
  readonly gh: GitHubFixture;
  /** The Railway emulator, in manual progression: only the lifecycle's sleeps move its clock. */
  readonly railway: RailwayEmulator;
  /** Account n's project (index n - 1); its token is `rw_account_<n>_token`. */
  projects: AccountProject[];
  /** Account n's project. */
  project(account?: number): AccountProject;
  /** The test's clock (ms since the epoch): each sleep of the lifecycle moves it and Railway's. */
  clock: number;
  /** Runs after each of the lifecycle's sleeps, for a test that acts while it waits. */
  onSleep: (() => Promise<void>) | undefined;
  /** The lifecycle's collaborators over both emulators, on the world's clock. */
  context(overrides?: Partial<LifecycleContext>): LifecycleContext;
  /**
   * Accounts 1 … `count` over their projects, each a client of the Railway emulator; `connect`
   * may change the options or wrap the client (account 1's token may be replaced by `token`).
   */
  accounts(count?: number, options?: AccountOptions): RailwayAccounts;
  /** Closes the issue on GitHub, as its author would. */
  closeIssue(issue?: number): Promise<void>;
}

export interface AccountOptions {
  /** Account 1's token, instead of its project's. */
  token?: string;
  connect?: (options: RailwayClientOptions, accountId: number) => RailwayClient;
}

/**
 * Accounts 1 … n over `projects`, each a client of the Railway emulator as the actions build it
 * (an account token), unless `options.connect` builds it otherwise.
 */
export function emulatorAccounts(
  railway: RailwayEmulator,
  logger: Logger,
  projects: readonly AccountProject[],
  options: AccountOptions = {},
): RailwayAccounts {
  const connect = options.connect ?? createRailwayClient;
  return createRailwayAccounts(
    projects.map((project, i) => ({
      accountId: i + 1,
      ...project,
      ...(i === 0 && options.token !== undefined ? { token: options.token } : {}),
    })),
    (account) =>
      connect({ token: account.token, tokenKind: 'account', apiUrl: railway.url, logger }, account.accountId),
  );
}

/**
 * Both emulators for each test of the file, with one Railway project (and account token) for each
 * of `projectNames`, and a clock the test owns: what the lifecycle integration tests share.
 */
export function lifecycleWorldPerTest(projectNames: readonly string[] = ['one', 'two']): LifecycleWorld {
  const gh = gitHubPerTest();
  const railway = perTest(
    () => startRailwayEmulator({ progression: 'manual' }),
    (emulator) => emulator.close(),
  );
  const world: LifecycleWorld = {
    gh,
    railway,
    projects: [],
    clock: WORLD_START,
    onSleep: undefined,
    project(account = 1) {
      const project = world.projects[account - 1];
      if (project === undefined) throw new Error(`This world has no account ${account}.`);
      return project;
    },
    context(overrides = {}) {
      return lifecycleContext(gh, {
        now: () => new Date(world.clock),
        sleep: async (ms) => {
          world.clock += ms;
          railway.advance(ms);
          await world.onSleep?.();
        },
        ...overrides,
      });
    },
    accounts(count = 1, options = {}) {
      return emulatorAccounts(railway, gh.logger, world.projects.slice(0, count), options);
    },
    async closeIssue(issue = 7) {
      const [owner = '', repo = ''] = REPO.split('/');
      await gh.octokit.rest.issues.update({ owner, repo, issue_number: issue, state: 'closed' });
    },
  };
  beforeEach(() => {
    world.projects = projectNames.map((name, i) => {
      const { projectId, environmentId } = railway.addProject({ name });
      const token = `rw_account_${i + 1}_token`;
      railway.addToken({ token, kind: 'account' });
      return { projectId, environmentId, token };
    });
    world.clock = WORLD_START;
    world.onSleep = undefined;
  });
  return world;
}
