/**
 * Changes to the farm as pure functions. A writer that loses a race (a newer commit of the farm
 * file, a refused ref update or push) re-reads the newer file and re-applies the same mutation, so
 * a mutation must depend only on the farm it is given and never change it. Timestamps come in as
 * parameters. A mutation that has nothing to change returns its input as is, so a store can skip
 * the write.
 */
import { parseIssueNumber } from '../issue-number.js';
import { RESERVED_ACCOUNT_KEY, RESERVED_AT_KEY, dailyCreatesAt, utcDayStart } from './accounts.js';
import { findBindingIndex, findStatusCommentId, findUnboundIndex } from './mapping.js';
import {
  UNBOUND_ACCOUNT_ID,
  UNBOUND_STATUS,
  isIssueRow,
  type Farm,
  type FarmAccount,
  type FarmRow,
} from './types.js';

export type FarmMutation = (farm: Farm) => Farm;

/** Fields an upsert may set; `issue` is the key and `updated_at` is set from `now`. */
export type BindingFields = Partial<Omit<FarmRow, 'issue' | 'updated_at'>>;

function defined(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

function replaceAt<T>(items: readonly T[], index: number, item: T): T[] {
  return items.map((old, i) => (i === index ? item : old));
}

/**
 * Updates the current binding of `issue` with `fields` (undefined values are ignored), or, when
 * the issue has none, appends a new row, which then needs `account_id` and `service_id`; a new
 * row gets `created_at` = now unless given. The issue's unbound row, if any, becomes the new
 * binding in place (keeping its status comment id), so a bound issue has no unbound row. Every
 * other row (duplicates, pseudo-issues, destroyed rows) stays untouched and in place. Refuses
 * pseudo-issues and non-issues with a UserError.
 */
export function upsertBinding(issue: number, fields: BindingFields, now: Date): FarmMutation {
  const number = parseIssueNumber(issue);
  const updatedAt = now.toISOString();
  return (farm) => {
    const index = findBindingIndex(farm, number);
    const current = farm.agent_map[index];
    if (current !== undefined) {
      const changes = defined(fields);
      // Level-triggered runs re-assert what is already recorded; that is not a change worth a commit.
      if (Object.entries(changes).every(([key, value]) => current[key] === value)) return farm;
      const row = { ...current, ...changes, issue: number, updated_at: updatedAt } as FarmRow;
      return { ...farm, agent_map: replaceAt(farm.agent_map, index, row) };
    }
    const { account_id, service_id } = fields;
    if (account_id === undefined || service_id === undefined) {
      // A programming error, not a user one: the caller binds only after Railway created a service.
      throw new Error(
        `upsertBinding: issue #${number} has no binding; a new row needs account_id and service_id`,
      );
    }
    const unboundIndex = findUnboundIndex(farm, number);
    const kept = farm.agent_map[unboundIndex]?.status_comment_id;
    const row = {
      issue: number,
      account_id,
      service_id,
      created_at: updatedAt,
      ...(kept === undefined ? {} : { status_comment_id: kept }),
      ...defined(fields),
      updated_at: updatedAt,
    } as FarmRow;
    return {
      ...farm,
      agent_map: unboundIndex < 0 ? [...farm.agent_map, row] : replaceAt(farm.agent_map, unboundIndex, row),
    };
  };
}

/**
 * Remembers the id of the issue's status comment, bound or not, so the next publication reads it
 * directly instead of walking the thread. On a binding it is a field of the binding. An issue
 * without one gets an unbound row (`status` "none", account 0, no service; see UNBOUND_STATUS), or
 * its unbound row is updated; nothing changes when the mapping already names this id (say, on the
 * issue's destroyed row).
 */
export function rememberStatusComment(issue: number, statusCommentId: number, now: Date): FarmMutation {
  const number = parseIssueNumber(issue);
  const at = now.toISOString();
  return (farm) => {
    if (findBindingIndex(farm, number) >= 0)
      return upsertBinding(number, { status_comment_id: statusCommentId }, now)(farm);
    if (findStatusCommentId(farm, number) === statusCommentId) return farm;
    return withUnboundRow(farm, number, { status_comment_id: statusCommentId }, at);
  };
}

/** Sets `fields` on the issue's unbound row, or adds one (account 0, no service, `status` "none"). */
function withUnboundRow(farm: Farm, issue: number, fields: Partial<FarmRow>, at: string): Farm {
  const index = findUnboundIndex(farm, issue);
  const old = farm.agent_map[index];
  if (old !== undefined) {
    return { ...farm, agent_map: replaceAt(farm.agent_map, index, { ...old, ...fields, updated_at: at }) };
  }
  const row: FarmRow = {
    issue,
    account_id: UNBOUND_ACCOUNT_ID,
    service_id: '',
    status: UNBOUND_STATUS,
    ...fields,
    created_at: at,
    updated_at: at,
  };
  return { ...farm, agent_map: [...farm.agent_map, row] };
}

/**
 * Reserves a slot on `accountId` for the sandbox `serviceName` of `issue`, before it is created
 * (docs/formats.md, '.trinity/railway_farm.json', on reservations): the issue's unbound row (made
 * if it has none) names the account and the time, so every other run's choice of account counts
 * the slot as taken. The row stays
 * unbound (account 0, no service id), so Trinity's reader and every lookup of bindings ignore it;
 * recording the service (upsertBinding) turns it into the binding, which ends the reservation.
 */
export function reserveSlot(issue: number, accountId: number, serviceName: string, now: Date): FarmMutation {
  const number = parseIssueNumber(issue);
  const at = now.toISOString();
  const reservation = { service_name: serviceName, [RESERVED_ACCOUNT_KEY]: accountId, [RESERVED_AT_KEY]: at };
  return (farm) => withUnboundRow(farm, number, reservation, at);
}

/**
 * Marks the current binding of `issue` destroyed at `at`. Without a current binding it changes
 * nothing, so a re-run after a destroy is harmless. Only that row changes: an older live duplicate
 * (legacy files) then becomes the current binding, naming a service that may still exist.
 */
export function markDestroyed(issue: number, at: Date): FarmMutation {
  const number = parseIssueNumber(issue);
  const when = at.toISOString();
  return (farm) => {
    const index = findBindingIndex(farm, number);
    const current = farm.agent_map[index];
    if (current === undefined) return farm;
    const row: FarmRow = { ...current, status: 'destroyed', destroyed_at: when, updated_at: when };
    return { ...farm, agent_map: replaceAt(farm.agent_map, index, row) };
  };
}

/** The alias Trinity gave its accounts: "primary", "farm-2", … */
function defaultAlias(accountId: number): string {
  return accountId === 1 ? 'primary' : `farm-${accountId}`;
}

/**
 * Counts a sandbox created on `accountId` at `now`: one more active service and one more create
 * today (the daily count restarts when `now` is past the stored day). Adds the account's entry if
 * the file has none.
 */
export function recordCreate(accountId: number, now: Date): FarmMutation {
  return (farm) => {
    const index = farm.accounts.findIndex((a) => a.account_id === accountId);
    const old = farm.accounts[index];
    const createsToday = dailyCreatesAt(old, now);
    const entry: FarmAccount = {
      ...(old ?? { account_id: accountId, alias: defaultAlias(accountId) }),
      daily_creates: createsToday + 1,
      active_services: (old?.active_services ?? 0) + 1,
      // A count that restarted (or a new entry) now counts the day of `now`.
      daily_reset_epoch: old === undefined || createsToday === 0 ? utcDayStart(now) : old.daily_reset_epoch,
    };
    const accounts = old === undefined ? [...farm.accounts, entry] : replaceAt(farm.accounts, index, entry);
    return { ...farm, accounts };
  };
}

/**
 * Counts a sandbox deleted from `accountId`: one fewer active service, never below zero. An
 * account the file does not list has nothing to count down, so the farm is returned unchanged.
 */
export function recordDelete(accountId: number): FarmMutation {
  return (farm) => {
    const index = farm.accounts.findIndex((a) => a.account_id === accountId);
    const old = farm.accounts[index];
    if (old === undefined) return farm;
    const entry: FarmAccount = { ...old, active_services: Math.max(0, old.active_services - 1) };
    return { ...farm, accounts: replaceAt(farm.accounts, index, entry) };
  };
}

/**
 * Sets the account's count of live sandboxes to what Railway holds: the file's counters are a
 * cache, which a crash between a create and its commit, or a hand edit, can leave wrong. Adds the
 * account's entry if the file has none; changes nothing when the count is already right.
 */
export function reconcileActiveServices(accountId: number, live: number): FarmMutation {
  return (farm) => {
    const index = farm.accounts.findIndex((a) => a.account_id === accountId);
    const old = farm.accounts[index];
    if (old?.active_services === live) return farm;
    const entry: FarmAccount = old
      ? { ...old, active_services: live }
      : {
          account_id: accountId,
          alias: defaultAlias(accountId),
          daily_creates: 0,
          active_services: live,
          daily_reset_epoch: 0,
        };
    const accounts = old === undefined ? [...farm.accounts, entry] : replaceAt(farm.accounts, index, entry);
    return { ...farm, accounts };
  };
}

/** Applies mutations left to right, as one mutation (one read, one write). */
export function compose(...mutations: readonly FarmMutation[]): FarmMutation {
  return (farm) => mutations.reduce((current, mutation) => mutation(current), farm);
}

/**
 * Drops the rows of our own sandboxes destroyed before `cutoff`, and our unbound rows untouched
 * since before it, so the mapping holds what is current plus a recent past (the rest of the history
 * is in git and in the issue threads). "Our own" is a row this product created, which always has
 * `created_at`: Trinity's rows (even one this product later marked destroyed) and pseudo-issue rows
 * (≥ 2^30) are never dropped, nor a row whose time is missing or unreadable. One pass over the rows;
 * the farm is returned as is when nothing is old enough.
 */
export function dropExpiredRows(cutoff: Date): FarmMutation {
  const limit = cutoff.getTime();
  const expired = (row: FarmRow): boolean => {
    if (!isIssueRow(row) || row.created_at === undefined) return false;
    const at =
      row.status === 'destroyed'
        ? row.destroyed_at
        : row.status === UNBOUND_STATUS
          ? row.updated_at
          : undefined;
    const time = at === undefined ? Number.NaN : Date.parse(at);
    return !Number.isNaN(time) && time < limit;
  };
  return (farm) => {
    const kept = farm.agent_map.filter((row) => !expired(row));
    return kept.length === farm.agent_map.length ? farm : { ...farm, agent_map: kept };
  };
}
