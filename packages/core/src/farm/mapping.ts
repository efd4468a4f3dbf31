/**
 * Reading an issue's binding (`getMapping`, docs/formats.md, '.trinity/railway_farm.json'). Legacy
 * files can hold several rows for one
 * issue, because Trinity's writer appended without de-duplicating: the current binding is the
 * last row for the issue that is not `destroyed`.
 */
import { parseIssueNumber } from '../issue-number.js';
import { NotBoundError } from './errors.js';
import { isIssueRow, isUnboundRow, type Farm, type FarmRow } from './types.js';

/** The canonical identifiers of an issue's current binding. */
export interface Mapping {
  issue: number;
  session_id: string | undefined;
  railway_service_id: string;
  deployment_id: string | undefined;
  experience_file: string | undefined;
  /** Canonical fields the row lacks (all three for a legacy Trinity row), in this order. */
  missing: MissingField[];
  /** The whole row, for callers that want the rest (status, url, status_comment_id, …). */
  row: FarmRow;
}

export type MissingField = 'session_id' | 'deployment_id' | 'experience_file';
const CANONICAL: readonly MissingField[] = ['session_id', 'deployment_id', 'experience_file'];

/** The current binding row of an issue, or undefined. Pseudo-issues (≥ 2^30) never match. */
export function findBinding(farm: Farm, issue: number): FarmRow | undefined {
  return farm.agent_map[findBindingIndex(farm, issue)];
}

/** A row that binds an issue to a service now: not destroyed, not unbound, not a pseudo-issue. */
function isCurrentBinding(row: FarmRow): boolean {
  return isIssueRow(row) && row.status !== 'destroyed' && !isUnboundRow(row);
}

/** Index in `agent_map` of the current binding of `issue`, or -1. */
export function findBindingIndex(farm: Farm, issue: number): number {
  const rows = farm.agent_map;
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i];
    if (row !== undefined && row.issue === issue && isCurrentBinding(row)) return i;
  }
  return -1;
}

/** Index of the unbound row of `issue` (an issue journaled without a sandbox), or -1. */
export function findUnboundIndex(farm: Farm, issue: number): number {
  const rows = farm.agent_map;
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i];
    if (row !== undefined && row.issue === issue && isIssueRow(row) && isUnboundRow(row)) return i;
  }
  return -1;
}

/**
 * The id of the issue's status comment as the mapping remembers it, bound or not: the current
 * binding's, else the newest row of the issue that names one (its unbound row, or a destroyed
 * binding: an issue has one status comment for its whole life). Undefined when no row names one;
 * the publisher then looks for it in the thread, once.
 */
export function findStatusCommentId(farm: Farm, issue: number): number | undefined {
  const bound = findBinding(farm, issue)?.status_comment_id;
  if (bound !== undefined) return bound;
  const rows = farm.agent_map;
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i];
    if (row !== undefined && row.issue === issue && isIssueRow(row) && row.status_comment_id !== undefined)
      return row.status_comment_id;
  }
  return undefined;
}

/** The current binding of every real issue, one per issue, by ascending issue number. */
export function listBindings(farm: Farm): FarmRow[] {
  const current = new Map<number, FarmRow>();
  for (const row of farm.agent_map) {
    // Same rule as findBinding: a later destroyed row does not hide an earlier live duplicate.
    if (isCurrentBinding(row)) current.set(row.issue, row);
  }
  return [...current.values()].sort((a, b) => a.issue - b.issue);
}

/**
 * The mapping of an issue given as 506, "506", "#506" or an issue URL (anything else is refused
 * with parseIssueNumber's UserError). Throws `NotBoundError` when the issue has no current
 * binding, naming `farmPath` (the file the farm was read from) and saying when it was destroyed
 * if every row for it is.
 */
export function getMapping(farm: Farm, issueInput: unknown, farmPath: string): Mapping {
  const issue = parseIssueNumber(issueInput);
  const row = findBinding(farm, issue);
  if (row === undefined) {
    // An unbound row names no service: "not bound" then says nothing about an earlier sandbox.
    const destroyed = farm.agent_map.filter((r) => r.issue === issue && !isUnboundRow(r)).at(-1);
    throw new NotBoundError(
      issue,
      farmPath,
      destroyed && { serviceId: destroyed.service_id, at: destroyed.destroyed_at },
    );
  }
  return {
    issue,
    session_id: row.session_id,
    railway_service_id: row.service_id,
    deployment_id: row.deployment_id,
    experience_file: row.experience_file,
    missing: CANONICAL.filter((field) => row[field] === undefined),
    row,
  };
}

/**
 * A sentence about what a mapping lacks, for logs and CLI output; undefined when nothing is
 * missing.
 */
export function describeMissing(mapping: Mapping): string | undefined {
  if (mapping.missing.length === 0) return undefined;
  const names = mapping.missing;
  const list =
    names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1] ?? ''}`;
  return (
    `Issue #${mapping.issue} is bound to Railway service ${mapping.railway_service_id}, but its row ` +
    `has no ${list} (a row written by Trinity or before the first deploy). They are recorded by ` +
    'the next deploy (deployment_id), `tri agent link` (session_id) and journal step (experience_file).'
  );
}
