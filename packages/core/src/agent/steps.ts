import { isUserError, UserError } from '../errors.js';
import type { EventType } from '../events.js';
import type { FarmStore } from '../farm/store.js';
import { findBinding, findStatusCommentId } from '../farm/mapping.js';
import { upsertBinding } from '../farm/mutations.js';
import type { Publisher } from '../github/publisher.js';
import { answerMessage, recogniseAnswer } from '../github/answers.js';
import { refusalOf } from '../github/refusals.js';
import { statusOf } from '../github/status.js';
import {
  readCurrentIssue,
  recordStep,
  writeCurrentIssue,
  CURRENT_ISSUE_PATH,
} from '../journal/current-issue.js';
import { eventKey, type JournalEvent } from '../journal/event.js';
import { setExperienceCommentUrl, writeExperienceFile } from '../journal/experience.js';
import type { Logger } from '../logger.js';
import { enqueueStep, listOutbox, removeFromOutbox } from './outbox.js';
import { statusViewFromRow } from '../journal/status-view.js';

/** Everything a journal step touches, passed in so the CLI, the action and tests share the code. */
export interface AgentContext {
  /** The working copy's root: `.trinity/` lives here. */
  root: string;
  now: () => Date;
  logger: Logger;
  farm: FarmStore;
  /** Undefined when no GitHub token is configured: steps are kept and queued. */
  publisher: Publisher | undefined;
  secrets: readonly string[];
}

export interface StepOutcome {
  issue: number;
  repo: string;
  key: string;
  experienceFile: string;
  published: boolean;
  commentUrl?: string;
  /** The outbox file, when the step was queued instead of published. */
  queuedAs?: string;
  reason?: string;
}

/**
 * `tri agent step`: write the experience file (never overwriting one), count the step in
 * current_issue.json, point the mapping's `experience_file` at it, then publish. If publishing is
 * impossible the step is not lost: it is queued in the outbox for `tri agent sync`.
 */
export async function recordAgentStep(
  context: AgentContext,
  step: { message: string; event?: EventType },
): Promise<StepOutcome> {
  const linked = await readCurrentIssue(context.root);
  if (linked === undefined) {
    throw new UserError(
      `Nothing is linked: ${CURRENT_ISSUE_PATH} does not exist in this working copy, so the step has no issue ` +
        'to go to. Run `tri agent link <issue>` first. Nothing was written.',
    );
  }
  if (step.message.trim() === '') {
    throw new UserError(
      'The step message is empty. Pass the step as an argument, or `-` to read it from standard input.',
    );
  }
  const at = context.now();
  const type = step.event ?? 'step_completed';
  const experienceFile = await writeExperienceFile({
    root: context.root,
    repo: linked.repo,
    issue: linked.issue_number,
    sessionId: linked.session_id,
    event: type,
    at,
    message: step.message,
    secrets: context.secrets,
  });
  const current = await recordStep(context.root, at);
  const farm = await context.farm.read();
  if (findBinding(farm, current.issue_number) !== undefined) {
    await context.farm.update(upsertBinding(current.issue_number, { experience_file: experienceFile }, at));
  }
  const event: JournalEvent = {
    type,
    issue: current.issue_number,
    // Session and step number, plus the experience file's timestamp: two working copies linked to
    // one sandbox session (the sandbox's agent and a laptop) count their steps separately, and a
    // re-link restarts the count, so the number alone would repeat and the step be taken for a re-run.
    key: `${eventKey({ sessionId: current.session_id, sequence: current.steps })}-${experienceStamp(experienceFile)}`,
    at: at.toISOString(),
    repo: current.repo,
    message: step.message,
    details: { session: current.session_id, experience_file: experienceFile },
  };
  const base = { issue: event.issue, repo: event.repo, key: event.key, experienceFile };
  const published = await tryPublish(context, event, experienceFile);
  if (published.ok) return { ...base, published: true, commentUrl: published.commentUrl };
  const queuedAs = await enqueueStep(
    context.root,
    { v: 1, event, experience_file: experienceFile, queued_at: at.toISOString(), reason: published.reason },
    at,
  );
  return { ...base, published: false, queuedAs, reason: published.reason };
}

