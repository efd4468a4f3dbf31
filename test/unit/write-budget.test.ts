/**
 * Writes are paced by a budget of GitHub's published content-creation limits (80 a minute, 500 an
 * hour), not by a fixed gap: a run's writes go out in a burst, a run that would pass a window waits
 * exactly until the oldest write leaves it, and a secondary-limit answer makes the rest of the run
 * space its writes. The clock is fake: sleeping moves it, nothing waits for real.
 */
import {
  CAUTIOUS_WRITE_INTERVAL_MS,
  createGitHubClient,
  createRecordingLogger,
  createWriteBudget,
  isContentWrite,
  writeBudgetOf,
} from '@trinity/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startGitHubEmulator, type GitHubEmulator } from '../emulators/github/index.js';

function fakeClock(start = Date.parse('2026-11-20T09:00:00Z')) {
  const clock = {
    now: start,
    sleeps: [] as number[],
    sleep: (ms: number) => {
      clock.sleeps.push(ms);
      clock.now += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

describe('the write budget', () => {
  it('lets 80 writes go at once and holds the 81st until the first leaves the minute', async () => {
    const clock = fakeClock();
    const budget = createWriteBudget({ now: () => clock.now, sleep: clock.sleep });
    for (let i = 0; i < 80; i++) await budget.take();
    expect(clock.sleeps).toEqual([]);
    await budget.take();
    expect(clock.sleeps).toEqual([60_000]);
    expect(budget.stats()).toMatchObject({ writes: 81, longestWaitMs: 60_000, cautious: false });
  });

  it('keeps to 500 an hour: the 501st write waits for the hour of the first', async () => {
    const clock = fakeClock();
    const start = clock.now;
    const budget = createWriteBudget({ now: () => clock.now, sleep: clock.sleep });
    for (let i = 0; i < 500; i++) await budget.take();
    // 500 writes in 80-write minutes: six full minutes of waiting, then 20 more.
    expect(clock.now - start).toBe(6 * 60_000);
    await budget.take();
    expect(clock.now - start).toBe(3_600_000);
  });

  it('fails the write at once, saying when to re-run, rather than wait past maxWaitMs for the hour', async () => {
    const clock = fakeClock();
    const start = clock.now;
    const budget = createWriteBudget({ now: () => clock.now, sleep: clock.sleep, maxWaitMs: 300_000 });
    for (let i = 0; i < 500; i++) await budget.take();
    const sleptBefore = clock.sleeps.length;
    await expect(budget.take()).rejects.toThrow(
      'This run has made 500 content-creating requests to GitHub in the last hour; GitHub allows 80 a ' +
        'minute and 500 an hour, so the next one would have to wait 3240 s, longer than the 300 s this run ' +
        `waits. Nothing was written; re-run the job after ${new Date(start + 3_600_000).toISOString()}.`,
    );
    expect(clock.sleeps).toHaveLength(sleptBefore);
    expect(budget.stats().writes).toBe(500);
  });

  it('lines concurrent callers up: 200 at once take three minutes of slots, not one', async () => {
    const clock = fakeClock();
    const budget = createWriteBudget({ now: () => clock.now, sleep: () => Promise.resolve() });
    // Concurrent callers reserve their slots in order; the clock does not move while they wait.
    await Promise.all(Array.from({ length: 200 }, () => budget.take()));
    expect(budget.stats()).toMatchObject({ writes: 200, longestWaitMs: 120_000 });
  });

  it('spaces writes 1 s apart after a secondary limit, and a fixed gap when one is asked for', async () => {
    const clock = fakeClock();
    const budget = createWriteBudget({ now: () => clock.now, sleep: clock.sleep });
    await budget.take();
    await budget.take();
    budget.slowDown();
    await budget.take();
    await budget.take();
    expect(clock.sleeps).toEqual([CAUTIOUS_WRITE_INTERVAL_MS, CAUTIOUS_WRITE_INTERVAL_MS]);

    const gapClock = fakeClock();
    const gapped = createWriteBudget({ now: () => gapClock.now, sleep: gapClock.sleep, minIntervalMs: 250 });
    await gapped.take();
    await gapped.take();
    expect(gapClock.sleeps).toEqual([250]);
  });

  it('counts REST writes and GraphQL mutations, not reads nor GraphQL queries', () => {
    expect(isContentWrite({ method: 'POST', url: '/repos/o/r/issues/1/comments' })).toBe(true);
    expect(isContentWrite({ method: 'DELETE', url: '/repos/o/r/issues/1/labels/x' })).toBe(true);
    expect(isContentWrite({ method: 'GET', url: '/repos/o/r/issues/1' })).toBe(false);
    expect(isContentWrite({ method: 'POST', url: '/graphql', query: 'query { viewer { login } }' })).toBe(
      false,
    );
    expect(isContentWrite({ method: 'POST', url: '/graphql', query: '{ viewer { login } }' })).toBe(false);
    expect(
      isContentWrite({
        method: 'POST',
        url: 'https://api.github.com/graphql',
        query: '# c\n mutation M { x }',
      }),
    ).toBe(true);
  });
});

describe('the client paces writes by the budget', () => {
  let gh: GitHubEmulator;
  afterEach(async () => {
    await gh.close();
  });

  async function setUp() {
    gh = await startGitHubEmulator();
    gh.addToken('ghs_write');
    gh.createRepo('octo-org/pace', { files: { 'a.txt': 'a\n' } });
    gh.seedIssue('octo-org/pace', { title: 'pace' });
    const clock = fakeClock();
    const logger = createRecordingLogger();
    const octokit = createGitHubClient({
      token: 'ghs_write',
      baseUrl: gh.url,
      logger,
      timeBaseMs: 1,
      now: () => new Date(clock.now),
      sleep: clock.sleep,
    });
    return { clock, logger, octokit };
  }
  const o = { owner: 'octo-org', repo: 'pace', issue_number: 1 };

  it('sends a run’s writes in a burst, with no fixed gap by default (before: 1 s, comments 3 s)', async () => {
    const { clock, octokit } = await setUp();
    for (let i = 0; i < 5; i++) await octokit.rest.issues.createComment({ ...o, body: `comment ${i}` });
    await octokit.rest.issues.get(o);
    expect(clock.sleeps).toEqual([]);
    expect(gh.requests.filter((r) => r.operationId === 'issues/create-comment')).toHaveLength(5);
    expect(writeBudgetOf(octokit)?.stats()).toMatchObject({ writes: 5, waitedMs: 0, cautious: false });
  });

  it('slows down on the first secondary-limit answer, and says so once', async () => {
    const { clock, logger, octokit } = await setUp();
    gh.injectFault({
      kind: 'secondary_rate_limit',
      retryAfterSeconds: 2,
      operationId: 'issues/create-comment',
    });
    await octokit.rest.issues.createComment({ ...o, body: 'limited, then retried' });
    await octokit.rest.issues.createComment({ ...o, body: 'spaced' });
    await octokit.rest.issues.createComment({ ...o, body: 'spaced again' });
    // The retry waited retry-after inside the throttling plugin; the later writes wait 1 s each.
    expect(gh.requests.filter((r) => r.operationId === 'issues/create-comment').map((r) => r.status)).toEqual(
      [403, 201, 201, 201],
    );
    expect(writeBudgetOf(octokit)?.stats().cautious).toBe(true);
    expect(clock.sleeps).toEqual([CAUTIOUS_WRITE_INTERVAL_MS, CAUTIOUS_WRITE_INTERVAL_MS]);
    expect(logger.lines.filter((l) => l.message.includes('writes are spaced 1 s apart'))).toHaveLength(1);
  });
});
