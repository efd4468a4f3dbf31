const WINDOW_MS = 60 * 60 * 1000;

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

/** Railway's documented per-token hourly budget, with the headers it sends on every answer. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(
    private readonly clock: () => number,
    public limit = 1000,
  ) {}

  consume(key: string): RateDecision {
    const now = this.clock();
    let w = this.windows.get(key);
    if (!w || now >= w.start + WINDOW_MS) {
      w = { start: now, used: 0 };
      this.windows.set(key, w);
    }
    const resetMs = w.start + WINDOW_MS;
    const allowed = w.used < this.limit;
    if (allowed) w.used++;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.limit - w.used)),
      'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
    };
    if (!allowed) headers['retry-after'] = String(Math.max(1, Math.ceil((resetMs - now) / 1000)));
    return { allowed, headers };
  }

  reset(): void {
    this.windows.clear();
  }
}
