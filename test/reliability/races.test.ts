import {
  createApiCommitBackend,
  findEventMarker,
  listBindings,
  DEFAULT_ACCOUNT_CAPS,
  isUserError,
  TooManyLostRacesError,
} from '@trinity/core';
import { race } from '../support/commit-fixtures.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deploy,
  describeError,
  destroy,
  farmOf,
  provision,
  servicesOf,
  type Stage,
  type World,
  startWorld,
} from './world.js';

// Project issue 10, part 4: races forced by running jobs at once (Promise.all), no real time.
let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(async () => {
  await world.close();
});

/** Each job with its own GitHub client, as separate runners have. */
const ownJob = (stage: Stage, runId: string) => ({
  context: stage.context(runId, stage.newOctokit()),
  accounts: stage.accounts(),
});

/**
 * A burst's job commits with room for lockstep: the world's sleep moves the clocks but lets every
 * writer retry at once, so each round lands exactly one commit, and a run's commit may wait for
 * every other run's two (reservation, record). That is the worst case, not production's: there the
 * jitter spreads the writers, and 50 of them land within RACE_DEFAULTS.maxAttempts
 * (test/unit/race-loop.test.ts).
 */
const burstJob = (stage: Stage, runId: string, writers: number) => {
  const client = stage.newOctokit();
  const context = stage.context(runId, client);
  return {
    context: {
      ...context,
      commits: createApiCommitBackend({
        octokit: client,
        owner: context.owner,
        repo: context.repo,
        branch: undefined,
        logger: context.logger,
        race: { ...race, maxAttempts: 2 * writers + 10 },
      }),
    },
    accounts: stage.accounts(),
  };
};

