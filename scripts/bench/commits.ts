// 50 commit-backs of different issues at once, each writer as its own job would be (its own
// client or clone), through the product's commit backends with the product's race policy and real
// time: how many land, how many attempts each took, what it cost, how long it took. API mode
// counts the GitHub emulator's requests; git mode, the git operations that reach the remote (a
// local bare repository: the GitHub emulator speaks no git protocol).
import { rmSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import {
  createExecGitRunner,
  createGitCommitBackend,
  createRecordingLogger,
  emptyFarm,
  parseFarm,
  planFarmCommit,
  readJournalSettings,
  serializeFarm,
  upsertBinding,
  type CommitBackend,
  type CommitResult,
  type GitRunner,
} from '@trinity/core';
import { createLifecycleContext } from '@trinity/core/actions';
import { cloneRemote, createBareRemote, git } from '../../test/support/git-remote.js';
import { githubCost, median } from './stats.js';
import { startBenchWorld } from './world.js';

export const WRITERS = 50;
const FARM_PATH = '.trinity/railway_farm.json';

export interface ConcurrentCommits {
  mode: 'api' | 'git';
  writers: number;
  landed: number;
  failed: number;
  /** Why the writers that did not land gave up (distinct messages). */
  reasons: string[];
  attemptsMedian: number;
  attemptsMax: number;
  /** GitHub requests (api) or git fetches and pushes (git). */
  requests: number;
  wallMs: number;
}

function planFor(issue: number) {
  return planFarmCommit({
    farmPath: FARM_PATH,
    mutation: upsertBinding(issue, { account_id: 1, service_id: `svc-${issue}`, status: 'live' }, new Date()),
    message: `Bind issue #${issue}`,
  });
}

interface RaceOutcome {
  results: CommitResult[];
  /** Why the writers that did not land gave up (distinct messages). */
  reasons: string[];
  failed: number;
  wallMs: number;
}

async function race(backends: CommitBackend[]): Promise<RaceOutcome> {
  const started = performance.now();
  const settled = await Promise.allSettled(backends.map((backend, i) => backend.commit(planFor(i + 1))));
  const wallMs = performance.now() - started;
  const results = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const reasons = settled.flatMap((s) =>
    s.status === 'rejected' ? [s.reason instanceof Error ? s.reason.message : String(s.reason)] : [],
  );
  // One line per kind of failure: the commit a message names differs from writer to writer.
  const kinds = reasons.map((reason) => reason.replace(/\b[0-9a-f]{7,40}\b/g, '<sha>'));
  return { results, reasons: [...new Set(kinds)], failed: reasons.length, wallMs };
}

function summary(
  mode: 'api' | 'git',
  outcome: RaceOutcome,
  landed: number,
  requests: number,
): ConcurrentCommits {
  const attempts = outcome.results.map((r) => r.attempts);
  return {
    mode,
    writers: WRITERS,
    landed,
    failed: outcome.failed,
    reasons: outcome.reasons,
    attemptsMedian: median(attempts),
    attemptsMax: Math.max(0, ...attempts),
    requests,
    wallMs: outcome.wallMs,
  };
}

function rowsIn(text: string | undefined): number {
  return text === undefined ? 0 : parseFarm(text, FARM_PATH).agent_map.length;
}

/** API mode: the commit backend createLifecycleContext builds, one per writer. */
export async function measureApiCommits(): Promise<ConcurrentCommits> {
  const world = await startBenchWorld();
  try {
    const handle = world.github.repo(world.repo);
    const backends = Array.from({ length: WRITERS }, () => {
      const runtime = world.runtime('journal-step', { message: 'bench', 'commit-mode': 'api' });
      const settings = readJournalSettings(runtime.inputs, runtime.context);
      return createLifecycleContext(runtime, settings.github, settings.secrets).commits;
    });
    const before = world.github.requests.length;
    const outcome = await race(backends);
    const requests = githubCost(world.github.requests.slice(before));
    return summary('api', outcome, rowsIn(handle.readFile(FARM_PATH)), requests.rest + requests.graphql);
  } finally {
    await world.close();
  }
}

/** Git mode: the git backend on its own shallow clone per writer, with the wiring's race policy. */
export async function measureGitCommits(): Promise<ConcurrentCommits> {
  const { bare, root } = createBareRemote({ [FARM_PATH]: serializeFarm(emptyFarm()) });
  try {
    let remoteOperations = 0;
    const counting = (runner: GitRunner): GitRunner => ({
      run(args, options) {
        if (['fetch', 'push', 'ls-remote', 'pull', 'clone'].includes(args[0] ?? '')) remoteOperations++;
        return runner.run(args, options);
      },
    });
    const backends = Array.from({ length: WRITERS }, (_, i) =>
      createGitCommitBackend({
        git: counting(createExecGitRunner({ cwd: cloneRemote(bare, root, `runner-${i}`) })),
        branch: undefined,
        logger: createRecordingLogger(),
        race: { sleep: (ms) => delay(ms).then(() => undefined), random: Math.random },
      }),
    );
    const outcome = await race(backends);
    return summary('git', outcome, rowsIn(git(bare, 'show', `main:${FARM_PATH}`)), remoteOperations);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
