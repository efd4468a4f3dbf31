import { planFarmCommit } from '../commit/farm-plan.js';
import type { CommitResult, FileChange } from '../commit/types.js';
import { findBinding } from '../farm/mapping.js';
import {
  compose,
  markDestroyed,
  recordDelete,
  rememberStatusComment,
  upsertBinding,
  type BindingFields,
  type FarmMutation,
} from '../farm/mutations.js';
import type { PublishRequest, PublishResult } from '../github/publisher.js';
import type { JournalEvent } from '../journal/event.js';
import type { LifecycleContext } from './context.js';

/**
 * Updates only the named fields of the issue's binding, and only if it is still the binding of
 * `serviceId`: a run that waited (a deployment can take minutes) must not write back a stale copy
 * of the row over what a journal step or a destroy recorded meanwhile, nor revive a destroyed one.
 */
export function updateBinding(
  issue: number,
  serviceId: string,
  fields: BindingFields,
  at: Date,
): FarmMutation {
  return (farm) =>
    findBinding(farm, issue)?.service_id === serviceId ? upsertBinding(issue, fields, at)(farm) : farm;
}

/**
 * Closes the binding of `serviceId` and frees its account's slot, once: if another run (the
 * destroy job and the sweep can meet) already closed it, re-applying this after a lost race
 * changes nothing, so the account's counter is not decremented twice.
 */
export function closeBinding(issue: number, serviceId: string, accountId: number, at: Date): FarmMutation {
  return (farm) =>
    findBinding(farm, issue)?.service_id === serviceId
      ? compose(markDestroyed(issue, at), recordDelete(accountId))(farm)
      : farm;
}

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
 * posted twice); committing first would leave a mapping that claims an event nobody saw. A thread
 * that refuses the post (a locked issue, a token without issues: write) does not cost the record:
 * the mapping is committed all the same, then the refusal is raised (docs/RELIABILITY.md).
 */
export async function publishAndCommit(
  context: LifecycleContext,
  request: RecordRequest,
): Promise<{ published: PublishResult | undefined; commit: CommitResult }> {
  let published: PublishResult | undefined;
  let refused: { error: unknown } | undefined;
  if (request.event !== undefined) {
    try {
      published = await context.publisher.publish({
        event: request.event,
        status: request.status,
        statusCommentId: request.statusCommentId,
        secrets: context.secrets,
      });
    } catch (error) {
      refused = { error };
    }
  }
  const issue = request.status.issue;
  // Changes nothing when the id is already recorded; an unbound issue keeps it in an unbound row.
  const rememberStatus: FarmMutation = (farm) =>
    published !== undefined
      ? rememberStatusComment(issue, published.statusCommentId, context.now())(farm)
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
  if (refused !== undefined) {
    if (commit.committed)
      context.logger.warning('The issue thread refused the update; the mapping was recorded all the same.');
    throw refused.error;
  }
  return { published, commit };
}
