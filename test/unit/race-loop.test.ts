import { describe, expect, it } from 'vitest';
import { LostRaceError, retryLostRaces, TooManyLostRacesError } from '@trinity/core';

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

  it('gives up after maxAttempts, saying nothing was lost and what to do', async () => {
    const run = retryLostRaces(() => Promise.reject(new LostRaceError('main moved past abc1234')), {
      maxAttempts: 2,
      sleep: () => Promise.resolve(),
      random: () => 0,
    });
    await expect(run).rejects.toBeInstanceOf(TooManyLostRacesError);
    await expect(run).rejects.toThrow(/before each of 2 attempts.*Nothing was lost/);
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
