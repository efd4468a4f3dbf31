/**
 * Railway accounts and their caps (docs/actions.md, 'More than one Railway account'). As in Trinity,
 * one account per API token:
 * `RAILWAY_API_TOKEN` is account 1, `RAILWAY_API_TOKEN_2` … `_8` are accounts 2 … 8, each with an
 * optional `RAILWAY_PROJECT_ID{suffix}` and `RAILWAY_ENVIRONMENT_ID{suffix}`. The farm file's
 * `accounts` array holds each account's counters; the caps are configuration, not file content.
 */
import { CapacityError, NoAccountError } from './errors.js';
import { isIssueRow, isUnboundRow, type Farm, type FarmAccount, type FarmRow } from './types.js';

export const MAX_ACCOUNTS = 8;
const DAY_SECONDS = 86_400;

export interface RailwayAccount {
  accountId: number;
  token: string;
  projectId?: string;
  environmentId?: string;
}

export interface AccountCaps {
  /** Sandboxes running at once on one account. */
  maxConcurrent: number;
  /** Sandboxes created on one account per UTC day. */
  maxDailyCreates: number;
}

export const DEFAULT_ACCOUNT_CAPS: Readonly<AccountCaps> = { maxConcurrent: 25, maxDailyCreates: 50 };

/** Blank values count as unset: Actions passes unset inputs as ''. */
function value(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const text = env[name]?.trim();
  return text === undefined || text === '' ? undefined : text;
}

/**
 * Every account with a token, by id; gaps are allowed (`_2` and `_5` without `_3`). A project or
 * environment id without its token is ignored, not refused: Railway itself sets
 * `RAILWAY_PROJECT_ID` and `RAILWAY_ENVIRONMENT_ID` inside every service, so the CLI run in a
 * sandbox sees them without any token.
 */
export function discoverAccounts(env: Readonly<Record<string, string | undefined>>): RailwayAccount[] {
  const accounts: RailwayAccount[] = [];
  for (let id = 1; id <= MAX_ACCOUNTS; id++) {
    const suffix = id === 1 ? '' : `_${id}`;
    const token = value(env, `RAILWAY_API_TOKEN${suffix}`);
    if (token === undefined) continue;
    const projectId = value(env, `RAILWAY_PROJECT_ID${suffix}`);
    const environmentId = value(env, `RAILWAY_ENVIRONMENT_ID${suffix}`);
    accounts.push({
      accountId: id,
      token,
      ...(projectId === undefined ? {} : { projectId }),
      ...(environmentId === undefined ? {} : { environmentId }),
    });
  }
  return accounts;
}

/** The common case: one token (the `railway-token` input) is account 1. */
export function singleAccount(token: string, projectId?: string, environmentId?: string): RailwayAccount {
  return {
    accountId: 1,
    token,
    ...(projectId === undefined ? {} : { projectId }),
    ...(environmentId === undefined ? {} : { environmentId }),
  };
}

/** Epoch seconds of 00:00 UTC on the day of `now`. */
export function utcDayStart(now: Date): number {
  return Math.floor(now.getTime() / 1000 / DAY_SECONDS) * DAY_SECONDS;
}

/** Creates that count today: the stored count, or 0 once `now` is past the next UTC midnight. */
export function dailyCreatesAt(account: FarmAccount | undefined, now: Date): number {
  if (account === undefined) return 0;
  const nextReset = account.daily_reset_epoch + DAY_SECONDS;
  return now.getTime() / 1000 >= nextReset ? 0 : account.daily_creates;
}

/**
 * How long a reservation holds its slot without a service (docs/formats.md,
 * '.trinity/railway_farm.json', on reservations). A provision run reserves, then creates within
 * seconds (a minute or two when Railway is slow and its requests are retried); a reservation older
 * than this belongs to a run that died before recording a service, and its slot is free again. Its
 * row stays until the issue's next run replaces it.
 */
export const RESERVATION_TTL_MS = 15 * 60_000;

/**
 * Keys of a reservation, kept in the issue's unbound row (docs/formats.md,
 * '.trinity/railway_farm.json', on reservations).
 */
export const RESERVED_ACCOUNT_KEY = 'reserved_account_id';
export const RESERVED_AT_KEY = 'reserved_at';

