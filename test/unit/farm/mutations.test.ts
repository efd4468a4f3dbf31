import { describe, expect, it } from 'vitest';
import { UserError } from '../../../packages/core/src/errors.js';
import {
  compose,
  findBinding,
  markDestroyed,
  parseFarm,
  recordCreate,
  recordDelete,
  upsertBinding,
  type Farm,
  type FarmMutation,
} from '../../../packages/core/src/farm/index.js';
import { LEGACY_WITH_DUPLICATES } from './fixtures.js';

const NOW = new Date('2026-03-18T10:00:00.000Z');
const LATER = new Date('2026-03-18T11:30:00.000Z');

function legacy(): Farm {
  return parseFarm(LEGACY_WITH_DUPLICATES, 'f');
}

/** Applies `mutation` and checks that the input farm is exactly as it was (deeply). */
function applyPurely(mutation: FarmMutation, farm: Farm): Farm {
  const before = structuredClone(farm);
  const result = mutation(farm);
  expect(farm).toEqual(before);
  return result;
}

describe('upsertBinding', () => {
  it('updates the current binding in place and leaves every other row untouched and in order', () => {
    const farm = legacy();
    const next = applyPurely(upsertBinding(506, { deployment_id: 'dep-1', status: 'live' }, NOW), farm);
    expect(next.agent_map).toHaveLength(4);
    expect(next.agent_map.slice(0, 3)).toEqual(farm.agent_map.slice(0, 3));
    expect(next.agent_map[3]).toEqual({
      issue: 506,
      account_id: 2,
      service_id: 'aaaaaaaa-0000-4000-8000-000000000506',
      deployment_id: 'dep-1',
      status: 'live',
      updated_at: '2026-03-18T10:00:00.000Z',
    });
    expect(next.accounts).toBe(farm.accounts);
  });

  it('appends a row with created_at when the issue has no binding, and ignores undefined fields', () => {
    const farm = legacy();
    const next = applyPurely(
      upsertBinding(12, { account_id: 1, service_id: 'svc-12', repo: 'o/r', url: undefined }, NOW),
      farm,
    );
    expect(next.agent_map.slice(0, 4)).toEqual(farm.agent_map);
    expect(next.agent_map[4]).toEqual({
      issue: 12,
      account_id: 1,
      service_id: 'svc-12',
      repo: 'o/r',
      created_at: '2026-03-18T10:00:00.000Z',
      updated_at: '2026-03-18T10:00:00.000Z',
    });
  });

  it('appends a new row after a destroyed binding instead of reviving it', () => {
    const farm = compose(
      upsertBinding(12, { account_id: 1, service_id: 'first' }, NOW),
      markDestroyed(12, NOW),
      upsertBinding(12, { account_id: 1, service_id: 'second' }, LATER),
    )(legacy());
    expect(farm.agent_map.filter((r) => r.issue === 12).map((r) => [r.service_id, r.status])).toEqual([
      ['first', 'destroyed'],
      ['second', undefined],
    ]);
  });

  it('needs account_id and service_id for a new row', () => {
    expect(() => upsertBinding(12, { status: 'live' }, NOW)(legacy())).toThrow(
      /needs account_id and service_id/,
    );
  });

  it('refuses pseudo-issues and non-issues before touching the farm', () => {
    expect(() => upsertBinding(2026198461, { status: 'live' }, NOW)).toThrow(UserError);
    expect(() => markDestroyed(0, NOW)).toThrow(UserError);
  });
});

describe('markDestroyed', () => {
  it('marks only the current binding, so an older live duplicate becomes current', () => {
    const farm = legacy();
    const next = applyPurely(markDestroyed(506, LATER), farm);
    expect(next.agent_map[3]).toMatchObject({
      status: 'destroyed',
      destroyed_at: '2026-03-18T11:30:00.000Z',
      updated_at: '2026-03-18T11:30:00.000Z',
    });
    expect(findBinding(next, 506)).toBe(next.agent_map[2]);
  });

  it('returns the same farm when there is nothing to destroy (a harmless re-run)', () => {
    const farm = legacy();
    expect(markDestroyed(999, NOW)(farm)).toBe(farm);
  });
});

describe('account counters', () => {
  it('counts a create on an existing account within the same UTC day', () => {
    const farm = legacy();
    const next = applyPurely(recordCreate(1, NOW), farm);
    expect(next.accounts[0]).toEqual({
      account_id: 1,
      alias: 'primary',
      daily_creates: 13,
      active_services: 27,
      daily_reset_epoch: 1773792000,
    });
    expect(next.accounts[1]).toBe(farm.accounts[1]);
    expect(next.agent_map).toBe(farm.agent_map);
  });

  it('restarts the daily count on the next UTC day', () => {
    const next = recordCreate(2, new Date('2026-03-19T00:00:00.000Z'))(legacy());
    expect(next.accounts[1]).toMatchObject({
      daily_creates: 1,
      active_services: 26,
      daily_reset_epoch: 1773878400,
    });
  });

  it('adds the entry of an account the file does not list', () => {
    const next = applyPurely(recordCreate(3, NOW), legacy());
    expect(next.accounts[2]).toEqual({
      account_id: 3,
      alias: 'farm-3',
      daily_creates: 1,
      active_services: 1,
      daily_reset_epoch: 1773792000,
    });
  });

  it('counts a delete down, never below zero, and ignores an unknown account', () => {
    const farm = legacy();
    expect(applyPurely(recordDelete(1), farm).accounts[0]?.active_services).toBe(25);
    const empty = parseFarm('{"accounts":[{"account_id":1}],"agent_map":[]}', 'f');
    expect(recordDelete(1)(empty).accounts[0]?.active_services).toBe(0);
    expect(recordDelete(7)(farm)).toBe(farm);
  });
});

describe('compose', () => {
  it('applies mutations left to right and re-applies cleanly to a newer farm', () => {
    const bind = compose(
      recordCreate(1, NOW),
      upsertBinding(40, { account_id: 1, service_id: 'svc-40' }, NOW),
    );
    const stale = legacy();
    // Another writer won the race: a newer file with one more row. Re-applying keeps both changes.
    const newer = upsertBinding(41, { account_id: 2, service_id: 'svc-41' }, NOW)(stale);
    const merged = bind(newer);
    expect(merged.agent_map.map((r) => r.issue)).toEqual([2026198461, 506, 506, 506, 41, 40]);
    expect(merged.accounts[0]?.active_services).toBe(27);
    expect(compose()(stale)).toBe(stale);
  });
});
