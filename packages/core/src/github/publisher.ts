import { TRUSTED_AUTHOR_ASSOCIATIONS } from '../github-facts.js';
import type { JournalEvent } from '../journal/event.js';
import {
  RECENT_EVENTS_LIMIT,
  findEventKey,
  findStatusMarker,
  type RecentEvent,
  type StatusMarker,
} from '../journal/markers.js';
import { renderEventComment, renderStatusComment, type SandboxStatusView } from '../journal/render.js';
import { recentEventOf } from '../journal/timeline.js';
import type { Logger } from '../logger.js';
import type { ThreadWindow } from './issue-snapshot.js';
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
  /** What the status comment should show once the event is published (lastEvent is filled in). */
  status: Omit<SandboxStatusView, 'lastEvent' | 'recentEvents'>;
  /** The status comment's id as the mapping remembers it; undefined the first time. */
  statusCommentId: number | undefined;
  /** Values to redact from everything posted (tokens, variables' values). */
  secrets: readonly string[];
  /**
   * The thread's first and newest comments as the run's one read saw them, before this run posted
   * anything (so: the run's first publish only). With it, the status comment and the comments since
   * the last recorded event are usually read without a request.
   */
  thread?: ThreadWindow;
  /** Sandbox-state labels the repository has (lower-cased), when the run's one read knows them. */
  repositoryLabels?: ReadonlySet<string>;
}

export interface PublishResult {
  commentId: number;
  commentUrl: string;
  /** True when an earlier run had already posted this event's key: nothing was posted now. */
  alreadyPublished: boolean;
  statusCommentId: number;
}

export interface ThreadComment {
  id: number;
  html_url: string;
  body?: string | null;
  updated_at: string;
  user?: { type?: string } | null;
  author_association?: string;
}

/**
 * A comment POST that failed with a 5xx may still have created the comment; retrying it blindly
 * could post it twice. It fails instead, and the re-run finds the comment by its key.
 */
const noBlindRetry = { request: { retries: 0 } };

/**
 * Markers are honoured only in comments a bot or someone who can write to the repository
 * (TRUSTED_AUTHOR_ASSOCIATIONS) wrote. Anyone can comment on a public issue; a stranger who pasted
 * a status marker must not become the owner of the status comment, nor suppress real events by
 * listing their keys.
 */
export function isTrustedComment(comment: ThreadComment): boolean {
  return (
    comment.user?.type === 'Bot' ||
    (TRUSTED_AUTHOR_ASSOCIATIONS as readonly string[]).includes(comment.author_association ?? '')
  );
}

interface StatusComment {
  id: number;
  htmlUrl: string;
  body: string;
  updatedAt: string;
  marker: StatusMarker | undefined;
}

/**
 * Publishes journal events to an issue thread for a constant number of requests however long the
 * thread is. The status comment's id lives in the mapping, and its marker lists the latest events
 * published; so in the steady state an event costs four requests: read the status comment, list
 * only the comments written since it was last updated (where an event posted by a run that crashed
 * before updating the status would be), post the event unless its key is already known, and edit
 * the status comment. The whole thread is walked only when the status comment is unknown or was
 * deleted. Labels change only when the state does.
 */
