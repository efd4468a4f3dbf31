/**
 * Reading an issue's binding (`getMapping`, docs/formats.md, '.trinity/railway_farm.json'). Legacy
 * files can hold several rows for one
 * issue, because Trinity's writer appended without de-duplicating: the current binding is the
 * last row for the issue that is not `destroyed`.
 */
import { parseIssueNumber } from '../issue-number.js';
import { DEFAULT_FARM_PATH } from '../settings/common.js';
import { NotBoundError } from './errors.js';
import { isIssueRow, type Farm, type FarmRow } from './types.js';

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

/** Index in `agent_map` of the current binding of `issue`, or -1. */
export function findBindingIndex(farm: Farm, issue: number): number {
  const rows = farm.agent_map;
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i];
    if (row !== undefined && row.issue === issue && isIssueRow(row) && row.status !== 'destroyed') return i;
  }
  return -1;
}

/** The current binding of every real issue, one per issue, by ascending issue number. */
export function listBindings(farm: Farm): FarmRow[] {
  const current = new Map<number, FarmRow>();
  for (const row of farm.agent_map) {
    // Same rule as findBinding: a later destroyed row does not hide an earlier live duplicate.
    if (isIssueRow(row) && row.status !== 'destroyed') current.set(row.issue, row);
  }
  return [...current.values()].sort((a, b) => a.issue - b.issue);
}

/**
 * The mapping of an issue given as 506, "506", "#506" or an issue URL (anything else is refused
 * with parseIssueNumber's UserError). Throws `NotBoundError` when the issue has no current
 * binding, saying when it was destroyed if every row for it is.
 */
export function getMapping(farm: Farm, issueInput: unknown, farmPath = DEFAULT_FARM_PATH): Mapping {
  const issue = parseIssueNumber(issueInput);
  const row = findBinding(farm, issue);
  if (row === undefined) {
    const destroyed = farm.agent_map.filter((r) => r.issue === issue).at(-1);
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
