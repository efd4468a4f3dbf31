/**
 * The GitHub half of a run's one read (docs/design.md, "One read per run"): the issue, the first and
 * the newest comments of its thread and which sandbox-state labels the repository has, as a
 * selection that the run's snapshot query puts next to the branch head and the farm file. Only
 * comments are read, never the whole thread: the status comment that provision creates is among the
 * first, and anything a crashed run left unrecorded is among the newest (github/publisher.ts).
 */
import type { IssueState } from './issue-state.js';
import { STATE_LABELS } from './labels.js';
import type { ThreadComment } from './publisher.js';

/** The thread's first comments read: provision posts the status comment second. */
export const FIRST_COMMENTS = 5;
/** The newest comments read: a journal step's own event, and whatever was said since the last one. */
export const RECENT_COMMENTS = 20;

/** What a run knows of its issue's thread without listing it. */
export interface ThreadWindow {
  /** The thread's first comments, oldest first. */
  first: ThreadComment[];
  /** Its newest comments, oldest first. */
  recent: ThreadComment[];
  /** True when `recent` starts at the thread's first comment: the window is the whole thread. */
  whole: boolean;
}

export interface IssueSnapshot {
  /** Undefined when GraphQL does not resolve the issue (missing, deleted, moved or a pull request). */
  issue: Extract<IssueState, { kind: 'open' | 'closed' | 'transferred' }> | undefined;
  locked: boolean;
  thread: ThreadWindow | undefined;
  /** Lower-cased names of the sandbox-state labels the repository already has. */
  repositoryLabels: ReadonlySet<string>;
}

const COMMENT_FIELDS = 'databaseId url body updatedAt authorAssociation author { __typename login }';

/** The fragment the selection spreads, to be appended to the query document. */
export const ISSUE_SNAPSHOT_FRAGMENTS = `fragment SnapshotComment on IssueComment { ${COMMENT_FIELDS} }`;

/** `$issue: Int!`, besides the query's `$owner` and `$name`. */
export const ISSUE_SNAPSHOT_VARIABLES = ['$issue: Int!'];

/** Fields inside `repository(owner:, name:) { … }`. */
export const ISSUE_SNAPSHOT_SELECTION =
  'issue(number: $issue) { number title url state locked authorAssociation author { login } ' +
  'repository { nameWithOwner } labels(first: 100) { nodes { name } } ' +
  `firstComments: comments(first: ${FIRST_COMMENTS}) { nodes { ...SnapshotComment } } ` +
  `recentComments: comments(last: ${RECENT_COMMENTS}) { pageInfo { hasPreviousPage } nodes { ...SnapshotComment } } } ` +
  // GitHub's label search matches anywhere in the name: every state label shares this opening.
  'stateLabels: labels(first: 20, query: "sandbox: ") { nodes { name } }';

interface CommentNode {
  databaseId: number | null;
  url: string;
  body: string;
  updatedAt: string;
  authorAssociation: string;
  author: { __typename: string; login: string } | null;
}

export interface IssueSnapshotAnswer {
  issue: {
    number: number;
    title: string;
    url: string;
    state: 'OPEN' | 'CLOSED';
    locked: boolean;
    authorAssociation: string;
    author: { login: string } | null;
    repository: { nameWithOwner: string };
    labels: { nodes: Array<{ name: string } | null> | null } | null;
    firstComments: { nodes: Array<CommentNode | null> | null } | null;
    recentComments: {
      pageInfo: { hasPreviousPage: boolean };
      nodes: Array<CommentNode | null> | null;
    } | null;
  } | null;
  stateLabels?: { nodes: Array<{ name: string } | null> | null } | null;
}

/** A GraphQL comment in the shape the publisher reads REST comments in. */
export function threadCommentOf(node: CommentNode): ThreadComment | undefined {
  if (node.databaseId === null) return undefined;
  return {
    id: node.databaseId,
    html_url: node.url,
    body: node.body,
    updated_at: node.updatedAt,
    user: node.author === null ? null : { type: node.author.__typename === 'Bot' ? 'Bot' : 'User' },
    author_association: node.authorAssociation,
  };
}

const comments = (nodes: Array<CommentNode | null> | null | undefined): ThreadComment[] =>
  (nodes ?? []).flatMap((node) => {
    const comment = node === null ? undefined : threadCommentOf(node);
    return comment === undefined ? [] : [comment];
  });

export function issueSnapshotOf(
  answer: IssueSnapshotAnswer | null | undefined,
  home: { owner: string; repo: string; issue: number },
): IssueSnapshot {
  const known = new Set(Object.values(STATE_LABELS).map((label) => label.name.toLowerCase()));
  const repositoryLabels = new Set(
    (answer?.stateLabels?.nodes ?? [])
      .map((node) => node?.name.toLowerCase() ?? '')
      .filter((name) => known.has(name)),
  );
  const issue = answer?.issue ?? null;
  if (issue === null) return { issue: undefined, locked: false, thread: undefined, repositoryLabels };
  const thread: ThreadWindow = {
    first: comments(issue.firstComments?.nodes),
    recent: comments(issue.recentComments?.nodes),
    whole: issue.recentComments?.pageInfo.hasPreviousPage === false,
  };
  if (issue.repository.nameWithOwner.toLowerCase() !== `${home.owner}/${home.repo}`.toLowerCase()) {
    return {
      issue: { kind: 'transferred', number: home.issue, htmlUrl: issue.url },
      locked: issue.locked,
      thread: undefined,
      repositoryLabels,
    };
  }
  return {
    issue: {
      kind: issue.state === 'CLOSED' ? 'closed' : 'open',
      number: issue.number,
      title: issue.title,
      htmlUrl: issue.url,
      author: issue.author?.login ?? 'ghost',
      authorAssociation: issue.authorAssociation,
      labels: (issue.labels?.nodes ?? []).map((node) => node?.name ?? '').filter((name) => name !== ''),
    },
    locked: issue.locked,
    thread,
    repositoryLabels,
  };
}
