import {
  planFarmCommit,
  upsertBinding,
  type CommitPlanner,
  type GitRunner,
  type GitHubClient,
} from '@trinity/core';
import { LEGACY_SPEC_FILE } from '../unit/farm/fixtures.js';

export const FARM_PATH = '.trinity/railway_farm.json';
export { LEGACY_SPEC_FILE };

/**
 * No real time: a writer that lost a race re-reads at once. Who loses is not left to the machine's
 * speed either: the tests force the collision with a barrier (below), so the re-plan is exercised
 * on every run, on a fast machine or a busy one.
 */
export const race = {
  sleep: (): Promise<void> => Promise.resolve(),
  random: () => 0.5,
  baseDelayMs: 5,
  maxAttempts: 40,
};

/**
 * A barrier for `parties` callers: each `arrive()` resolves once all of them have arrived. Used to
 * hold every writer just before its first write, after each has read the same head, so that exactly
 * one write wins the first round and every other writer must re-plan.
 */
export function createBarrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let release!: () => void;
  const open = new Promise<void>((resolve) => (release = resolve));
  return () => {
    arrived++;
    if (arrived >= parties) release();
    return open;
  };
}

/** A git runner whose first `push` waits at the barrier; later pushes (re-plans) go straight through. */
export function holdFirstPush(git: GitRunner, arrive: () => Promise<void>): GitRunner {
  let held = false;
  return {
    async run(args, options) {
      if (args[0] === 'push' && !held) {
        held = true;
        await arrive();
      }
      return git.run(args, options);
    },
  };
}

/**
 * The same for the api mode: holds the writer's first `createCommitOnBranch` until `arrive` resolves: every writer has read
 * the same head by then, so one commit wins the round and the others meet GitHub's STALE_DATA.
 */
export function holdFirstCommitMutation(octokit: GitHubClient, arrive: () => Promise<void>): void {
  let held = false;
  octokit.hook.before('request', async (options) => {
    const query: unknown = (options as { query?: unknown }).query;
    if (!held && typeof query === 'string' && query.includes('createCommitOnBranch')) {
      held = true;
      await arrive();
    }
  });
}

/** One writer's change: bind `issue` and add its experience file, as provision + a step would. */
export function bindIssue(issue: number): CommitPlanner {
  return planFarmCommit({
    farmPath: FARM_PATH,
    mutation: upsertBinding(
      issue,
      { account_id: 1, service_id: `svc-${issue}`, status: 'live' },
      new Date('2026-11-25T00:00:00Z'),
    ),
    files: [{ path: `.trinity/experience/20261125T000000000Z_${issue}.md`, content: `step for ${issue}\n` }],
    message: `Bind issue #${issue} to its sandbox`,
  });
}