/** Runs `job` on every item, at most `size` at once, in order; settled results in the items' order. */
async function inPool<T, R>(size: number, items: readonly T[], job: (item: T) => Promise<R>) {
  const results: Array<PromiseSettledResult<R>> = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await job(items[i] as T).then(
        (value) => ({ status: 'fulfilled' as const, value }),
        (reason: unknown) => ({ status: 'rejected' as const, reason }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}

/**
 * A burst of `count` issues opened at once on two accounts of `cap` slots each: every run reads the
 * same mapping, so only the reservation, chosen on the head being committed to, keeps the caps. At
 * most `runners` jobs run at once, as GitHub's runners take them (the rest wait in the queue).
 */
async function burst(count: number, cap: number, runners = count) {
  const stage = world.stage({ accounts: 2 });
  const issues = Array.from({ length: count }, (_, i) => stage.openIssue(`burst ${i}`));
  const writers = Math.min(count, runners);
  const results = await inPool(runners, issues, (n) =>
    provision(stage, n, `burst-${n}`, burstJob(stage, `burst-${n}`, writers)),
  );
  const failed = results.flatMap((r, i) =>
    r.status === 'rejected' ? [`#${issues[i]}: ${describeError(r.reason)}`] : [],
  );
  const refused = results.filter((r) => r.status === 'fulfilled' && r.value.outputs.status === 'refused');
  // A run that gives up must say so clearly (a user error), never as an outage or a bug.
  for (const r of results) if (r.status === 'rejected') expect(isUserError(r.reason)).toBe(true);
  // A run that lost too many races says "re-run the job": that re-run must converge.
  for (const r of results.keys())
    if (results[r]?.status === 'rejected') await provision(stage, issues[r] ?? 0, `burst-rerun-${r}`);

  const farm = farmOf(world, stage);
  const bindings = farm === undefined ? [] : listBindings(farm);
  const live = servicesOf(world, stage);
  const perAccount = stage.projects.map(
    (project) => live.filter((s) => s.projectId === project.projectId).length,
  );
  const counters = stage.projects.map(
    (_, i) => farm?.accounts.find((a) => a.account_id === i + 1)?.active_services ?? 0,
  );
  console.log(
    `${count} provisions at once: ${count - failed.length - refused.length} created, ${refused.length} refused ` +
      `(no room), ${failed.length} failed at the first run${failed.length > 0 ? ` (${failed[0] ?? ''})` : ''}; ` +
      `live sandboxes per account: ${perAccount.join(', ')} (cap ${cap} each); mapping counters: ${counters.join(', ')}; ` +
      `commit attempts: max ${Math.max(...attemptsOf(stage))}`,
  );
  // Caps: never more than `cap` per account, and both accounts filled before anyone is refused.
  expect(perAccount).toEqual([Math.min(cap, count / 2), Math.min(cap, count / 2)]);
  // All recorded: every service has its binding and every binding its service; no service twice.
  expect(new Set(live.map((s) => s.name)).size).toBe(live.length);
  expect(bindings).toHaveLength(live.length);
  for (const row of bindings) expect(live.some((s) => s.id === row.service_id)).toBe(true);
  // Every issue got a sandbox or a refusal, never both, never neither.
  expect(live.length + refused.length).toBe(count);
  // The mapping's counters are what Railway holds: no create counted twice or lost.
  expect(counters).toEqual(perAccount);
  // No reservation is left holding a slot.
  expect(farm?.agent_map.filter((row) => row['reserved_account_id'] !== undefined)).toEqual([]);
  // Each refusal is said once, on its own issue.
  const refusedIssues = issues.filter((_, i) => {
    const r = results[i];
    return r?.status === 'fulfilled' && r.value.outputs.status === 'refused';
  });
  for (const n of refusedIssues) {
    const said = world.github
      .repo(stage.fullName)
      .comments(n)
      .filter((c) => findEventMarker(c.body)?.type === 'sandbox_refused');
    expect(said, `#${n}`).toHaveLength(1);
  }
  return { failed: failed.length, refused: refused.length };
}

/** Commit attempts the stage's runs logged ("Commit attempt N lost a race"), plus one each. */
function attemptsOf(stage: Stage): number[] {
  const lost = stage.logger.lines
    .map((line) => /Commit attempt (\d+) lost a race/.exec(line.message)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
  return [1, ...lost.map((n) => n + 1)];
}

describe('issues opened at once', () => {
  it('50 provision runs in parallel against one repository: all recorded, caps respected (25 + 25), no service twice', async () => {
    const { failed } = await burst(50, DEFAULT_ACCOUNT_CAPS.maxConcurrent);
    expect(failed).toBe(0);
  });

  // 200 issues opened at once queue 200 runs; GitHub runs at most 20 jobs of a Free account at once
  // (docs.github.com/en/actions/reference/limits, "concurrent jobs"), the rest wait their turn. The
  // same caps hold, and the runs beyond them are refused once, each on its own issue.
  it('200 issues opened at once, 20 runners: caps respected (25 + 25), 150 refused, no service twice', async () => {
    // In the world's lockstep a run can lose every race to the runs that keep arriving (the worst
    // case, see burstJob): it fails with a user error that says to re-run, and its re-run converges
    // (both checked in burst). Only the outcome is asserted here.
    const { refused } = await burst(200, DEFAULT_ACCOUNT_CAPS.maxConcurrent, 20);
    expect(refused).toBe(150);
  });
});

describe('a record that loses every race', () => {
  it('after the create: a user error naming the service, and a re-run adopts and records it', async () => {
    const stage = world.stage();
    const issue = stage.openIssue();
    const job = ownJob(stage, 'unlucky');
    const real = job.context.commits;
    let commits = 0;
    // The reservation lands; the record (second commit) loses every race, as in a burst.
    const unlucky = {
      ...job,
      context: {
        ...job.context,
        commits: {
          ...real,
          read: real.read.bind(real),
          commit: (plan: Parameters<typeof real.commit>[0]) =>
            ++commits === 2
              ? Promise.reject(new TooManyLostRacesError(40, 'main moved past abc1234'))
              : real.commit(plan),
        },
      },
    };
    const error: unknown = await provision(stage, issue, 'unlucky', unlucky).catch((e: unknown) => e);
    const [service] = servicesOf(world, stage);
    expect(isUserError(error)).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain(`"issue-${issue}" (${service?.id ?? '?'}, account 1)`);
    expect(message).toContain('re-run this job and it adopts the service by name and records it');
    expect(message).not.toMatch(/Nothing was lost/);

    const rerun = await provision(stage, issue, 'rerun');
    expect(rerun.outputs['service-id']).toBe(service?.id);
    expect(servicesOf(world, stage)).toHaveLength(1);
    const farm = farmOf(world, stage);
    expect(farm === undefined ? [] : listBindings(farm).map((row) => row.service_id)).toEqual([service?.id]);
    expect(farm?.accounts.find((a) => a.account_id === 1)?.active_services).toBe(1);
  });
});

describe('opened and closed in quick succession', () => {
  function converged(stage: Stage, issue: number) {
    expect(servicesOf(world, stage)).toEqual([]);
    const rows = farmOf(world, stage)?.agent_map.filter(
      (row) => row.issue === issue && row.service_id !== '',
    );
    expect(rows?.map((row) => row.status)).toEqual(['destroyed']);
  }

  it('closed while the opened run is between creating the service and recording it', async () => {
    // The opened run's Railway transport holds the ServiceCreate answer until the closed run is done.
    let closedRunDone: () => void = () => undefined;
    const closedRun = new Promise<void>((resolve) => (closedRunDone = resolve));
    let created: () => void = () => undefined;
    const serviceCreated = new Promise<void>((resolve) => (created = resolve));
    const stage = world.stage();
    const issue = stage.openIssue();
    const holding = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      const answer = await fetch(input, init);
      if (typeof init?.body === 'string' && init.body.includes('"operationName":"ServiceCreate"')) {
        created();
        await closedRun;
      }
      return answer;
    }) as typeof fetch;
    const opened = (async () => {
      const job = { context: stage.context('opened', stage.newOctokit()), accounts: stage.accounts(holding) };
      await provision(stage, issue, 'opened', job);
      await deploy(stage, issue, 'opened', job);
    })();
    await serviceCreated;
    world.github.setIssueState(stage.fullName, issue, 'closed');
    const destroyed = await destroy(stage, issue, 'closed');
    closedRunDone();
    await opened;
    // The closed run came too early to see a row, and found the service by its name.
    expect(destroyed.outputs.status).toBe('destroyed');
    converged(stage, issue);
  });

  it('closed right after the opened run recorded it, the closed run first to finish', async () => {
    const stage = world.stage();
    const issue = stage.openIssue();
    await provision(stage, issue, 'opened');
    world.github.setIssueState(stage.fullName, issue, 'closed');
    // The closed run and the opened run's deploy job at once.
    await Promise.all([destroy(stage, issue, 'closed'), deploy(stage, issue, 'opened')]);
    converged(stage, issue);
  });
});
