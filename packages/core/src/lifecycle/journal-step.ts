import { createHash } from 'node:crypto';
import { statusViewFromRow } from '../journal/status-view.js';
import { planFarmCommit } from '../commit/farm-plan.js';
import { findBinding, findStatusCommentId } from '../farm/mapping.js';
import { rememberStatusComment, upsertBinding } from '../farm/mutations.js';
import type { ThreadWindow } from '../github/issue-snapshot.js';
import { findEventMarker } from '../journal/markers.js';
import { EXPERIENCE_DIR, experienceFileName, renderExperienceFile } from '../journal/experience.js';
import { redactText } from '../journal/sanitize.js';
import type { JournalSettings } from '../settings/actions.js';
import { readFarm, type LifecycleContext } from './context.js';
import type { LifecycleResult } from './result.js';
import { readRunSnapshot, withSnapshot } from './snapshot.js';

/**
 * What `tri agent step` does, from a workflow: publish the step, then commit its experience file
 * (with the comment's URL already in it) and the mapping's pointer to it in one commit. The key is
 * the run and the step's content, so a retried step is recognised, and its experience file is
 * rebuilt byte for byte from the first publication rather than written a second time.
 */
export async function journalStep(
  settings: JournalSettings,
  base: LifecycleContext,
): Promise<LifecycleResult> {
  const issueNumber = settings.issueNumber;
  const repoName = `${base.owner}/${base.repo}`;
  const now = base.now();
  // The experience file's first-choice name is almost always free: read it with everything else.
  const firstChoice = experiencePath(now, 0, issueNumber);
  const snapshot = await readRunSnapshot(base, issueNumber, [firstChoice]);
  const context = withSnapshot(base, snapshot);
  const farm = await readFarm(context);
  const row = findBinding(farm, issueNumber);
  const digest = createHash('sha256')
    .update(`${settings.event}\n${settings.message}`)
    .digest('hex')
    .slice(0, 12);
  const key =
    settings.key === undefined ? `journal-${context.run.id ?? 'local'}-${digest}` : `journal-${settings.key}`;
  const published = await context.publisher.publish({
    event: {
      type: settings.event,
      issue: issueNumber,
      key,
      at: now.toISOString(),
      repo: repoName,
      message: settings.message,
      ...(context.run.url === undefined ? {} : { runUrl: context.run.url }),
    },
    status: statusViewFromRow(issueNumber, repoName, row, now.toISOString()),
    // Bound or not, the mapping remembers the status comment: the same requests at any thread length.
    statusCommentId: findStatusCommentId(farm, issueNumber),
    secrets: context.secrets,
  });
  // A re-run (say, after the commit failed) rebuilds the same experience file from the first
  // publication's time: the commit then adds it if it is missing and changes nothing if it is there.
  const firstAt = published.alreadyPublished
    ? await publishedAt(context, published.commentId, snapshot.thread)
    : undefined;
  if (published.alreadyPublished)
    context.logger.info(`This step was journaled before: ${published.commentUrl}`);
  const at = firstAt ?? now;

  const content = renderExperienceFile({
    frontMatter: {
      issue: issueNumber,
      repo: repoName,
      session_id: row?.session_id ?? `run-${context.run.id ?? 'local'}`,
      event: settings.event,
      at: at.toISOString(),
      comment_url: published.commentUrl,
    },
    message: redactText(settings.message, { secrets: context.secrets }),
  });
  let path = '';
  const plan = async (read: (path: string) => Promise<string | undefined>) => {
    path = await freePath(read, at, issueNumber, content);
    return planFarmCommit({
      farmPath: context.farmPath,
      // The binding may have appeared or gone since we looked: decide on the head being committed to.
      mutation: (farm) => {
        const binding = findBinding(farm, issueNumber);
        // An issue without a sandbox keeps its status comment id in an unbound row.
        if (binding === undefined)
          return rememberStatusComment(issueNumber, published.statusCommentId, at)(farm);
        // The pointer only moves forward (names sort by time): commits may land out of order.
        return (binding.experience_file ?? '') > path
          ? farm
          : upsertBinding(
              issueNumber,
              { experience_file: path, status_comment_id: published.statusCommentId },
              at,
            )(farm);
      },
      files: [{ path, content }],
      message: `journal: issue #${issueNumber} ${settings.event}`,
    })(read);
  };
  // Naming the files the planner reads lets the commit backend read them with the head in one
  // request (the experience file's first-choice name is almost always free).
  await context.commits.commit(
    Object.assign(plan, { paths: [context.farmPath, experiencePath(at, 0, issueNumber)] }),
  );
  return result(published.commentUrl, path);

  function result(commentUrl: string, experienceFile: string): LifecycleResult {
    return {
      outputs: { 'comment-url': commentUrl, 'experience-file': experienceFile },
      report: {
        title: `Journal step for issue #${issueNumber}`,
        rows: [
          ['Event', settings.event],
          ['Comment', commentUrl],
          ['Experience file', experienceFile || '—'],
        ],
        notes: [],
      },
    };
  }
}

/** Experience files are never overwritten: on a name taken by other content, move on a millisecond. */
async function freePath(
  read: (path: string) => Promise<string | undefined>,
  at: Date,
  issue: number,
  content: string,
): Promise<string> {
  for (let offset = 0; offset < 1000; offset++) {
    const path = experiencePath(at, offset, issue);
    const existing = await read(path);
    if (existing === undefined || existing === content) return path;
  }
  throw new Error(`No free experience file name near ${at.toISOString()} for issue #${issue}.`);
}

function experiencePath(at: Date, offsetMs: number, issue: number): string {
  return `${EXPERIENCE_DIR}/${experienceFileName(new Date(at.getTime() + offsetMs), issue)}`;
}

/** The time in the event marker of an already published step, so its experience file is rebuilt exactly. */
async function publishedAt(
  context: LifecycleContext,
  commentId: number,
  thread: ThreadWindow | undefined,
): Promise<Date | undefined> {
  try {
    const seen = [...(thread?.first ?? []), ...(thread?.recent ?? [])].find((c) => c.id === commentId);
    const body =
      seen?.body ??
      (
        await context.octokit.rest.issues.getComment({
          owner: context.owner,
          repo: context.repo,
          comment_id: commentId,
        })
      ).data.body;
    const at = findEventMarker(body ?? '')?.at;
    return at === undefined || Number.isNaN(Date.parse(at)) ? undefined : new Date(at);
  } catch {
    return undefined;
  }
}
