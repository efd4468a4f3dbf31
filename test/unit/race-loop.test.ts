import { prng } from '../support/prng.js';
import { describe, expect, it } from 'vitest';
import {
  isUserError,
  LostRaceError,
  RACE_DEFAULTS,
  retryLostRaces,
  TooManyLostRacesError,
  type RaceLoopOptions,
} from '@trinity/core';

describe('retryLostRaces', () => {
  it('re-runs an attempt that lost a race, with doubling back-off and full jitter', async () => {
    const slept: number[] = [];
    let calls = 0;
    const result = await retryLostRaces(
      (n) => {
        calls++;
        return n < 4 ? Promise.reject(new LostRaceError('main moved')) : Promise.resolve('committed');
      },
      { baseDelayMs: 100, sleep: (ms) => Promise.resolve(void slept.push(ms)), random: () => 0.5 },
    );
    expect(result).toEqual({ value: 'committed', attempts: 4 });
    expect(calls).toBe(4);
    expect(slept).toEqual([50, 100, 200]);
  });

  it('gives up after maxAttempts with a user error that says this commit was not made and what to do', async () => {
    const run = retryLostRaces(() => Promise.reject(new LostRaceError('main moved past abc1234')), {
      maxAttempts: 2,
      sleep: () => Promise.resolve(),
      random: () => 0,
    });
    const error: unknown = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyLostRacesError);
    // Shown as is, not as "Unexpected failure … outage or bug".
    expect(isUserError(error)).toBe(true);
    expect((error as Error).message).toBe(
      'Another run moved the branch before each of 2 attempts to commit (main moved past abc1234), so this ' +
        'change to the mapping was not committed. Re-run the job; if this repeats, serialise the workflow ' +
        'with a concurrency group.',
    );
    // The loop cannot know what its caller made before committing (provision: a Railway service).
    expect((error as Error).message).not.toMatch(/Nothing was lost/);
  });

  it('does not retry other failures', async () => {
    let calls = 0;
    await expect(
      retryLostRaces(
        () => {
          calls++;
          return Promise.reject(new Error('500 from GitHub'));
        },
        { sleep: () => Promise.resolve(), random: () => 0 },
      ),
    ).rejects.toThrow('500 from GitHub');
    expect(calls).toBe(1);
  });
});

/**
 * Virtual time: `sleep` queues a wake-up, and `run` wakes the earliest once everything awake has
 * run (a setImmediate turn: nothing here does I/O). No real time passes.
 */
function virtualTime() {
  let now = 0;
  let seq = 0;
  const queue: Array<{ at: number; seq: number; wake: () => void }> = [];
  const sleep = (ms: number) => new Promise<void>((wake) => queue.push({ at: now + ms, seq: seq++, wake }));
  async function run(done: Promise<unknown>): Promise<number> {
    let finished = false;
    void done.finally(() => (finished = true));
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (finished) return now;
      queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = queue.shift();
      if (next === undefined) throw new Error('nothing is awake and nothing sleeps');
      now = next.at;
      next.wake();
    }
  }
  return { sleep, run };
}

/**
 * `writers` runs start within 2 s of each other and each makes two commits 5 s apart (provision:
 * the reservation, then the record), an attempt taking 0.4–1.2 s between its read of the head and
 * its write. Returns the most attempts any commit needed and how many gave up.
 */
async function burstOfWriters(writers: number, seed: number, options: Partial<RaceLoopOptions> = {}) {
  const random = prng(seed);
  // Every sleep below is on this virtual clock: no real time passes, whatever the machine's speed.
  const virtualClock = virtualTime();
  let version = 0;
  let worst = 0;
  let gaveUp = 0;
  const writer = async () => {
    await virtualClock.sleep(random() * 2_000);
    for (let commit = 0; commit < 2; commit++) {
      try {
        const { attempts } = await retryLostRaces(
          async () => {
            const read = version;
            await virtualClock.sleep(400 + random() * 800);
            if (version !== read) throw new LostRaceError('main moved');
            version++;
          },
          { sleep: virtualClock.sleep, random, ...options },
        );
        worst = Math.max(worst, attempts);
      } catch (error) {
        if (!(error instanceof TooManyLostRacesError)) throw error;
        gaveUp++;
      }
      await virtualClock.sleep(5_000);
    }
  };
  const seconds = (await virtualClock.run(Promise.all(Array.from({ length: writers }, writer)))) / 1000;
  return { worst, gaveUp, seconds };
}

describe('production back-off (RACE_DEFAULTS) under a burst', () => {
  it.each([1, 2, 3, 4, 5])('50 runs committing twice each at once all land (seed %i)', async (seed) => {
    const { worst, gaveUp, seconds } = await burstOfWriters(50, seed);
    console.log(
      `50 writers × 2 commits (seed ${seed}): ${gaveUp} gave up; at most ${worst} of ` +
        `${RACE_DEFAULTS.maxAttempts} attempts; last commit after ${Math.round(seconds)} s (virtual)`,
    );
    expect(gaveUp).toBe(0);
    expect(worst).toBeLessThanOrEqual(RACE_DEFAULTS.maxAttempts);
  });

  it('the earlier default of 10 attempts let such a burst give up', async () => {
    const { gaveUp } = await burstOfWriters(50, 1, { maxAttempts: 10 });
    expect(gaveUp).toBeGreaterThan(0);
  });
});
