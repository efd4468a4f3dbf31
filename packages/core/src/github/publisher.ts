import type { JournalEvent } from '../journal/event.js';
import { findEventKey, findStatusMarker, type StatusMarker } from '../journal/markers.js';
import { renderEventComment, renderStatusComment, type SandboxStatusView } from '../journal/render.js';
import type { Logger } from '../logger.js';
import { applyStateLabel } from './labels.js';
import type { GitHubClient } from './octokit.js';
import { statusOf } from './status.js';

export interface PublisherOptions {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  logger: Logger;
}

export interface PublishRequest {
  event: JournalEvent;
  /** What the status comment should show once the event is published. */
  status: SandboxStatusView;
  /** The status comment's id as the mapping remembers it; undefined the first time. */
  statusCommentId: number | undefined;
  /** Values to redact from everything posted (tokens, variables' values). */
  secrets: readonly string[];
}

export interface PublishResult {
  commentId: number;
  commentUrl: string;
  /** True when an earlier run had already posted this event's key: nothing was posted now. */
  alreadyPublished: boolean;
  statusCommentId: number;
}

interface ThreadComment {
  id: number;
  html_url: string;
  body?: string | null;
  updated_at: string;
}

interface StatusComment {
  id: number;
  updatedAt: string;
  marker: StatusMarker | undefined;
}

/**
 * Publishes journal events to an issue thread for a constant number of requests however long the
 * thread is. In the steady state an event costs four: read the status comment by the id the
 * mapping keeps, list only the comments updated since that status was written (which contains any
 * event a crashed run posted without updating the status), post the event unless its key is
 * already there, and edit the status comment. Only when the id is unknown or the comment was
 * deleted does it walk the whole thread, once, to find or recreate it. Labels change only when the
 * state does.
 */
export function createPublisher(options: PublisherOptions) {
  const { octokit, owner, repo, logger } = options;

  async function readStatusComment(id: number): Promise<StatusComment | undefined> {
    try {
      const { data } = await octokit.rest.issues.getComment({ owner, repo, comment_id: id });
      return { id: data.id, updatedAt: data.updated_at, marker: findStatusMarker(data.body ?? '') };
    } catch (error) {
      if (statusOf(error) === 404) {
        logger.info(`The status comment ${id} is gone (deleted by someone); a new one will be created.`);
        return undefined;
      }
      throw error;
    }
  }

  async function listComments(issue: number, since: string | undefined): Promise<ThreadComment[]> {
    return octokit.paginate(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issue,
      per_page: 100,
      ...(since === undefined ? {} : { since }),
    });
  }

  async function publish(request: PublishRequest): Promise<PublishResult> {
    const { event } = request;
    let status = request.statusCommentId === undefined ? undefined : await readStatusComment(request.statusCommentId);
    // With a status comment, only comments touched since it was last written can hold the key.
    const recent = await listComments(event.issue, status?.updatedAt);
    if (status === undefined) {
      const found = recent.find((comment) => findStatusMarker(comment.body ?? '')?.issue === event.issue);
      if (found) status = { id: found.id, updatedAt: found.updated_at, marker: findStatusMarker(found.body ?? '') };
    }

    const existing = recent.find((comment) => findEventKey(comment.body ?? '') === event.key);
    let comment: { id: number; html_url: string };
    if (existing) {
      logger.info(`Event ${event.type} (${event.key}) is already in the thread: ${existing.html_url}`);
      comment = existing;
    } else {
      const body = renderEventComment(event, { secrets: request.secrets });
      comment = (await octokit.rest.issues.createComment({ owner, repo, issue_number: event.issue, body })).data;
      logger.info(`Posted ${event.type} to ${comment.html_url}`);
    }

    const statusView: SandboxStatusView = {
      ...request.status,
      lastEvent: { type: event.type, at: event.at, commentUrl: comment.html_url },
    };
    const statusBody = renderStatusComment(statusView, { secrets: request.secrets });
    let statusCommentId: number;
    if (status === undefined) {
      statusCommentId = (await octokit.rest.issues.createComment({ owner, repo, issue_number: event.issue, body: statusBody }))
        .data.id;
    } else {
      statusCommentId = status.id;
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: status.id, body: statusBody });
    }

    if (status?.marker?.state !== statusView.state) {
      await applyStateLabel(octokit, { owner, repo, issue: event.issue }, statusView.state);
    }
    return { commentId: comment.id, commentUrl: comment.html_url, alreadyPublished: existing !== undefined, statusCommentId };
  }

  return { publish };
}

export type Publisher = ReturnType<typeof createPublisher>;
