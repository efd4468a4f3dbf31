/**
 * One GitHub emulator and one Railway emulator shared by many small worlds ("stages"): each stage
 * has its own repository and its own Railway project and token, so a stage starts clean without
 * restarting either emulator (loading GitHub's OpenAPI description and Railway's schema is the
 * slow part). Nothing sleeps for real: the product's clocks are the emulators' clocks, moved on by
 * every sleep the product asks for.
 */
import {
  createGitHubClient,
  createRailwayAccounts,
  createRailwayClient,
  createRecordingLogger,
  createApiCommitBackend,
  createPublisher,
  deploySandbox,
  destroySandbox,
  findEventMarker,
  findStatusMarker,
  inputsFromRecord,
  isRailwayFailure,
  isUserError,
  journalStep,
  parseFarm,
  provisionSandbox,
  readDeploySettings,
  readJournalSettings,
  readProvisionSettings,
  sweepSandboxes,
  type Farm,
  type GitHubClient,
  type LifecycleContext,
  type LifecycleResult,
  type RailwayAccounts,
} from '@trinity/core';
import { startGitHubEmulator, type GitHubEmulator } from '../emulators/github/index.js';
import { startRailwayEmulator, type RailwayEmulator } from '../emulators/railway/index.js';
import { race } from '../support/commit-fixtures.js';
import { runContext } from '../support/settings-fixtures.js';

export const OWNER = 'octo-org';
export const FARM_PATH = '.trinity/railway_farm.json';
const GITHUB_TOKEN = 'ghs_reliabilitytoken0001';
const HOUR = 3_600_000;

export interface World {
  github: GitHubEmulator;
  railway: RailwayEmulator;
  /** The GitHub emulator's clock (ms). */
  clock: { now: number };
  stage(options?: StageOptions): Stage;
  close(): Promise<void>;
}

export interface StageOptions {
  /** Railway accounts (projects) the stage's runs may use; default 1. */
  accounts?: number;
  /** A fetch for Railway requests (a test's way to lose an answer after Railway acted). */
  railwayFetch?: typeof fetch;
  /** The client's request timeout signal, for the same purpose. */
  abortAfter?: (ms: number) => AbortSignal;
}

/** One repository and its Railway projects: what one story, or one chaos run, plays in. */
export interface Stage {
  repo: string;
  fullName: string;
  projects: Array<{ projectId: string; environmentId: string; token: string }>;
  logger: ReturnType<typeof createRecordingLogger>;
  octokit: GitHubClient;
  /** A run's context; `octokit` replaces the stage's client (a job that is killed mid-way). */
  context(runId?: string, octokit?: GitHubClient): LifecycleContext;
  /** The stage's accounts; `fetch` replaces the transport to Railway for this run only. */
  accounts(railwayFetch?: typeof globalThis.fetch): RailwayAccounts;
  /** Another GitHub client for the stage, as a separate job would build it. */
  newOctokit(): GitHubClient;
  openIssue(title?: string): number;
}

let stages = 0;

export async function startWorld(): Promise<World> {
  const clock = { now: Date.parse('2026-11-20T09:00:00Z') };
  const github = await startGitHubEmulator({ now: () => clock.now });
  github.addToken(GITHUB_TOKEN, { login: 'github-actions[bot]' });
  const railway = await startRailwayEmulator({ progression: 'manual' });
  const world: World = {
    github,
    railway,
    clock,
    stage: (options = {}) => makeStage(world, options),
    close: async () => {
      await Promise.all([github.close(), railway.close()]);
    },
  };
  return world;
}

function makeStage(world: World, options: StageOptions): Stage {
  const { github, railway, clock } = world;
  // A fresh hour for every stage: GitHub's and Railway's hourly budgets never carry over.
  clock.now += HOUR;
  railway.advance(HOUR);
  const n = ++stages;
  const repo = `stage-${n}`;
  const fullName = `${OWNER}/${repo}`;
  github.createRepo(fullName, { files: { 'README.md': '# stage\n' } });
  const projects = Array.from({ length: options.accounts ?? 1 }, (_, i) => {
    const { projectId, environmentId } = railway.addProject({ name: `${repo}-${i + 1}` });
    const token = `rw_${repo}_${i + 1}_token`;
    railway.addToken({ token, kind: 'account' });
    return { projectId, environmentId, token };
  });
  const logger = createRecordingLogger();
  const sleep = async (ms: number) => {
    clock.now += ms;
    railway.advance(ms);
    await Promise.resolve();
  };
  const newOctokit = () =>
    createGitHubClient({
      token: GITHUB_TOKEN,
      baseUrl: github.url,
      logger,
      // Retry-After and backoff units of 1 ms: the real retry sequence, in milliseconds.
      timeBaseMs: 1,
      writeIntervalMs: 0,
      now: () => new Date(clock.now),
      sleep,
    });
  const octokit = newOctokit();
  const accounts = (railwayFetch = options.railwayFetch) =>
    createRailwayAccounts(
      projects.map((p, i) => ({ accountId: i + 1, ...p })),
      (account) =>
        createRailwayClient({
          token: account.token,
          tokenKind: 'account',
          apiUrl: railway.url,
          logger,
          ...(railwayFetch === undefined ? {} : { fetch: railwayFetch }),
          clock: {
            sleep,
            random: () => 0.5,
            now: () => railway.now(),
            ...(options.abortAfter === undefined ? {} : { abortAfter: options.abortAfter }),
          },
        }),
    );
  const context = (runId = '7001', client = octokit): LifecycleContext => ({
    owner: OWNER,
    repo,
    octokit: client,
    publisher: createPublisher({ octokit: client, owner: OWNER, repo, logger }),
    commits: createApiCommitBackend({ octokit: client, owner: OWNER, repo, branch: undefined, logger, race }),
    farmPath: FARM_PATH,
    logger,
    now: () => new Date(clock.now),
    sleep,
    run: { id: runId, attempt: '1', url: undefined },
    secrets: [],
    mask: () => undefined,
  });
  return {
    repo,
    fullName,
    projects,
    logger,
    octokit,
    context,
    accounts,
    newOctokit,
    openIssue: (title = 'Try it') =>
      github.seedIssue(fullName, { title, user: 'octocat', authorAssociation: 'OWNER' }).number,
  };
}

