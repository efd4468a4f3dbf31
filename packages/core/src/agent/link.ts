import { findBinding } from '../farm/mapping.js';
import { upsertBinding } from '../farm/mutations.js';
import { parseIssueNumber } from '../issue-number.js';
import {
  newSessionId,
  readCurrentIssue,
  removeCurrentIssue,
  writeCurrentIssue,
  type CurrentIssue,
} from '../journal/current-issue.js';
import type { AgentContext } from './steps.js';

export interface LinkOutcome {
  current: CurrentIssue;
  /** What was linked before, when it was another issue. */
  replaced: CurrentIssue | undefined;
  /** True when the same issue was already linked: nothing changed. */
  unchanged: boolean;
  /** True when the issue's (legacy) mapping row had no session and now has this link's. */
  sessionRecorded: boolean;
}

/**
 * `tri agent link`: binds this working copy to an issue. Linking the issue that is already linked
 * keeps its session and step count (so a script may link before every run); linking another one
 * replaces the link. The session id is the sandbox's own (`TRINITY_SESSION_ID` in the mapping) when
 * the issue has one, so steps taken inside and outside the sandbox share a session.
 */
export async function linkIssue(
  context: Pick<AgentContext, 'root' | 'now' | 'farm'>,
  request: { issue: unknown; repo: string; generateId?: () => string },
): Promise<LinkOutcome> {
  const issue = parseIssueNumber(request.issue);
  const previous = await readCurrentIssue(context.root);
  const row = findBinding(await context.farm.read(), issue);
  if (previous !== undefined && previous.issue_number === issue && previous.repo === request.repo) {
    return {
      current: previous,
      replaced: undefined,
      unchanged: true,
      sessionRecorded: await recordSession(previous),
    };
  }
  const current: CurrentIssue = {
    issue_number: issue,
    repo: request.repo,
    session_id: row?.session_id ?? newSessionId(request.generateId),
    linked_at: context.now().toISOString(),
    last_step_at: null,
    steps: 0,
  };
  await writeCurrentIssue(context.root, current);
  return { current, replaced: previous, unchanged: false, sessionRecorded: await recordSession(current) };

  /** A legacy (Trinity) row has no session: the link's becomes the sandbox's, so both share one. */
  async function recordSession(linked: CurrentIssue): Promise<boolean> {
    if (row === undefined || row.session_id !== undefined) return false;
    await context.farm.update(upsertBinding(issue, { session_id: linked.session_id }, context.now()));
    return true;
  }
}

/** `tri agent unlink`: forgets the link; returns what was linked, if anything. */
export async function unlinkIssue(context: Pick<AgentContext, 'root'>): Promise<CurrentIssue | undefined> {
  const previous = await readCurrentIssue(context.root).catch(() => undefined);
  await removeCurrentIssue(context.root);
  return previous;
}