export interface SyncOutcome {
  published: Array<{ name: string; commentUrl: string }>;
  remaining: number;
  /** Why the sync stopped early, when it did. */
  stoppedBecause?: string;
}

/**
 * `tri agent sync`: publish queued steps oldest first, each once (the publisher recognises a key
 * already in the thread), removing each from the outbox as it lands. Stops at the first failure so
 * the thread keeps the order the steps were taken in.
 */
export async function syncOutbox(context: AgentContext): Promise<SyncOutcome> {
  const queued = await listOutbox(context.root);
  const published: SyncOutcome['published'] = [];
  for (const [index, { name, entry }] of queued.entries()) {
    const result = await tryPublish(context, entry.event, entry.experience_file);
    if (!result.ok) return { published, remaining: queued.length - index, stoppedBecause: result.reason };
    await removeFromOutbox(context.root, name);
    published.push({ name, commentUrl: result.commentUrl });
  }
  return { published, remaining: 0 };
}

type PublishAttempt = { ok: true; commentUrl: string } | { ok: false; reason: string };

async function tryPublish(
  context: AgentContext,
  event: JournalEvent,
  experienceFile: string,
): Promise<PublishAttempt> {
  if (context.publisher === undefined) {
    return { ok: false, reason: 'no GitHub token (set GITHUB_TOKEN or GH_TOKEN)' };
  }
  const farm = await context.farm.read();
  const row = findBinding(farm, event.issue);
  const linked = await readCurrentIssue(context.root);
  const remembered = linked?.issue_number === event.issue ? linked.status_comment_id : undefined;
  let result;
  try {
    result = await context.publisher.publish({
      event,
      status: statusViewFromRow(event.issue, event.repo, row, event.at),
      // An unbound row (from a workflow's journal step) names it too; else the linked-issue file.
      statusCommentId: findStatusCommentId(farm, event.issue) ?? remembered,
      secrets: context.secrets,
    });
  } catch (error) {
    const reason = describePublishFailure(error, event);
    context.logger.warning(`Could not publish the step to ${event.repo}#${event.issue}: ${reason}`);
    return { ok: false, reason };
  }
  await setExperienceCommentUrl(context.root, experienceFile, result.commentUrl);
  if (row !== undefined) {
    if (row.status_comment_id !== result.statusCommentId) {
      await context.farm.update(
        upsertBinding(event.issue, { status_comment_id: result.statusCommentId }, context.now()),
      );
    }
  } else if (
    linked !== undefined &&
    linked.issue_number === event.issue &&
    remembered !== result.statusCommentId
  ) {
    await writeCurrentIssue(context.root, { ...linked, status_comment_id: result.statusCommentId });
  }
  return { ok: true, commentUrl: result.commentUrl };
}

function experienceStamp(path: string): string {
  return /(\d{8}T\d{9}Z)_\d+\.md$/.exec(path)?.[1] ?? path;
}

function describePublishFailure(error: unknown, event: JournalEvent): string {
  // The client already explains limits and missing permissions (GitHubRefusal): which, when, what to do.
  if (isUserError(error)) return error.message;
  if (recogniseAnswer(error).kind === 'comment_too_long') {
    return (
      `GitHub refused the comment as too long (422 ${answerMessage(error)}: Body is too long (maximum is 65536 characters)); ` +
      'the journal trims comments to that length, so this is a bug: the step is kept, please report it'
    );
  }
  // Credentials, permissions, a missing, deleted or locked issue: the one table all callers share.
  const refusal = refusalOf(error, `${event.repo}#${event.issue}`);
  if (refusal !== undefined) return refusal.message;
  const status = statusOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  return status === undefined
    ? `GitHub could not be reached (${detail})`
    : `GitHub answered ${status} (${detail})`;
}
