/**
 * The version-2 model of `.trinity/railway_farm.json` (docs/formats.md, '.trinity/railway_farm.json').
 *
 * Rows and accounts are open records: the typed fields are the ones this project reads and
 * writes, and every other key found in the file rides along untouched, because the file is shared
 * with Trinity's Zig code and with people who edit it by hand, and a round trip must lose nothing.
 */

export const FARM_VERSION = 2;

/**
 * Trinity stores hashed training-run names in `issue` with values at or above 2^30. They are not
 * GitHub issues: kept as they are, never listed, bound or changed.
 */
export const PSEUDO_ISSUE_MIN = 2 ** 30;

export const SANDBOX_STATUSES = [
  'provisioning',
  'deploying',
  'live',
  'failed',
  'destroying',
  'destroyed',
] as const;
export type SandboxStatus = (typeof SANDBOX_STATUSES)[number];

/**
 * The status of an unbound row: an issue journaled without a sandbox, whose row only remembers its
 * status comment (and newest experience file), so publishing to it costs the same as to a bound
 * issue. Written as `{"issue":N,"account_id":0,"service_id":"","status":"none",…}`: Trinity's reader
 * needs the three leading keys; account 0 is no account, so it finds no token for the row instead of
 * using one, and an empty service id names no service.
 */
export const UNBOUND_STATUS = 'none';
export const UNBOUND_ACCOUNT_ID = 0;
export type RowStatus = SandboxStatus | typeof UNBOUND_STATUS;

/** One `agent_map` row: the binding of an issue to a Railway service. */
export interface FarmRow {
  issue: number;
  account_id: number;
  service_id: string;
  repo?: string;
  session_id?: string;
  service_name?: string;
  project_id?: string;
  environment_id?: string;
  deployment_id?: string;
  /** Railway's `DeploymentStatus` as last seen (SUCCESS, FAILED, …). */
  deployment_status?: string;
  url?: string;
  /** Path of the newest experience file, relative to the repository root. */
  experience_file?: string;
  status?: RowStatus;
  /** Id of the issue's status comment, so updating it costs one request. */
  status_comment_id?: number;
  /** ISO-8601 timestamps. */
  created_at?: string;
  updated_at?: string;
  destroyed_at?: string;
  /** Keys this version does not know: preserved on write. */
  [key: string]: unknown;
}

/** Optional string fields of a row, in the order they are written after the three leading keys. */
export const ROW_STRING_FIELDS = [
  'repo',
  'session_id',
  'service_name',
  'project_id',
  'environment_id',
  'deployment_id',
  'deployment_status',
  'url',
  'experience_file',
] as const;
export const ROW_TIME_FIELDS = ['created_at', 'updated_at', 'destroyed_at'] as const;

/** Key order of a written row: the legacy scanner needs the first three in exactly this order. */
export const ROW_KEY_ORDER: readonly string[] = [
  'issue',
  'account_id',
  'service_id',
  ...ROW_STRING_FIELDS,
  'status',
  'status_comment_id',
  ...ROW_TIME_FIELDS,
];

/** One Railway account's counters (one account per API token). */
export interface FarmAccount {
  account_id: number;
  alias?: string;
  /** Sandboxes created on the UTC day that starts at `daily_reset_epoch`. */
  daily_creates: number;
  active_services: number;
  /** Epoch seconds of the start (00:00 UTC) of the day `daily_creates` counts. */
  daily_reset_epoch: number;
  [key: string]: unknown;
}

export const ACCOUNT_KEY_ORDER: readonly string[] = [
  'account_id',
  'alias',
  'daily_creates',
  'active_services',
  'daily_reset_epoch',
];

/**
 * The whole file. Unknown top-level keys are kept as extra properties. The arrays are readonly
 * because changes go through pure `FarmMutation`s that return a new farm.
 */
export interface Farm {
  version: typeof FARM_VERSION;
  accounts: readonly FarmAccount[];
  agent_map: readonly FarmRow[];
  [key: string]: unknown;
}

export function emptyFarm(): Farm {
  return { version: FARM_VERSION, accounts: [], agent_map: [] };
}

/** True for rows about a real GitHub issue (not a hashed training-run name). */
export function isIssueRow(row: FarmRow): boolean {
  return row.issue < PSEUDO_ISSUE_MIN;
}

/** True for an issue's row without a sandbox (see UNBOUND_STATUS). */
export function isUnboundRow(row: FarmRow): boolean {
  return row.status === UNBOUND_STATUS;
}