/** The account a row reserves a slot on, if it is a reservation still within its time at `now`. */
export function liveReservation(row: FarmRow, now: Date): number | undefined {
  if (!isIssueRow(row) || !isUnboundRow(row)) return undefined;
  const accountId = row[RESERVED_ACCOUNT_KEY];
  const at = row[RESERVED_AT_KEY];
  if (typeof accountId !== 'number' || typeof at !== 'string') return undefined;
  const age = now.getTime() - Date.parse(at);
  // An unreadable time, or one in the future by more than the TTL (a hand edit), holds nothing.
  return Math.abs(age) < RESERVATION_TTL_MS ? accountId : undefined;
}

/**
 * Slots held by reservations, by account: runs that reserved a slot and have not yet recorded their
 * service. `exceptIssue`'s own reservation is left out, so a run that reserves again (a re-run, or a
 * re-plan after a lost race) does not count against itself. One pass over the rows.
 */
export function reservedSlots(farm: Farm, now: Date, exceptIssue?: number): Map<number, number> {
  const reserved = new Map<number, number>();
  for (const row of farm.agent_map) {
    if (row.issue === exceptIssue) continue;
    const accountId = liveReservation(row, now);
    if (accountId !== undefined) reserved.set(accountId, (reserved.get(accountId) ?? 0) + 1);
  }
  return reserved;
}

export interface AccountUsage {
  accountId: number;
  alias: string | undefined;
  activeServices: number;
  /** Slots reserved by runs that have not recorded their service yet (not in `activeServices`). */
  reserved: number;
  dailyCreates: number;
  maxConcurrent: number;
  maxDailyCreates: number;
  /** Sandboxes this account may still run at once (0 when full or over the cap). */
  freeSlots: number;
  /** True when both caps leave room for one more create. */
  available: boolean;
}

export function accountUsage(
  farm: Farm,
  accountId: number,
  now: Date,
  caps: Readonly<AccountCaps> = DEFAULT_ACCOUNT_CAPS,
  reserved = 0,
): AccountUsage {
  const entry = farm.accounts.find((a) => a.account_id === accountId);
  const activeServices = entry?.active_services ?? 0;
  const dailyCreates = dailyCreatesAt(entry, now);
  // A reserved slot is taken, and its create will count today: both caps see it.
  const freeSlots = Math.max(0, caps.maxConcurrent - activeServices - reserved);
  return {
    accountId,
    alias: entry?.alias,
    activeServices,
    reserved,
    dailyCreates,
    maxConcurrent: caps.maxConcurrent,
    maxDailyCreates: caps.maxDailyCreates,
    freeSlots,
    available: freeSlots > 0 && dailyCreates + reserved < caps.maxDailyCreates,
  };
}

export interface AccountChoice {
  /** Where to create the sandbox: `candidates[0]`. */
  account: RailwayAccount;
  /** Every account with room, best first: on a create error, try the next one. */
  candidates: RailwayAccount[];
  /** Usage of every configured account, in the order given. */
  usage: AccountUsage[];
}

/**
 * The account for a new sandbox: most free slots, then fewer creates today, then the lower id.
 * Slots reserved by other issues' runs (reservedSlots) are taken. Throws `NoAccountError` without
 * accounts and `CapacityError` (each account's usage and how to make room) when none has room.
 */
export function chooseAccount(
  farm: Farm,
  accounts: readonly RailwayAccount[],
  now: Date,
  caps: Partial<AccountCaps> = {},
  exceptIssue?: number,
): AccountChoice {
  if (accounts.length === 0) throw new NoAccountError();
  const limits = { ...DEFAULT_ACCOUNT_CAPS, ...caps };
  const reserved = reservedSlots(farm, now, exceptIssue);
  const usage = accounts.map((account) =>
    accountUsage(farm, account.accountId, now, limits, reserved.get(account.accountId) ?? 0),
  );
  const ranked = accounts
    .map((account, i) => ({ account, use: usage[i] as AccountUsage }))
    .filter(({ use }) => use.available)
    .sort(
      (a, b) =>
        b.use.freeSlots - a.use.freeSlots ||
        a.use.dailyCreates - b.use.dailyCreates ||
        a.account.accountId - b.account.accountId,
    );
  const best = ranked[0];
  if (best === undefined) throw new CapacityError(usage);
  return { account: best.account, candidates: ranked.map((r) => r.account), usage };
}
