// The one retry loop of the product (docs/design.md, 'Retries as a wrapper'): exponential backoff
// with full jitter around one attempt, the time base (sleep, randomness) injected so a test asserts
// the exact sequence of attempts and delays without waiting. What may be retried is the caller's
// to decide: a Railway request retries what the same request can cure (railway/retry.ts), a commit
// retries a lost compare-and-swap after re-reading the head (commit/race-loop.ts).

export interface BackoffPolicy {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** Ceiling of the first backoff; it doubles with each retry up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Total sleeping allowed; a wait that would pass it ends the retries at once. */
  maxTotalWaitMs?: number;
}

export type RetryDecision = { retry: false } | { retry: true; afterMs?: number };

export interface RetryLoop extends BackoffPolicy {
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1), like Math.random; the jitter source. */
  random: () => number;
  /** Whether this failure may be tried again, and after how long when the answer says so. */
  decide: (error: unknown) => RetryDecision;
  onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
  /** What to throw when the retries stop after a retryable failure; the failure itself by default. */
  onGiveUp?: (error: unknown, attempts: number) => unknown;
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base · 2^(retry-1))). */
export function backoffDelay(retry: number, policy: BackoffPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/** Runs `attempt` until it succeeds, fails for good, or the policy's attempts or waiting run out. */
export async function retrying<T>(
  attempt: (n: number) => Promise<T>,
  loop: RetryLoop,
): Promise<{ value: T; attempts: number }> {
  let waited = 0;
  for (let n = 1; ; n++) {
    try {
      return { value: await attempt(n), attempts: n };
    } catch (error) {
      const decision = loop.decide(error);
      if (!decision.retry) throw error;
      const delayMs = decision.afterMs ?? backoffDelay(n, loop, loop.random);
      if (n >= loop.maxAttempts || waited + delayMs > (loop.maxTotalWaitMs ?? Infinity)) {
        throw loop.onGiveUp ? loop.onGiveUp(error, n) : error;
      }
      loop.onRetry?.(n, error, delayMs);
      await loop.sleep(delayMs);
      waited += delayMs;
    }
  }
}
