// Railway's published Public API limits per plan (README, behaviour → source), and the client
// obeying the 429 and Retry-After they end in.
import { afterEach, describe, expect, it } from 'vitest';
import { PLAN_LIMITS } from './index.js';
import type { RailwayPlan } from './index.js';
import { ACCOUNT_TOKEN, setup } from './helpers.js';
import type { Setup } from './helpers.js';
import { startWorld } from '../../railway-client/world.js';

let s: Setup | undefined;
afterEach(async () => {
  await s?.emu.close();
  s = undefined;
});

const PROJECT = 'query P($id: String!) { project(id: $id) { id } }';

describe('Railway emulator: plans', () => {
  it('publishes Free 100/h, Hobby 1,000/h and 10/s, Pro 10,000/h and 50/s', () => {
    expect(PLAN_LIMITS).toEqual({
      free: { perHour: 100, perSecond: undefined },
      hobby: { perHour: 1_000, perSecond: 10 },
      pro: { perHour: 10_000, perSecond: 50 },
    });
  });

  it.each([
    ['hobby', 10],
    ['pro', 50],
  ] as const)(
    '%s: request %i + 1 in one second gets 429 with Retry-After: 1, the next second passes',
    async (plan, perSecond) => {
      s = await setup({ plan });
      const statuses: number[] = [];
      for (let i = 0; i <= perSecond; i++) statuses.push((await s.gql(PROJECT, { id: s.projectId })).status);
      expect(statuses.filter((x) => x === 200)).toHaveLength(perSecond);
      const refused = s.emu.requests.at(-1);
      expect(refused?.status).toBe(429);
      const again = await fetch(s.emu.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ACCOUNT_TOKEN}` },
        body: JSON.stringify({ query: PROJECT, variables: { id: s.projectId } }),
      });
      expect(again.status).toBe(429);
      expect(again.headers.get('retry-after')).toBe('1');
      expect(again.headers.get('x-ratelimit-limit')).toBe(String(PLAN_LIMITS[plan].perHour));
      s.emu.advance(1000);
      expect((await s.gql(PROJECT, { id: s.projectId })).status).toBe(200);
    },
  );

  it('free: the 101st request of the hour gets 429 with Retry-After until the hour ends', async () => {
    s = await setup({ plan: 'free' });
    for (let i = 0; i < 100; i++) expect((await s.gql(PROJECT, { id: s.projectId })).status).toBe(200);
    s.emu.advance(60_000);
    const refused = await fetch(s.emu.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ACCOUNT_TOKEN}` },
      body: JSON.stringify({ query: PROJECT, variables: { id: s.projectId } }),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(String(3600 - 60));
  });

  it.each(['hobby', 'pro'] as RailwayPlan[])(
    'the client waits out a per-second 429 on %s and goes on',
    async (plan) => {
      const w = await startWorld({ plan });
      try {
        const client = w.client();
        const burst = PLAN_LIMITS[plan].perSecond ?? 0;
        for (let i = 0; i <= burst; i++) await client.listServices(w.projectId);
        expect(w.statuses().filter((x) => x === 429)).toHaveLength(1);
        expect(w.sleeps).toEqual([1000]);
      } finally {
        await w.emu.close();
      }
    },
  );
});