export function createPublisher(options: PublisherOptions) {
  const { octokit, owner, repo, logger } = options;

  function toStatus(comment: ThreadComment): StatusComment {
    const body = comment.body ?? '';
    return {
      id: comment.id,
      htmlUrl: comment.html_url,
      body,
      updatedAt: comment.updated_at,
      marker: findStatusMarker(body),
    };
  }

  async function readStatusComment(id: number): Promise<StatusComment | undefined> {
    try {
      return toStatus((await octokit.rest.issues.getComment({ owner, repo, comment_id: id })).data);
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
    const window = request.thread;
    const windowComments =
      window === undefined ? [] : uniqueById([...window.first, ...window.recent]).filter(isTrustedComment);
    let status: StatusComment | undefined;
    if (request.statusCommentId !== undefined) {
      const seen = windowComments.find((comment) => comment.id === request.statusCommentId);
      status = seen === undefined ? await readStatusComment(request.statusCommentId) : toStatus(seen);
    }
    if (status === undefined && window?.whole === true) {
      const found = windowComments.find(
        (comment) => findStatusMarker(comment.body ?? '')?.issue === event.issue,
      );
      if (found !== undefined) status = toStatus(found);
    }
    let thread: ThreadComment[];
    if (window !== undefined && reachesLastRecorded(window, status)) {
      thread = windowComments;
    } else {
      thread = (
        await listComments(event.issue, status === undefined ? undefined : secondsBefore(status.updatedAt, 2))
      ).filter(isTrustedComment);
      if (status === undefined) {
        const found = thread.find((comment) => findStatusMarker(comment.body ?? '')?.issue === event.issue);
        if (found !== undefined) status = toStatus(found);
      }
    }

    const recentEvents = status?.marker?.recent_events ?? [];
    const known = recentEvents.find((entry) => entry.key === event.key);
    const inThread = thread.find((comment) => findEventKey(comment.body ?? '') === event.key);
    let comment: { id: number; html_url: string };
    if (inThread !== undefined) {
      comment = inThread;
    } else if (known !== undefined && status !== undefined) {
      comment = {
        id: known.comment_id,
        html_url: `${status.htmlUrl.split('#')[0]}#issuecomment-${known.comment_id}`,
      };
    } else {
      const body = renderEventComment(event, {
        secrets: request.secrets,
        point: {
          n: nextPoint(status?.marker, recentEvents),
          ...(status ? { statusUrl: status.htmlUrl } : {}),
        },
      });
      comment = (
        await octokit.rest.issues.createComment({
          ...noBlindRetry,
          owner,
          repo,
          issue_number: event.issue,
          body,
        })
      ).data;
      logger.info(`Posted ${event.type} to ${comment.html_url}`);
    }
    const alreadyPublished = inThread !== undefined || known !== undefined;
    if (alreadyPublished)
      logger.info(`Event ${event.type} (${event.key}) was already published: ${comment.html_url}`);

    const view = statusViewAfter(request.status, status?.marker, event, comment, status?.htmlUrl);
    let statusBody = renderStatusComment(view, { secrets: request.secrets });
    // A re-run that publishes nothing new leaves the status as it was, its time included: the same
    // view at the earlier time renders the same bytes, and no edit is made.
    const earlier = status?.marker?.updated_at;
    if (alreadyPublished && earlier !== undefined) {
      const unchanged = renderStatusComment({ ...view, updatedAt: earlier }, { secrets: request.secrets });
      if (unchanged === status?.body) statusBody = unchanged;
    }
    let statusCommentId: number;
    if (status === undefined) {
      statusCommentId = (
        await octokit.rest.issues.createComment({
          ...noBlindRetry,
          owner,
          repo,
          issue_number: event.issue,
          body: statusBody,
        })
      ).data.id;
    } else {
      statusCommentId = status.id;
      // Rendering is deterministic, so an unchanged status costs no edit (a re-run's common case).
      if (status.body !== statusBody) {
        await octokit.rest.issues.updateComment({ owner, repo, comment_id: status.id, body: statusBody });
      }
    }

    if (status?.marker?.state !== view.state) {
      await applyStateLabel(
        octokit,
        { owner, repo, issue: event.issue },
        view.state,
        request.repositoryLabels,
      );
    }
    return { commentId: comment.id, commentUrl: comment.html_url, alreadyPublished, statusCommentId };
  }

  return { publish };
}

export type Publisher = ReturnType<typeof createPublisher>;

/**
 * The status after publishing `event`. A new event is appended and becomes the last event. An
 * event already listed (a re-run's) keeps its place and its first time, so re-publishing it changes
 * nothing; the last event is then the newest listed one.
 */
function statusViewAfter(
  status: SandboxStatusView,
  marker: StatusMarker | undefined,
  event: JournalEvent,
  comment: { id: number; html_url: string },
  statusUrl: string | undefined,
): SandboxStatusView {
  const recentEvents = marker?.recent_events ?? [];
  const total = marker?.events_total ?? recentEvents.length;
  const known = recentEvents.find((entry) => entry.key === event.key);
  if (known === undefined || statusUrl === undefined) {
    // New here (or found only in the thread: a run that died before the status was updated, whose
    // comment already names this point).
    const point = nextPoint(marker, recentEvents);
    return {
      ...status,
      lastEvent: { type: event.type, at: event.at, commentUrl: comment.html_url },
      recentEvents: [
        ...recentEvents.filter((entry) => entry.key !== event.key),
        recentEventOf(event, comment.id, point),
      ].slice(-RECENT_EVENTS_LIMIT),
      eventsTotal: Math.max(total, point),
    };
  }
  const entries = recentEvents.map((entry) =>
    entry.key === event.key
      ? recentEventOf({ ...event, at: known.at ?? event.at }, comment.id, known.n)
      : entry,
  );
  const newest = entries.at(-1) ?? recentEventOf(event, comment.id);
  return {
    ...status,
    lastEvent: {
      type: newest.type ?? event.type,
      at: newest.at ?? event.at,
      commentUrl: `${statusUrl.split('#')[0]}#issuecomment-${newest.comment_id}`,
    },
    recentEvents: entries.slice(-RECENT_EVENTS_LIMIT),
    ...(marker?.events_total === undefined ? {} : { eventsTotal: marker.events_total }),
  };
}

/**
 * The point a new event takes in the issue's timeline: one after the last counted. Markers written
 * before the count existed have only their kept entries to go by.
 */
function nextPoint(marker: StatusMarker | undefined, recentEvents: readonly RecentEvent[]): number {
  return (marker?.events_total ?? recentEvents.length) + 1;
}

/**
 * Whether the window holds every comment written since the last event the status comment records:
 * where an event posted by a run that crashed before updating the status would be. The window is
 * in thread order, so finding that comment among the newest is enough (docs/design.md, "One read
 * per run"); when it is not there (a long discussion since, or someone deleted it), the thread is
 * listed from the status comment's last update, as without a window.
 */
function reachesLastRecorded(window: ThreadWindow, status: StatusComment | undefined): boolean {
  if (window.whole) return true;
  if (status === undefined) return false;
  const boundary = status.marker?.recent_events?.at(-1)?.comment_id ?? status.id;
  return window.recent.some((comment) => comment.id === boundary);
}

function uniqueById(comments: readonly ThreadComment[]): ThreadComment[] {
  return [...new Map(comments.map((comment) => [comment.id, comment])).values()];
}

/** GitHub's timestamps have one-second resolution; look a little further back to be safe. */
function secondsBefore(iso: string, seconds: number): string {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? iso : new Date(time - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
