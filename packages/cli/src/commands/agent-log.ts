import {
  UserError,
  parseIssueReference,
  isTrustedComment,
  type ThreadComment as CoreThreadComment,
  parseMarkers,
  readCurrentIssue,
  renderTimeline,
  timelineTitle,
  type EventMarker,
  type StatusMarker,
  type TimelineEvent,
} from '@trinity/core';
import { JSON_OPTION, REPO_OPTION, type CommandSpec } from '../command.js';
import { githubClient, gitOf, readToken, workingCopyRoot } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { asUserError } from '../github-errors.js';
import { issueIn, resolveRepo, splitRepo } from '../repository.js';

export interface TimelineEntry {
  at: string;
  type: string;
  key: string;
  comment_id: number;
  comment_url: string;
}

type ThreadComment = CoreThreadComment;

/**
 * The journal of an issue rebuilt from its thread: every `trinity:event` marker about the issue,
 * ordered by the event's time (thread order among equal times), plus the latest status marker.
 * Comments without a marker, and markers of other issues quoted in the thread, are skipped.
 */
export function rebuildTimeline(
  comments: readonly ThreadComment[],
  issue: number,
): { events: TimelineEntry[]; status: StatusMarker | null; picture: TimelineEvent[] } {
  const events: Array<TimelineEntry & { drawn: TimelineEvent }> = [];
  let status: StatusMarker | null = null;
  for (const comment of comments) {
    // A stranger's pasted marker is not part of the journal.
    if (!isTrustedComment(comment)) continue;
    for (const parsed of parseMarkers(comment.body ?? '')) {
      if (parsed.marker.issue !== issue) continue;
      if (parsed.kind === 'status') {
        status = parsed.marker;
        continue;
      }
      const { at, type, key } = parsed.marker;
      const drawn = pictured(parsed.marker, comment);
      events.push({ at, type, key, comment_id: comment.id, comment_url: comment.html_url, drawn });
      break; // one event per comment: the first marker is the comment's own
    }
  }
  const order = (value: string) => {
    const time = Date.parse(value);
    return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
  };
  events.sort((a, b) => order(a.at) - order(b.at));
  return {
    events: events.map(({ drawn: _drawn, ...entry }) => entry),
    status,
    picture: events.map((entry) => entry.drawn),
  };
}

/**
 * An event as the timeline picture draws it, the same as the status comment's picture: a step's
 * title is its comment's headline (`📝 [STEP] …`, already made safe when it was posted), shortened
 * like the status marker's.
 */
function pictured(marker: EventMarker, comment: ThreadComment): TimelineEvent {
  const headline =
    marker.type === 'step_completed' ? /\n\S+ \[STEP\] ([^\n]*)/.exec(comment.body ?? '')?.[1] : undefined;
  const title = headline === 'Step completed' ? undefined : timelineTitle(headline);
  return {
    type: marker.type,
    at: marker.at,
    commentId: comment.id,
    ...(marker.deployment_id === undefined ? {} : { deploymentId: marker.deployment_id }),
    ...(title === undefined ? {} : { title }),
    ...(marker.n === undefined ? {} : { n: marker.n }),
  };
}

export const agentLog: CommandSpec = {
  path: ['agent', 'log'],
  summary: 'Rebuild an issue’s journal from its thread',
  synopsis: '[--repo owner/name] [--json | --mermaid] [issue]',
  description:
    'Reads every comment of the issue (all pages) and lists the trinity:event markers: time, type,\n' +
    'key and comment URL. The issue defaults to the linked one (and its repository). Needs a token.\n' +
    'With --mermaid it prints the timeline picture the status comment shows instead (Markdown with a\n' +
    'Mermaid block: the last 20 events and links to their comments).',
  options: {
    repo: REPO_OPTION,
    json: JSON_OPTION,
    mermaid: {
      type: 'boolean',
      description: 'Print the timeline as the status comment draws it: a ```mermaid block and its links.',
    },
  },
  positionals: { min: 0, max: 1, name: '[issue]' },
  examples: ['tri agent log', 'tri agent log 506 --repo octo-org/app --json', 'tri agent log --mermaid'],
  async run(invocation) {
    const { env, io, values, positionals } = invocation;
    if (values.json === true && values.mermaid === true)
      throw new UserError('`tri agent log` prints either --json or --mermaid; choose one.');
    const root = await workingCopyRoot(env);
    const flag = typeof values.repo === 'string' ? values.repo : undefined;
    let issue: number;
    let repo: string;
    if (positionals[0] === undefined) {
      const linked = await readCurrentIssue(root);
      if (linked === undefined) {
        throw new UserError(
          'No issue given and nothing is linked: run `tri agent log <issue>` or `tri agent link <issue>`.',
        );
      }
      issue = linked.issue_number;
      repo =
        flag === undefined ? linked.repo : await resolveRepo({ flag, env: env.env, git: gitOf(env), root });
    } else {
      const reference = parseIssueReference(positionals[0]);
      repo = await resolveRepo({ flag, env: env.env, git: gitOf(env), root });
      issue = issueIn(reference, repo);
    }
    const token = readToken(env, io);
    if (token === undefined) {
      throw new UserError(
        '`tri agent log` reads the issue thread from GitHub: set GITHUB_TOKEN or GH_TOKEN.',
      );
    }
    const octokit = githubClient(env, io, token);
    let comments: ThreadComment[];
    try {
      comments = await octokit.paginate(octokit.rest.issues.listComments, {
        ...splitRepo(repo),
        issue_number: issue,
        per_page: 100,
      });
    } catch (error) {
      throw asUserError(error, `${repo}#${issue}`);
    }
    const { events, status, picture } = rebuildTimeline(comments, issue);
    if (values.mermaid === true) {
      const threadUrl = events[0]?.comment_url.split('#')[0];
      const markdown = renderTimeline(picture, threadUrl === undefined ? {} : { threadUrl });
      io.say(markdown === '' ? `No journal events in ${repo}#${issue} to draw.` : markdown);
      return EXIT.ok;
    }
    if (events.length === 0)
      io.say(`No journal events in ${repo}#${issue} (${comments.length} comments read).`);
    for (const entry of events)
      io.say(`${entry.at}  ${entry.type.padEnd(20)}  ${entry.key}  ${entry.comment_url}`);
    if (status !== null) io.say(`Status: ${status.state} (updated ${status.updated_at})`);
    io.data({ repo, issue, comments_read: comments.length, events, status });
    return EXIT.ok;
  },
};
