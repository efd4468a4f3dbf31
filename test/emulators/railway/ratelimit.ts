import type { RailwayPlan } from './types.js';

const HOUR_MS = 60 * 60 * 1000;
const SECOND_MS = 1000;

/**
 * Railway's published Public API limits (README, behaviour → source): requests per hour for every
 * plan, and per second for Hobby and Pro (none is published for Free).
 */
export const PLAN_LIMITS: Readonly<Record<RailwayPlan, { perHour: number; perSecond: number | undefined }>> =
  {
    free: { perHour: 100, perSecond: undefined },
    hobby: { perHour: 1_000, perSecond: 10 },
    pro: { perHour: 10_000, perSecond: 50 },
  };

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

interface Window {
  start: number;
  used: number;
}

/**
 * Per-token budgets with the headers Railway sends on every answer. The hourly window is always
 * on; the per-second one only when a plan was chosen, since a frozen (manual) clock would put every
 * request of a test in the same second.
 */
export class RateLimiter {
  private readonly hours = new Map<string, Window>();
  private readonly seconds = new Map<string, Window>();
  perSecond: number | undefined;

  constructor(
    private readonly clock: () => number,
    public limit = 1000,
    perSecond?: number,
  ) {
    this.perSecond = perSecond;
  }

  setPlan(plan: RailwayPlan): void {
    this.limit = PLAN_LIMITS[plan].perHour;
    this.perSecond = PLAN_LIMITS[plan].perSecond;
    this.reset();
  }

  consume(key: string): RateDecision {
    const now = this.clock();
    const hour = windowOf(this.hours, key, now, HOUR_MS);
    const second = this.perSecond === undefined ? undefined : windowOf(this.seconds, key, now, SECOND_MS);
    const resetMs = hour.start + HOUR_MS;
    const hourly = hour.used < this.limit;
    const burst = second === undefined || this.perSecond === undefined || second.used < this.perSecond;
    const allowed = hourly && burst;
    if (allowed) {
      hour.used++;
      if (second) second.used++;
    }
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.limit - hour.used)),
      'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
    };
    if (!allowed) {
      const until = hourly && second ? second.start + SECOND_MS : resetMs;
      headers['retry-after'] = String(Math.max(1, Math.ceil((until - now) / 1000)));
    }
    return { allowed, headers };
  }

  reset(): void {
    this.hours.clear();
    this.seconds.clear();
  }
}

function windowOf(windows: Map<string, Window>, key: string, now: number, length: number): Window {
  let w = windows.get(key);
  if (!w || now >= w.start + length) {
    w = { start: now, used: 0 };
    windows.set(key, w);
  }
  return w;
}
