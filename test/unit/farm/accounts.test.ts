import { describe, expect, it } from 'vitest';
import { UserError } from '../../../packages/core/src/errors.js';
import {
  CapacityError,
  NoAccountError,
  chooseAccount,
  dailyCreatesAt,
  discoverAccounts,
  parseFarm,
  singleAccount,
  utcDayStart,
  type Farm,
  type RailwayAccount,
} from '../../../packages/core/src/farm/index.js';
import { LEGACY_SPEC_FILE } from './fixtures.js';

const DAY = 1773792000; // 2026-03-18T00:00:00Z
const NOW = new Date('2026-03-18T10:00:00.000Z');

function accounts(...ids: number[]): RailwayAccount[] {
  return ids.map((accountId) => ({ accountId, token: `t${accountId}` }));
}

function farmWith(...entries: [id: number, active: number, creates: number, epoch?: number][]): Farm {
  return {
    version: 2,
    accounts: entries.map(([account_id, active_services, daily_creates, epoch]) => ({
      account_id,
      active_services,
      daily_creates,
      daily_reset_epoch: epoch ?? DAY,
    })),
    agent_map: [],
  };
}

describe('discoverAccounts', () => {
  it('reads RAILWAY_API_TOKEN and _2 … _8 with their ids, allowing gaps', () => {
    const found = discoverAccounts({
      RAILWAY_API_TOKEN: 'one',
      RAILWAY_PROJECT_ID: 'p1',
      RAILWAY_ENVIRONMENT_ID: 'e1',
      RAILWAY_API_TOKEN_3: ' three ',
      RAILWAY_PROJECT_ID_3: 'p3',
      RAILWAY_API_TOKEN_8: 'eight',
      RAILWAY_API_TOKEN_9: 'ignored',
      RAILWAY_API_TOKEN_1: 'ignored: account 1 has no suffix',
      RAILWAY_API_TOKEN_4: '',
      RAILWAY_PROJECT_ID_5: 'no token, ignored',
    });
    expect(found).toEqual([
      { accountId: 1, token: 'one', projectId: 'p1', environmentId: 'e1' },
      { accountId: 3, token: 'three', projectId: 'p3' },
      { accountId: 8, token: 'eight' },
    ]);
  });

  it('finds nothing without tokens, even where Railway sets its own project and environment ids', () => {
    expect(discoverAccounts({ RAILWAY_PROJECT_ID: 'p', RAILWAY_ENVIRONMENT_ID: 'e' })).toEqual([]);
  });

  it('makes the single-token case account 1', () => {
    expect(singleAccount('tok')).toEqual({ accountId: 1, token: 'tok' });
    expect(singleAccount('tok', 'p', 'e')).toEqual({
      accountId: 1,
      token: 'tok',
      projectId: 'p',
      environmentId: 'e',
    });
  });
});

describe('daily reset at the UTC day boundary', () => {
  it('starts the day at 00:00 UTC', () => {
    expect(utcDayStart(NOW)).toBe(DAY);
    expect(utcDayStart(new Date('2026-03-18T23:59:59.999Z'))).toBe(DAY);
    expect(utcDayStart(new Date('2026-03-19T00:00:00.000Z'))).toBe(DAY + 86_400);
  });

  it('counts creates until midnight UTC and none after it', () => {
    const entry = farmWith([1, 0, 12]).accounts[0];
    expect(dailyCreatesAt(entry, new Date('2026-03-18T23:59:59.999Z'))).toBe(12);
    expect(dailyCreatesAt(entry, new Date('2026-03-19T00:00:00.000Z'))).toBe(0);
    expect(dailyCreatesAt(undefined, NOW)).toBe(0);
  });
});

describe('chooseAccount', () => {
  it('picks the account with the most free slots and lists the others as fallbacks', () => {
    const choice = chooseAccount(farmWith([1, 20, 0], [2, 5, 30], [3, 10, 0]), accounts(1, 2, 3), NOW);
    expect(choice.account.accountId).toBe(2);
    expect(choice.candidates.map((a) => a.accountId)).toEqual([2, 3, 1]);
    expect(choice.usage.map((u) => u.freeSlots)).toEqual([5, 20, 15]);
  });

  it('breaks ties by fewer creates today, then by the lower id', () => {
    const choice = chooseAccount(farmWith([1, 5, 9], [2, 5, 3], [3, 5, 3]), accounts(3, 1, 2), NOW);
    expect(choice.candidates.map((a) => a.accountId)).toEqual([2, 3, 1]);
  });

  it('treats an account missing from the file as empty', () => {
    expect(chooseAccount(farmWith([1, 3, 0]), accounts(1, 4), NOW).account.accountId).toBe(4);
  });

  it('skips an account at its daily cap until midnight UTC', () => {
    const farm = farmWith([1, 0, 50], [2, 24, 0]);
    expect(chooseAccount(farm, accounts(1, 2), NOW).candidates.map((a) => a.accountId)).toEqual([2]);
    const tomorrow = new Date('2026-03-19T00:00:01.000Z');
    expect(chooseAccount(farm, accounts(1, 2), tomorrow).candidates.map((a) => a.accountId)).toEqual([1, 2]);
  });

  it('honours custom caps', () => {
    const farm = farmWith([1, 3, 0]);
    expect(() => chooseAccount(farm, accounts(1), NOW, { maxConcurrent: 3 })).toThrow(CapacityError);
    expect(() => chooseAccount(farmWith([1, 0, 2]), accounts(1), NOW, { maxDailyCreates: 2 })).toThrow(
      CapacityError,
    );
  });

  it("refuses with every account's usage and how to make room when none has room", () => {
    const farm = parseFarm(LEGACY_SPEC_FILE, 'f');
    let error: unknown;
    try {
      chooseAccount(farm, accounts(1, 2), NOW);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CapacityError);
    expect(error).toBeInstanceOf(UserError);
    expect((error as CapacityError).usage.map((u) => u.available)).toEqual([false, false]);
    expect((error as Error).message).toBe(
      'No Railway account has room for a new sandbox: account 1 (primary) has 26 of 25 sandboxes running ' +
        'and 12 of 50 creates today; account 2 (farm-2) has 25 of 25 sandboxes running and 17 of 50 creates ' +
        'today. Destroy the sandboxes of closed issues (the destroy-sandbox action), wait for the daily count ' +
        'to reset at 00:00 UTC, add an account (RAILWAY_API_TOKEN_2 … RAILWAY_API_TOKEN_8), or raise the ' +
        'caps (max_concurrent, default 25; max_daily_creates, default 50).',
    );
  });

  it('says how to configure a token when there is no account', () => {
    expect(() => chooseAccount(farmWith(), [], NOW)).toThrow(NoAccountError);
    expect(() => chooseAccount(farmWith(), [], NOW)).toThrow(
      /set the railway-token input or RAILWAY_API_TOKEN/,
    );
  });
});
