/**
 * A run's one read (docs/design.md, "One read per run"): a single GraphQL query for the issue (state,
 * author, labels, locked), the first and newest comments of its thread, the repository's state
 * labels and, in the api commit mode, the branch head with the farm file and any other file the run
 * will commit. What the commit backend reads along is remembered there, so `readFarm` and the first
 * commit attempt cost nothing more; what the publisher needs of the thread travels in the snapshot.
 */
import { graphqlBudgetRefusal, graphqlErrorsOf } from '../commit/graphql-errors.js';
import type { ReadAlong } from '../commit/types.js';
import { readIssueState, type IssueState } from '../github/issue-state.js';
import {
  ISSUE_SNAPSHOT_FRAGMENTS,
  ISSUE_SNAPSHOT_SELECTION,
  ISSUE_SNAPSHOT_VARIABLES,
  issueSnapshotOf,
  type IssueSnapshot,
  type IssueSnapshotAnswer,
} from '../github/issue-snapshot.js';
import type { Publisher } from '../github/publisher.js';
import type { LifecycleContext } from './context.js';

export interface RunSnapshot extends Omit<IssueSnapshot, 'issue'> {
  issue: IssueState;
}

type SnapshotContext = Pick<LifecycleContext, 'octokit' | 'owner' | 'repo' | 'commits' | 'farmPath' | 'now'>;

/**
 * Reads the run's snapshot of `issue`; `alsoRead` names files besides the farm that the run's commit
 * will read. GraphQL answers `NOT_FOUND` for an issue that is missing, deleted, moved away or a pull
 * request alike: only then is the issue asked for over REST, whose answers tell those apart.
 */
export async function readRunSnapshot(
  context: SnapshotContext,
  issue: number,
  alsoRead: readonly string[] = [],
): Promise<RunSnapshot> {
  const along = context.commits.readAlong?.([context.farmPath, ...alsoRead]);
  const variables = [
    '$owner: String!',
    '$name: String!',
    ...ISSUE_SNAPSHOT_VARIABLES,
    ...(along?.variables ?? []),
  ];
  const document =
    `query RunSnapshot(${variables.join(', ')}) { repository(owner: $owner, name: $name) { ` +
    `${ISSUE_SNAPSHOT_SELECTION}${along === undefined ? '' : ` ${along.selection}`} } } ` +
    `${ISSUE_SNAPSHOT_FRAGMENTS}${along === undefined || along.fragments === '' ? '' : ` ${along.fragments}`}`;
  let answer: { repository: (IssueSnapshotAnswer & Record<string, unknown>) | null };
  try {
    answer = await context.octokit.graphql(document, {
      owner: context.owner,
      name: context.repo,
      issue,
      ...along?.values,
    });
  } catch (error) {
    const partial = issueNotFoundAnswer(error);
    if (partial === undefined) throw graphqlBudgetRefusal(error, context.now()) ?? error;
    answer = partial;
  }
  along?.accept(answer.repository);
  const snapshot = issueSnapshotOf(answer.repository, { owner: context.owner, repo: context.repo, issue });
  return {
    ...snapshot,
    issue:
      snapshot.issue ??
      (await readIssueState(context.octokit, { owner: context.owner, repo: context.repo, issue })),
  };
}

/**
 * The run's context with its publisher fed from the snapshot: the first publish on the issue gets the
 * thread window (later ones would see it stale: this run has posted since), every publish the
 * repository's state labels. Lifecycle code publishes as before and pays fewer requests.
 */
export function withSnapshot(context: LifecycleContext, snapshot: RunSnapshot): LifecycleContext {
  let windowFresh = snapshot.thread !== undefined;
  const publisher: Publisher = {
    publish(request) {
      const thread =
        windowFresh && request.event.issue === snapshot.issue.number ? snapshot.thread : undefined;
      if (request.event.issue === snapshot.issue.number) windowFresh = false;
      return context.publisher.publish({
        ...request,
        ...(thread === undefined ? {} : { thread }),
        repositoryLabels: request.repositoryLabels ?? snapshot.repositoryLabels,
      });
    },
  };
  return { ...context, publisher };
}

/** The query: the issue's part, and the commit backend's part when it reads along. */
export function runSnapshotDocument(
  along?: Pick<ReadAlong, 'variables' | 'selection' | 'fragments'>,
): string {
  const variables = [
    '$owner: String!',
    '$name: String!',
    ...ISSUE_SNAPSHOT_VARIABLES,
    ...(along?.variables ?? []),
  ];
  return (
    `query RunSnapshot(${variables.join(', ')}) { repository(owner: $owner, name: $name) { ` +
    `${ISSUE_SNAPSHOT_SELECTION}${along === undefined ? '' : ` ${along.selection}`} } } ` +
    `${ISSUE_SNAPSHOT_FRAGMENTS}${along === undefined || along.fragments === '' ? '' : ` ${along.fragments}`}`
  );
}

/**
 * The rest of the answer when the only error is the issue not resolving (`type: NOT_FOUND` at path
 * `repository.issue`; Octokit throws the answer with its `data`), undefined for any other failure.
 */
function issueNotFoundAnswer(
  error: unknown,
): { repository: (IssueSnapshotAnswer & Record<string, unknown>) | null } | undefined {
  const errors = graphqlErrorsOf(error) as Array<{ type?: string; path?: unknown[] }> | undefined;
  if (errors === undefined || errors.length === 0) return undefined;
  const onlyIssue = errors.every(
    (e) => e.type === 'NOT_FOUND' && e.path?.[0] === 'repository' && e.path[1] === 'issue',
  );
  const data = (error as { data?: unknown }).data as
    { repository?: (IssueSnapshotAnswer & Record<string, unknown>) | null } | undefined;
  return onlyIssue && data?.repository !== undefined ? { repository: data.repository } : undefined;
}
