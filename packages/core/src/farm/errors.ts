/**
 * The farm's user errors and their messages, kept in one place so tests can assert exact text.
 * Every message says what is wrong, where, and what to do.
 */
import { UserError } from '../errors.js';
import type { AccountUsage } from './accounts.js';

export interface FarmFileLocation {
  line: number;
  column: number;
  /** `agent_map[3].service_id` for a shape problem; undefined for a syntax problem. */
  jsonPath?: string;
}

function restoreHint(path: string): string {
  return `Fix it by hand or restore it from git history (git log -p -- ${path}); nothing was written.`;
}

/**
 * The farm file is not JSON or not of a shape we read. Stores never overwrite such a file: the
 * mapping in it may be the only record of which Railway services exist.
 */
export class FarmCorruptError extends UserError {
  override readonly name: string = 'FarmCorruptError';
  readonly line: number;
  readonly column: number;
  readonly jsonPath: string | undefined;
  constructor(
    readonly path: string,
    readonly problem: string,
    location: FarmFileLocation,
    message?: string,
  ) {
    const where = `line ${location.line}, column ${location.column}`;
    const at = location.jsonPath === undefined ? where : `${where}, at ${location.jsonPath}`;
    super(message ?? `The farm file ${path} is corrupt at ${at}: ${problem}. ${restoreHint(path)}`);
    this.line = location.line;
    this.column = location.column;
    this.jsonPath = location.jsonPath;
  }
}

/** A file written by a newer (or unknown) format version. Also never overwritten. */
export class UnsupportedFarmVersionError extends FarmCorruptError {
  override readonly name: string = 'UnsupportedFarmVersionError';
  constructor(
    path: string,
    readonly version: unknown,
    location: FarmFileLocation,
  ) {
    const shown = JSON.stringify(version) ?? String(version);
    super(
      path,
      `unsupported version ${shown}`,
      location,
      `The farm file ${path} has "version": ${shown} (line ${location.line}, column ${location.column}), ` +
        'but these issue-sandbox actions read only version 2 and the unversioned Trinity format. ' +
        'Use a release of the actions that reads this version, or restore a version-2 file from git ' +
        `history (git log -p -- ${path}); nothing was written.`,
    );
  }
}

/** The issue has no current binding. Carries the issue so callers can branch without parsing text. */
export class NotBoundError extends UserError {
  override readonly name: string = 'NotBoundError';
  constructor(
    readonly issue: number,
    readonly farmPath: string,
    /** Set when the issue had sandboxes and every one of them was destroyed. */
    readonly destroyed?: { serviceId: string; at: string | undefined },
  ) {
    super(
      destroyed === undefined
        ? `Issue #${issue} is not bound to a sandbox in ${farmPath}. ` +
            'Provision one (the provision-sandbox action, or label the issue) or check the issue number.'
        : `Issue #${issue} has no live sandbox in ${farmPath}: its sandbox (Railway service ` +
            `${destroyed.serviceId}) was destroyed at ${destroyed.at ?? 'an unrecorded time'}. ` +
            'Provision a new one (the provision-sandbox action, or label the issue) if the work continues.',
    );
  }
}

function describeUsage(u: AccountUsage): string {
  const name = u.alias === undefined ? `account ${u.accountId}` : `account ${u.accountId} (${u.alias})`;
  return (
    `${name} has ${u.activeServices} of ${u.maxConcurrent} sandboxes running ` +
    (u.reserved > 0 ? `(and ${u.reserved} being created) ` : '') +
    `and ${u.dailyCreates} of ${u.maxDailyCreates} creates today`
  );
}

/** No configured Railway account may take another sandbox. */
export class CapacityError extends UserError {
  override readonly name: string = 'CapacityError';
  constructor(readonly usage: readonly AccountUsage[]) {
    super(
      `No Railway account has room for a new sandbox: ${usage.map(describeUsage).join('; ')}. ` +
        'Destroy the sandboxes of closed issues (the destroy-sandbox action), wait for the daily count ' +
        'to reset at 00:00 UTC, add an account (RAILWAY_API_TOKEN_2 … RAILWAY_API_TOKEN_8), ' +
        'or raise the caps (max_concurrent, default 25; max_daily_creates, default 50).',
    );
  }
}

/** No Railway token was given at all. */
export class NoAccountError extends UserError {
  override readonly name: string = 'NoAccountError';
  constructor() {
    super(
      'No Railway account is configured: set the railway-token input or RAILWAY_API_TOKEN ' +
        '(and RAILWAY_API_TOKEN_2 … RAILWAY_API_TOKEN_8 for more accounts).',
    );
  }
}
