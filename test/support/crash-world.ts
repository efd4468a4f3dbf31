import {
  createApiCommitBackend,
  createGitHubClient,
  createPublisher,
  createRailwayAccounts,
  createRailwayClient,
  findBinding,
  findEventMarker,
  findStatusMarker,
  inputsFromRecord,
  parseFarm,
  readDeploySettings,
  readJournalSettings,
  readProvisionSettings,
  type Farm,
  type GitHubClient,
  type LifecycleContext,
  type RailwayAccounts,
} from '@trinity/core';
import { startRailwayEmulator, type RailwayEmulator } from '../emulators/railway/index.js';
import { race } from './commit-fixtures.js';
import { REPO, startGitHub, TOKEN, type GitHubFixture } from './github.js';
import { runContext } from './settings-fixtures.js';

/**
 * A process killed by SIGKILL stops between two instructions: what it had sent, the servers did;
 * nothing after runs, no `catch`, no `finally`. In-process, the same is a run whose next effect
 * never returns: after the k-th write (a GitHub POST/PATCH/PUT/DELETE or GraphQL mutation, a
 * Railway mutation) has been answered, the answer is withheld forever, so the run stops exactly
 * there, with no error for any `catch` to see. Writes are the step boundaries that matter: between
 * two of them a run only reads, and a kill there leaves the same outside state as a kill right
 * after the earlier write.
 */
export class CrashSwitch {
  /** Crash after this write (1-based); undefined: never, only count. */
  constructor(readonly crashAfter: number | undefined) {}
  readonly writes: string[] = [];
  crashedAt: string | undefined;
  private signal!: () => void;
  /** Settles when the run has been "killed". */
  readonly crashed = new Promise<void>((resolve) => (this.signal = resolve));

  async afterWrite<T>(name: string, answer: T): Promise<T> {
    this.writes.push(name);
    if (this.writes.length !== this.crashAfter) return answer;
    this.crashedAt = name;
    this.signal();
    return new Promise<T>(() => undefined);
  }
}

/** Runs `run` until it ends or is killed: 'done', 'failed' (with the error) or 'killed'. */
export async function runUntilKilled(
  crash: CrashSwitch,
  run: () => Promise<unknown>,
): Promise<{ ended: 'done' | 'killed' } | { ended: 'failed'; error: unknown }> {
  return Promise.race([
    run().then(
      () => ({ ended: 'done' as const }),
      (error: unknown) => ({ ended: 'failed' as const, error }),
    ),
    crash.crashed.then(() => ({ ended: 'killed' as const })),
  ]);
}

export interface CrashWorld {
  gh: GitHubFixture;
  railway: RailwayEmulator;
  project: { projectId: string; environmentId: string };
  /** A fresh run's collaborators, its writes counted (and cut off) by `crash`. */
  run(crash: CrashSwitch): { context: LifecycleContext; accounts: RailwayAccounts };
  farm(): Farm;
  serviceIds(): string[];
  close(): Promise<void>;
}

export async function startCrashWorld(): Promise<CrashWorld> {
  const gh = await startGitHub();
  const railway = await startRailwayEmulator({ progression: 'manual' });
  const project = railway.addProject({ name: 'one' });
  railway.addToken({ token: 'rw_account_1_token', kind: 'account' });
  let clock = Date.parse('2026-11-25T10:00:00Z');
  return {
    gh,
    railway,
    project,
    run(crash) {
      const octokit = createGitHubClient({
        token: TOKEN,
        baseUrl: gh.emulator.url,
        logger: gh.logger,
        timeBaseMs: 1,
        writeIntervalMs: 0,
      });
      cutGitHubWrites(octokit, crash);
      const owner = 'octo-org';
      const repo = 'sandbox-demo';
      const context: LifecycleContext = {
        owner,
        repo,
        octokit,
        publisher: createPublisher({ octokit, owner, repo, logger: gh.logger }),
        commits: createApiCommitBackend({ octokit, owner, repo, branch: undefined, logger: gh.logger, race }),
        farmPath: '.trinity/railway_farm.json',
        logger: gh.logger,
        now: () => new Date(clock),
        sleep: (ms) => {
          clock += ms;
          railway.advance(ms);
          return Promise.resolve();
        },
        run: { id: '7001', attempt: '1', url: undefined },
        secrets: [],
        mask: () => undefined,
      };
      const accounts = createRailwayAccounts(
        [{ accountId: 1, ...project, token: 'rw_account_1_token' }],
        (account) =>
          createRailwayClient({
            token: account.token,
            tokenKind: 'account',
            apiUrl: railway.url,
            logger: gh.logger,
            fetch: cutRailwayWrites(crash),
          }),
      );
      return { context, accounts };
    },
    farm: () => parseFarm(gh.emulator.repo(REPO).readFile('.trinity/railway_farm.json') ?? '', 'farm'),
    serviceIds: () => railway.state.services(project.projectId).map((service) => service.id),
    close: () => Promise.all([gh.emulator.close(), railway.close()]).then(() => undefined),
  };
}

