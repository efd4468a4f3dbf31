/**
 * What `tri doctor` reports: one finding per check, each with a stable id scripts can test for,
 * its status, what was found and, unless it is fine, what to change.
 */

/**
 * `fail`: a first run would fail (exit code `EXIT.checksFailed`); `warn`: it would run, but something
 * is off; `skipped`: the check could not be made (its `fix` says how to check by hand).
 */
export type FindingStatus = 'ok' | 'warn' | 'fail' | 'skipped';

export const FINDING_IDS = [
  'railway.token',
  'railway.project',
  'railway.environment',
  'github.token',
  'github.token-permissions',
  'github.workflow-permissions',
  'github.label',
  'github.branch-rules',
  'github.branch-protection',
  'farm.file',
] as const;
export type FindingId = (typeof FINDING_IDS)[number];

export interface Finding {
  id: FindingId;
  status: FindingStatus;
  what: string;
  /** What to change; null when nothing is to be done. */
  fix: string | null;
}

export const ok = (id: FindingId, what: string): Finding => ({ id, status: 'ok', what, fix: null });
export const warn = (id: FindingId, what: string, fix: string): Finding => ({
  id,
  status: 'warn',
  what,
  fix,
});
export const fail = (id: FindingId, what: string, fix: string): Finding => ({
  id,
  status: 'fail',
  what,
  fix,
});
export const skipped = (id: FindingId, what: string, fix: string): Finding => ({
  id,
  status: 'skipped',
  what,
  fix,
});
