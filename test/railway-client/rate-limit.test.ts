import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RailwayRateLimitError, RateLimitTracker } from '../../packages/core/src/railway/index.js';
import { rejectionOf, startWorld } from './world.js';
import type { World } from './world.js';

let w: World;
beforeEach(async () => {
  w = await startWorld();
});
afterEach(async () => {
  await w.emu.close();
});

const HOUR = 3_600_000;

describe('Railway rate-limit tracking', () => {
  it('is unknown before the first answer, then reflects the headers of every answer', async () => {
    const client = w.client();
    expect(client.rateLimit()).toBeUndefined();
    expect(client.pollDelay(5_000)).toBe(5_000);
    await client.whoAmI();
    const resetAt = Math.ceil((w.emu.now() + HOUR) / 1000) * 1000;
    expect(client.rateLimit()).toEqual({ limit: 1000, remaining: 999, resetAt });
    await client.getProject(w.projectId);
    expect(client.rateLimit()).toEqual({ limit: 1000, remaining: 998, resetAt });
    expect(client.pollDelay(5_000)).toBe(5_000);
  });

  it('failed answers count too (a GraphQL error still spends a request)', async () => {
    const client = w.client();
    await rejectionOf(client.getDeployment('missing'));
    expect(client.rateLimit()?.remaining).toBe(999);
  });

  it('pollDelay grows as remaining shrinks, before the limit is hit, and a 429 follows the last request', async () => {
    w.emu.setRateLimit(50);
    const client = w.client();
    const delays: { remaining: number; delay: number }[] = [];
    for (let i = 0; i < 50; i++) {
      await client.getProject(w.projectId);
      const remaining = client.rateLimit()?.remaining ?? -1;
      delays.push({ remaining, delay: client.pollDelay(5_000) });
    }
    const untilReset = (client.rateLimit()?.resetAt ?? 0) - w.emu.now();
    expect(untilReset).toBeGreaterThan(HOUR - 1000);
    // Comfortable budget: the base delay.
    for (const d of delays.filter((x) => x.remaining >= 5)) expect(d.delay).toBe(5_000);
    // Below 10 % of the limit: the time to the reset spread over the requests left.
    expect(delays.filter((x) => x.remaining < 5)).toEqual([
      { remaining: 4, delay: Math.ceil(untilReset / 4) },
      { remaining: 3, delay: Math.ceil(untilReset / 3) },
      { remaining: 2, delay: Math.ceil(untilReset / 2) },
      { remaining: 1, delay: untilReset },
      { remaining: 0, delay: untilReset },
    ]);
    const series = delays.map((d) => d.delay);
    expect(series).toEqual([...series].sort((a, b) => a - b));

    // One more is refused; Railway's wait (the rest of the hour) is longer than the client's cap.
    const error = await rejectionOf(client.getProject(w.projectId));
    expect(error).toBeInstanceOf(RailwayRateLimitError);
    expect(w.statuses().at(-1)).toBe(429);
    expect(w.sleeps).toEqual([]);
  });

  it('a waiting poller gets its budget back when the window resets', async () => {
    w.emu.setRateLimit(10);
    const client = w.client();
    for (let i = 0; i < 10; i++) await client.whoAmI();
    const wait = client.pollDelay(5_000);
    expect(wait).toBeGreaterThan(HOUR - 1000);
    w.emu.advance(wait);
    await client.whoAmI();
    expect(client.rateLimit()?.remaining).toBe(9);
    expect(client.pollDelay(5_000)).toBe(5_000);
  });
});

describe('RateLimitTracker header parsing', () => {
  const at = (headers: Record<string, string>, now = 1_000_000) => {
    const t = new RateLimitTracker();
    t.observe(new Headers(headers), now);
    return t.snapshot();
  };

  it('accepts X-RateLimit-Reset as epoch seconds, epoch milliseconds or seconds from now', () => {
    const base = { 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '5' };
    expect(at({ ...base, 'x-ratelimit-reset': '1700000000' })?.resetAt).toBe(1_700_000_000_000);
    expect(at({ ...base, 'x-ratelimit-reset': '1700000000123' })?.resetAt).toBe(1_700_000_000_123);
    expect(at({ ...base, 'x-ratelimit-reset': '60' })?.resetAt).toBe(1_060_000);
  });

  it('keeps what it knew when an answer carries only some headers', () => {
    const t = new RateLimitTracker();
    t.observe(
      new Headers({ 'x-ratelimit-limit': '100', 'x-ratelimit-remaining': '50', 'x-ratelimit-reset': '60' }),
      0,
    );
    t.observe(new Headers({ 'x-ratelimit-remaining': '0' }), 0);
    t.observe(new Headers({ 'content-type': 'text/html' }), 0);
    expect(t.snapshot()).toEqual({ limit: 100, remaining: 0, resetAt: 60_000 });
    expect(t.pollDelay(5_000, 30_000)).toBe(30_000);
  });
});