function cutGitHubWrites(octokit: GitHubClient, crash: CrashSwitch): void {
  octokit.hook.wrap('request', async (request, options) => {
    const answer = await request(options);
    const method = String(options.method).toUpperCase();
    const url = String(options.url);
    const query = typeof options['query'] === 'string' ? options['query'] : '';
    const write = url.endsWith('/graphql') ? /^\s*mutation\b/.test(query) : method !== 'GET';
    return write ? crash.afterWrite(`github ${method} ${url}`, answer) : answer;
  });
}

function cutRailwayWrites(crash: CrashSwitch): typeof fetch {
  return async (input, init) => {
    const answer = await globalThis.fetch(input, init);
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { query?: string }) : {};
    const mutation = /^\s*mutation\s+(\w+)/.exec(body.query ?? '');
    return mutation === null ? answer : crash.afterWrite(`railway ${mutation[1] ?? ''}`, answer);
  };
}

/** What must hold after any run and its re-run: the mapping agrees with Railway, nothing twice. */
export function checkConsistent(world: CrashWorld, issue: number): string[] {
  const problems: string[] = [];
  const services = world.serviceIds();
  const bound = findBinding(world.farm(), issue);
  if (services.length > 1) problems.push(`${services.length} services`);
  if (bound !== undefined && !services.includes(bound.service_id))
    problems.push(`row names ${bound.service_id}, which Railway does not hold`);
  for (const id of services) if (bound?.service_id !== id) problems.push(`service ${id} unrecorded`);
  const comments = world.gh.emulator.repo(REPO).comments(issue);
  const keys = comments.flatMap((c) => findEventMarker(c.body)?.key ?? []);
  const twice = keys.filter((key, i) => keys.indexOf(key) !== i);
  if (twice.length > 0) problems.push(`comments twice: ${twice.join(', ')}`);
  const statuses = comments.filter((c) => findStatusMarker(c.body) !== undefined).length;
  if (statuses > 1) problems.push(`${statuses} status comments`);
  return problems;
}

/** The event types in the issue's thread, in order. */
export function eventTypes(world: CrashWorld, issue: number): string[] {
  return world.gh.emulator
    .repo(REPO)
    .comments(issue)
    .flatMap((c) => findEventMarker(c.body)?.type ?? []);
}

/** The settings the crash stories run with: issue #7, account 1, an image source, quick polls. */
const CRASH_INPUTS = { 'github-token': 'ghs_x', 'railway-token': 'rw_account_1_token', 'issue-number': '7' };
export const provisionSettings = () =>
  readProvisionSettings(inputsFromRecord({ ...CRASH_INPUTS, image: 'ghcr.io/octo-org/app:1' }), runContext());
export const deploySettings = () =>
  readDeploySettings(inputsFromRecord({ ...CRASH_INPUTS, 'poll-interval-seconds': '5' }), runContext());
export const journalSettings = () =>
  readJournalSettings(
    inputsFromRecord({ ...CRASH_INPUTS, message: 'Ran the test suite: 42 passed' }),
    runContext(),
  );
