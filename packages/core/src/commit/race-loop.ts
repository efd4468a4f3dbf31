import { retrying } from '../backoff.js';
import { UserError } from '../errors.js';
import { LostRaceError } from './types.js';

/**
 * Production back-off (docs/RELIABILITY.md, 'Chaos', on races): full jitter from 250 ms,
 * doubling up to 8 s, for up to 40 attempts. Sized for a burst of 50 runs committing to one branch
 * at once (two commits each, about a second per attempt): every commit lands, the worst after about
 * 25 attempts and the last within two minutes, where 10 attempts left many of them failing
 * (test/unit/race-loop.test.ts).
 */
export const RACE_DEFAULTS = { maxAttempts: 40, baseDelayMs: 250, maxDelayMs: 8_000 } as const;

export interface RaceLoopOptions {
  maxAttempts?: number;
  /** First back-off; each later one doubles, with full jitter, up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Called before each retry, for the log. */
  onRetry?: (attempt: number, delayMs: number) => void;
}

/**
 * Every attempt lost: this commit was not made (earlier commits of the same run stand). A user
 * error, since what to do is the user's: re-run, or serialise the workflow. A caller that made
 * something the commit was to record says so (provision: UnrecordedServiceError).
 */
export class TooManyLostRacesError extends UserError {
  override readonly name = 'TooManyLostRacesError';
  constructor(
    readonly attempts: number,
    readonly detail: string,
  ) {
    super(
      `Another run moved the branch before each of ${attempts} attempts to commit (${detail}), so this ` +
        'change to the mapping was not committed. Re-run the job; if this repeats, serialise the ' +
        'workflow with a concurrency group.',
    );
  }
}

/**
 * Runs `attempt` until it does not lose a race. Jitter matters: twenty runs that collided once
 * would otherwise collide again in lockstep.
 */
export async function retryLostRaces<T>(
  attempt: (number: number) => Promise<T>,
  options: RaceLoopOptions,
): Promise<{ value: T; attempts: number }> {
  return retrying(attempt, {
    maxAttempts: options.maxAttempts ?? RACE_DEFAULTS.maxAttempts,
    baseDelayMs: options.baseDelayMs ?? RACE_DEFAULTS.baseDelayMs,
    maxDelayMs: options.maxDelayMs ?? RACE_DEFAULTS.maxDelayMs,
    sleep: options.sleep,
    random: options.random,
    decide: (error) => ({ retry: error instanceof LostRaceError }),
    onRetry: (n, _error, delayMs) => options.onRetry?.(n, delayMs),
    onGiveUp: (error, attempts) =>
      new TooManyLostRacesError(attempts, error instanceof Error ? error.message : String(error)),
  });
}