const BASE = { 'github-token': GITHUB_TOKEN, 'railway-token': 'unused' };

function run(stage: Stage, issue: number) {
  return runContext({
    repository: { owner: OWNER, repo: stage.repo },
    payload: { issue: { number: issue } },
  });
}

/** What one job runs with: by default the stage's clients, or a job's own (see chaos kills). */
export interface Job {
  context: LifecycleContext;
  accounts: RailwayAccounts;
}

function jobOf(stage: Stage, runId: string | undefined, job: Job | undefined): Job {
  return job ?? { context: stage.context(runId), accounts: stage.accounts() };
}

export function provision(stage: Stage, issue: number, runId?: string, job?: Job) {
  const { context, accounts } = jobOf(stage, runId, job);
  return provisionSandbox(
    readProvisionSettings(
      inputsFromRecord({ ...BASE, 'issue-number': String(issue), image: 'ghcr.io/octo-org/app:1' }),
      run(stage, issue),
    ),
    context,
    accounts,
    'https://github.com',
  );
}

export function deploy(stage: Stage, issue: number, runId?: string, job?: Job): Promise<LifecycleResult> {
  const { context, accounts } = jobOf(stage, runId, job);
  return deploySandbox(
    readDeploySettings(
      inputsFromRecord({ ...BASE, 'issue-number': String(issue), 'poll-interval-seconds': '5' }),
      run(stage, issue),
    ),
    context,
    accounts,
    {
      onIssueGone: () =>
        destroySandbox(
          { issueNumber: issue, archiveDirectory: undefined, serviceName: 'issue-{issue}' },
          context,
          accounts,
        ),
    },
  );
}

export function step(stage: Stage, issue: number, message: string, runId?: string, job?: Job) {
  return journalStep(
    readJournalSettings(
      inputsFromRecord({ 'github-token': GITHUB_TOKEN, 'issue-number': String(issue), message }),
      run(stage, issue),
    ),
    jobOf(stage, runId, job).context,
  );
}

export function destroy(stage: Stage, issue: number, runId?: string, job?: Job) {
  const { context, accounts } = jobOf(stage, runId, job);
  return destroySandbox(
    { issueNumber: issue, archiveDirectory: undefined, serviceName: 'issue-{issue}' },
    context,
    accounts,
  );
}

export function sweep(stage: Stage, runId?: string) {
  return sweepSandboxes(
    { ttlMs: undefined, archiveRoot: undefined, serviceName: 'issue-{issue}' },
    stage.context(runId),
    stage.accounts(),
  );
}

/**
 * A failure a person can act on: a user error (says what to fix), a typed Railway failure (says
 * which operation, and whether the outcome is unknown), or GitHub's HTTP error as octokit types it.
 * Anything else (a TypeError, a bare Error from deep inside) is a crash.
 */
export function isClearFailure(error: unknown): boolean {
  if (isUserError(error) || isRailwayFailure(error)) return true;
  if (!(error instanceof Error)) return false;
  const status = (error as { status?: unknown }).status;
  return (error.name === 'HttpError' && typeof status === 'number') || error.name === 'GraphqlResponseError';
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** The mapping as the branch head has it; undefined when there is none; throws when it is invalid. */
export function farmOf(world: World, stage: Stage): Farm | undefined {
  const text = world.github.repo(stage.fullName).readFile(FARM_PATH);
  return text === undefined ? undefined : parseFarm(text, FARM_PATH);
}

/** What the thread of an issue holds: event comments by key, and status comments. */
export function threadOf(world: World, stage: Stage, issue: number) {
  const comments = world.github.repo(stage.fullName).comments(issue);
  const keys: string[] = [];
  const types: string[] = [];
  let statusComments = 0;
  for (const comment of comments) {
    const event = findEventMarker(comment.body);
    if (event !== undefined) {
      keys.push(event.key);
      types.push(event.type);
    }
    if (findStatusMarker(comment.body) !== undefined) statusComments++;
  }
  const duplicateKeys = keys.filter((key, i) => keys.indexOf(key) !== i);
  return { keys, types, statusComments, duplicateKeys };
}

/** Live services on every project of the stage, by name. */
export function servicesOf(world: World, stage: Stage) {
  return stage.projects.flatMap((p) => world.railway.state.services(p.projectId));
}
