import { planFarmCommit } from '../commit/farm-plan.js';
import type { CommitResult, FileChange } from '../commit/types.js';
import { findBinding } from '../farm/mapping.js';
import { compose, upsertBinding, type FarmMutation } from '../farm/mutations.js';
import type { PublishRequest, PublishResult } from '../github/publisher.js';
import type { JournalEvent } from '../journal/event.js';
import type { LifecycleContext } from './context.js';

export interface RecordRequest {
  /** Undefined: nothing to post (a deleted issue cannot take comments). */
  event: JournalEvent | undefined;
  status: PublishRequest['status'];
  statusCommentId: number | undefined;
  mutation: FarmMutation;
  files?: FileChange[];
  commitMessage: string;
}

/**
 * Tells the two other places what happened: the issue thread (event comment, status comment,
 * label) first, then one commit of the mapping, which also remembers the status comment's id so
 * the next event costs a constant number of requests. Posting first means a crash in between
 * leaves a comment and an old mapping, which the next run repairs (the event's key stops it being
 * posted twice); committing first would leave a mapping that claims an event nobody saw.
 */
export async function publishAndCommit(
  context: LifecycleContext,
  request: RecordRequest,
): Promise<{ published: PublishResult | undefined; commit: CommitResult }> {
  const published =
    request.event === undefined
      ? undefined
      : await context.publisher.publish({
          event: request.event,
          status: request.status,
          statusCommentId: request.statusCommentId,
          secrets: context.secrets,
        });
  const issue = request.status.issue;
  const rememberStatus: FarmMutation = (farm) =>
    published !== undefined &&
    findBinding(farm, issue) !== undefined &&
    findBinding(farm, issue)?.status_comment_id !== published.statusCommentId
      ? upsertBinding(issue, { status_comment_id: published.statusCommentId }, context.now())(farm)
      : farm;
  const commit = await context.commits.commit(
    planFarmCommit({
      farmPath: context.farmPath,
      mutation: compose(request.mutation, rememberStatus),
      ...(request.files === undefined ? {} : { files: request.files }),
      message: request.commitMessage,
    }),
  );
  if (commit.committed)
    context.logger.info(`Committed ${commit.paths.join(', ')} to ${commit.branch} (${commit.sha ?? ''}).`);
  return { published, commit };
}
