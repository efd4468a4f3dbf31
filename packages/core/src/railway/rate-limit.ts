// Railway sends X-RateLimit-Limit/-Remaining/-Reset on its answers. Reading them on every answer
// lets a poller slow down before it runs out (1,000 requests an hour on Hobby go quickly at one
// poll every 5 s across a few sandboxes) instead of learning about the limit from a 429.
// The header parsers are hand-written because these are HTTP headers, outside the GraphQL schema
// that types the answers (generated/graphql.ts), and Railway leaves X-RateLimit-Reset's unit open.

export interface RateLimitSnapshot {
  limit: number;
  remaining: number;
  /** Milliseconds since the epoch when the window resets. */
  resetAt: number;
}

/** Below this share of the limit, pollDelay spreads the remaining requests until the reset. */
export const SLOW_DOWN_BELOW = 0.1;

export class RateLimitTracker {
  private limit: number | undefined;
  private remaining: number | undefined;
  private resetAt: number | undefined;

  /** Takes whichever of the three headers an answer carries; an answer without them changes nothing. */
  observe(headers: Headers, now: number): void {
    const limit = integer(headers.get('x-ratelimit-limit'));
    const remaining = integer(headers.get('x-ratelimit-remaining'));
    const resetAt = parseReset(headers.get('x-ratelimit-reset'), now);
    if (limit !== undefined) this.limit = limit;
    if (remaining !== undefined) this.remaining = remaining;
    if (resetAt !== undefined) this.resetAt = resetAt;
  }

  /** Undefined until Railway has sent all three headers. */
  snapshot(): RateLimitSnapshot | undefined {
    if (this.limit === undefined || this.remaining === undefined || this.resetAt === undefined)
      return undefined;
    return { limit: this.limit, remaining: this.remaining, resetAt: this.resetAt };
  }

  /**
   * The delay before the next poll: `baseMs` while the budget is comfortable; below
   * `SLOW_DOWN_BELOW` of the limit, the time to the reset divided by the requests left, so the
   * delay grows as `remaining` shrinks and the budget lasts until the window resets.
   */
  pollDelay(baseMs: number, now: number): number {
    const s = this.snapshot();
    if (!s) return baseMs;
    const untilReset = Math.max(0, s.resetAt - now);
    if (s.remaining <= 0) return Math.max(baseMs, untilReset);
    if (s.remaining >= s.limit * SLOW_DOWN_BELOW) return baseMs;
    return Math.max(baseMs, Math.ceil(untilReset / s.remaining));
  }
}

function integer(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Railway does not document the unit of X-RateLimit-Reset. Accept the usual ones: epoch seconds
 * (what the emulator sends), epoch milliseconds, seconds from now, or an HTTP/ISO date.
 */
export function parseReset(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  if (Number.isFinite(n)) {
    if (n >= 1e12) return n;
    if (n >= 1e9) return n * 1000;
    return n >= 0 ? now + n * 1000 : undefined;
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date;
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
