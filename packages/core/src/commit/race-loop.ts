import { LostRaceError } from './types.js';

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

export class TooManyLostRacesError extends Error {
  override readonly name = 'TooManyLostRacesError';
}

/**
 * Runs `attempt` until it does not lose a race. Jitter matters: twenty runs that collided once
 * would otherwise collide again in lockstep.
 */
export async function retryLostRaces<T>(
  attempt: (number: number) => Promise<T>,
  options: RaceLoopOptions,
): Promise<{ value: T; attempts: number }> {
  const maxAttempts = options.maxAttempts ?? 10;
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 8_000;
  for (let number = 1; ; number++) {
    try {
      return { value: await attempt(number), attempts: number };
    } catch (error) {
      if (!(error instanceof LostRaceError)) throw error;
      if (number >= maxAttempts) {
        throw new TooManyLostRacesError(
          `Another run moved the branch before each of ${maxAttempts} attempts to commit (${error.message}). ` +
            'Nothing was lost: re-run the job, and if this repeats, serialise the workflow with a concurrency group.',
        );
      }
      const delay = Math.round(options.random() * Math.min(cap, base * 2 ** (number - 1)));
      options.onRetry?.(number, delay);
      await options.sleep(delay);
    }
  }
}
