import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { MAX_ISSUE_NUMBER } from '../issue-number.js';
import { isErrnoException, writeFileAtomic } from '../files.js';
import { REPOSITORY_PATTERN } from '../github-facts.js';

/**
 * `.trinity/current_issue.json` (docs/formats.md, '.trinity/current_issue.json'): the link between
 * a working copy and an issue, written by `tri agent link`, read by `tri agent step`, removed by
 * `tri agent unlink`. The type keeps the file's own snake_case names so what the CLI prints is what
 * is on disk.
 */
export const CURRENT_ISSUE_PATH = '.trinity/current_issue.json';

export interface CurrentIssue {
  issue_number: number;
  repo: string;
  session_id: string;
  linked_at: string;
  last_step_at: string | null;
  steps: number;
  /**
   * The issue's status comment, remembered here when the issue has no row in the farm (a journal
   * without a sandbox), so publishing a step stays a constant number of requests. Optional: files
   * written without it (docs/formats.md, '.trinity/current_issue.json') stay valid.
   */
  status_comment_id?: number;
}

/** A new session id; the generator is a parameter so tests get stable ids. */
export function newSessionId(generate: () => string = randomUUID): string {
  return generate();
}

function fileOf(root: string): string {
  return path.join(root, ...CURRENT_ISSUE_PATH.split('/'));
}

const REPAIR =
  'Fix the file by hand, or delete it with `tri agent unlink` and link again with `tri agent link <issue>`.';

function isIsoTime(value: unknown): value is string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value));
}

/** Validates parsed JSON; every problem is reported with the file name, the field and the fix. */
export function toCurrentIssue(value: unknown, file: string = CURRENT_ISSUE_PATH): CurrentIssue {
  const fail = (why: string): never => {
    throw new UserError(`${file} is not a valid current-issue file: ${why}. ${REPAIR}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('it is not a JSON object');
  const record = value as Record<string, unknown>;
  const { issue_number: issue, repo, session_id: sessionId, linked_at: linkedAt } = record;
  const { last_step_at: lastStepAt, steps } = record;
  if (typeof issue !== 'number' || !Number.isSafeInteger(issue) || issue < 1 || issue > MAX_ISSUE_NUMBER) {
    fail(`"issue_number" must be a GitHub issue number, not ${JSON.stringify(issue)}`);
  }
  if (typeof repo !== 'string' || !REPOSITORY_PATTERN.test(repo)) {
    fail(`"repo" must be "owner/name", not ${JSON.stringify(repo)}`);
  }
  if (typeof sessionId !== 'string' || sessionId.trim() === '')
    fail('"session_id" must be a non-empty string');
  if (!isIsoTime(linkedAt)) fail('"linked_at" must be an ISO-8601 time');
  if (lastStepAt !== null && !isIsoTime(lastStepAt)) fail('"last_step_at" must be an ISO-8601 time or null');
  if (typeof steps !== 'number' || !Number.isSafeInteger(steps) || steps < 0) {
    fail('"steps" must be a whole number of at least 0');
  }
  const statusCommentId = record.status_comment_id;
  if (
    statusCommentId !== undefined &&
    (typeof statusCommentId !== 'number' || !Number.isSafeInteger(statusCommentId))
  ) {
    fail('"status_comment_id" must be a comment id when present');
  }
  return {
    issue_number: issue as number,
    repo: repo as string,
    session_id: sessionId as string,
    linked_at: linkedAt as string,
    last_step_at: lastStepAt as string | null,
    steps: steps as number,
    ...(statusCommentId === undefined ? {} : { status_comment_id: statusCommentId as number }),
  };
}

/** The linked issue, or `undefined` when nothing is linked. A corrupt file is a `UserError`. */
export async function readCurrentIssue(root: string): Promise<CurrentIssue | undefined> {
  const file = fileOf(root);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isErrnoException(error, 'ENOENT')) return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new UserError(`${file} is not valid JSON (${why}). ${REPAIR}`);
  }
  return toCurrentIssue(parsed, file);
}

/** Validates, then replaces the file atomically (temp file + rename). */
export async function writeCurrentIssue(root: string, value: CurrentIssue): Promise<void> {
  const file = fileOf(root);
  const checked = toCurrentIssue(value, file);
  await writeFileAtomic(file, `${JSON.stringify(checked, null, 2)}\n`);
}

/** Removes the link; returns whether there was one. */
export async function removeCurrentIssue(root: string): Promise<boolean> {
  const file = fileOf(root);
  try {
    await rm(file);
    return true;
  } catch (error) {
    if (isErrnoException(error, 'ENOENT')) return false;
    throw error;
  }
}

/** Counts one more step at `at`; fails with what to do when no issue is linked. */
export async function recordStep(root: string, at: Date): Promise<CurrentIssue> {
  const current = await readCurrentIssue(root);
  if (!current) {
    throw new UserError(
      `No issue is linked in this working copy (${CURRENT_ISSUE_PATH} does not exist). ` +
        'Run `tri agent link <issue>` first.',
    );
  }
  const next: CurrentIssue = { ...current, steps: current.steps + 1, last_step_at: at.toISOString() };
  await writeCurrentIssue(root, next);
  return next;
}
