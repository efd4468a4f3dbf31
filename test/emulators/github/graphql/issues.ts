/**
 * Issues, their comments and labels in GitHub's GraphQL graph, over the same state as the REST
 * routes (README: behaviour → source). Connections page the way GitHub's do: `first` or `last`
 * (1–100) is required, cursors are opaque, `before`/`after` page from them.
 */
import { nodeId, type Comment, type Issue, type Repo, type State } from '../repo-state.js';
import { GitHubGraphQLError } from './errors.js';

type Node = Record<string, unknown>;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  before?: string | null;
  after?: string | null;
}

const cursorOf = (index: number): string => Buffer.from(`cursor:v2:${index}`).toString('base64');

function indexOf(cursor: string): number {
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (match === null)
    throw new GitHubGraphQLError(
      'INVALID_CURSOR_ARGUMENTS',
      `\`${cursor}\` does not appear to be a valid cursor.`,
    );
  return Number(match[1]);
}

/**
 * A GitHub connection over `items` (oldest first). GitHub refuses a connection without `first` or
 * `last` (`MISSING_PAGINATION_BOUNDARIES`) and one asking for more than 100 (`EXCESSIVE_PAGINATION`).
 */
export function connection<T>(
  field: string,
  items: readonly T[],
  args: ConnectionArgs,
  toNode: (item: T) => Node,
): Node {
  const { first, last } = args;
  if ((first ?? undefined) === undefined && (last ?? undefined) === undefined) {
    throw new GitHubGraphQLError(
      'MISSING_PAGINATION_BOUNDARIES',
      `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`,
    );
  }
  for (const [name, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (typeof value === 'number' && (value < 0 || value > 100)) {
      throw new GitHubGraphQLError(
        'EXCESSIVE_PAGINATION',
        `Requesting ${value} records on the \`${field}\` connection exceeds the \`${name}\` limit of 100 records.`,
      );
    }
  }
  let start = args.after ? indexOf(args.after) + 1 : 0;
  let end = args.before ? indexOf(args.before) : items.length;
  start = Math.max(0, Math.min(start, items.length));
  end = Math.max(start, Math.min(end, items.length));
  if (typeof first === 'number') end = Math.min(end, start + first);
  if (typeof last === 'number') start = Math.max(start, end - last);
  const page = items.slice(start, end);
  return {
    totalCount: items.length,
    nodes: page.map(toNode),
    edges: page.map((item, i) => ({ cursor: cursorOf(start + i), node: toNode(item) })),
    pageInfo: {
      hasPreviousPage: start > 0,
      hasNextPage: end < items.length,
      startCursor: page.length === 0 ? null : cursorOf(start),
      endCursor: page.length === 0 ? null : cursorOf(end - 1),
    },
  };
}

function actorNode(state: State, login: string): Node {
  const user = state.user(login);
  return {
    __typename: user.type === 'Bot' ? 'Bot' : 'User',
    login: user.login,
    url: `https://github.com/${user.login}`,
  };
}

function commentNode(state: State, repo: Repo, comment: Comment): Node {
  return {
    __typename: 'IssueComment',
    id: nodeId('IC', comment.id),
    databaseId: comment.id,
    fullDatabaseId: String(comment.id),
    url: `https://github.com/${repo.fullName}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    createdAt: new Date(comment.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    updatedAt: new Date(comment.updatedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    authorAssociation: comment.authorAssociation,
    author: actorNode(state, comment.user),
  };
}

function labelNode(repo: Repo, name: string): Node {
  const label = repo.labels.get(name.toLowerCase());
  return {
    __typename: 'Label',
    id: nodeId('LA', label?.id ?? name),
    name: label?.name ?? name,
    color: label?.color ?? 'ededed',
    description: label?.description ?? null,
  };
}

function issueNode(state: State, repo: Repo, issue: Issue): Node {
  const comments = () =>
    [...repo.comments.values()].filter((c) => c.issueNumber === issue.number).sort((a, b) => a.id - b.id);
  return {
    __typename: 'Issue',
    id: nodeId('I', issue.id),
    databaseId: issue.id,
    number: issue.number,
    title: issue.title,
    body: issue.body ?? '',
    url: `https://github.com/${repo.fullName}/issues/${issue.number}`,
    state: issue.state === 'closed' ? 'CLOSED' : 'OPEN',
    closed: issue.state === 'closed',
    locked: (issue as Issue & { locked?: boolean }).locked === true,
    authorAssociation: issue.authorAssociation,
    author: actorNode(state, issue.user),
    repository: { __typename: 'Repository', nameWithOwner: repo.fullName, name: repo.name },
    labels: (args: ConnectionArgs) =>
      connection('labels', issue.labels, args, (name) => labelNode(repo, name)),
    comments: (args: ConnectionArgs) =>
      connection('comments', comments(), args, (comment) => commentNode(state, repo, comment)),
  };
}

/**
 * `repository.issue(number:)`. A number that is no issue here (unknown, deleted) is `NOT_FOUND`,
 * `Could not resolve to an Issue with the number of N.`, as `gh` prints it. What GraphQL answers for
 * an issue transferred away is not documented: `state.graphqlTransferredIssue` answers either way
 * (the issue in its new repository, or `NOT_FOUND`), and the product is tested against both.
 */
export function resolveIssue(state: State, repo: Repo, number: number): Node {
  const issue = repo.issues.get(number);
  const notFound = () => {
    throw new GitHubGraphQLError('NOT_FOUND', `Could not resolve to an Issue with the number of ${number}.`);
  };
  if (issue === undefined || issue.deleted) return notFound();
  if (issue.transferredTo !== undefined) {
    const target = state.repoById(issue.transferredTo.repoId);
    const moved = target?.issues.get(issue.transferredTo.number);
    if (state.graphqlTransferredIssue === 'not_found' || target === undefined || moved === undefined)
      return notFound();
    return issueNode(state, target, moved);
  }
  return issueNode(state, repo, issue);
}

/** `repository.labels(first:, query:)`: the repository's labels whose name contains `query`. */
export function repositoryLabels(repo: Repo, args: ConnectionArgs & { query?: string | null }): Node {
  const query = (args.query ?? '').toLowerCase();
  const names = [...repo.labels.values()]
    .filter((label) => label.name.toLowerCase().includes(query))
    .map((label) => label.name)
    .sort((a, b) => a.localeCompare(b));
  return connection('labels', names, args, (name) => labelNode(repo, name));
}
