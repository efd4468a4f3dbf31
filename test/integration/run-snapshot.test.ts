/**
 * A run's one read (docs/design.md, "One read per run"): one GraphQL query for the issue, its thread's
 * first and newest comments, the state labels, the head and the farm; the farm read and the first
 * commit attempt that follow cost nothing more, and an issue GraphQL does not resolve is told apart
 * over REST, whichever way GitHub answers for a transferred one.
 */
import {
  planFarmCommit,
  readFarm,
  readRunSnapshot,
  upsertBinding,
  type LifecycleContext,
  type RunSnapshot,
} from '@trinity/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO, TOKEN, startGitHub, type GitHubFixture } from '../support/github.js';
import { lifecycleContext } from '../support/lifecycle-context.js';

let gh: GitHubFixture;
let context: LifecycleContext;
beforeEach(async () => {
  gh = await startGitHub();
  context = lifecycleContext(gh);
});
afterEach(async () => {
  await gh.emulator.close();
});

const operations = () => gh.takeRequests().map((r) => r.operationId);

const bind = (serviceId: string) =>
  planFarmCommit({
    farmPath: context.farmPath,
    mutation: upsertBinding(
      7,
      { service_id: serviceId, account_id: 1, status: 'live' },
      new Date(gh.clock.now),
    ),
    files: [],
    message: `bind ${serviceId}`,
  });

describe('a run’s one read', () => {
  it('reads the issue, the thread’s ends, the labels, the head and the farm in one request of one point', async () => {
    gh.emulator.seedComments(REPO, 7, 30, (i) => `comment ${i}`);
    gh.takeRequests();
    const snapshot = await readRunSnapshot(context, 7);
    await readFarm(context);
    await context.commits.commit(bind('svc-1'));

    expect(snapshot.issue).toMatchObject({
      kind: 'open',
      number: 7,
      author: 'octocat',
      authorAssociation: 'OWNER',
    });
    expect(snapshot.thread?.first.map((c) => c.body)).toEqual([
      'comment 0',
      'comment 1',
      'comment 2',
      'comment 3',
      'comment 4',
    ]);
    expect(snapshot.thread?.recent).toHaveLength(20);
    expect(snapshot.thread?.recent.at(-1)?.body).toBe('comment 29');
    expect(snapshot.thread?.whole).toBe(false);
    const requests = gh.takeRequests();
    // The read, then the commit on top of the head it read: no second read of the head.
    expect(requests.map((r) => r.operationId)).toEqual(['graphql/query', 'graphql/mutation']);
    // GitHub's score: four connections of at most 100 nodes each, rounded down to the minimum of 1.
    expect(gh.emulator.graphqlPointsUsed(`token:${TOKEN}`)).toBe(2);
  });

  it('re-reads the head when the branch moved after the read, and lands the commit', async () => {
    const other = lifecycleContext(gh);
    await readRunSnapshot(context, 7);
    await other.commits.commit(bind('svc-other'));
    gh.takeRequests();
    const result = await context.commits.commit(bind('svc-mine'));
    expect(result.attempts).toBe(2);
    // The stale attempt, a fresh read, the commit.
    expect(operations()).toEqual(['graphql/mutation', 'graphql/query', 'graphql/mutation']);
    const farm = await readFarm(lifecycleContext(gh));
    expect(farm.agent_map.map((row) => row.service_id)).toEqual(['svc-mine']);
  });

  it('starts a run’s next commit from the commit it just made, and still lands it if the branch moved', async () => {
    await readRunSnapshot(context, 7);
    gh.takeRequests();
    await context.commits.commit(bind('svc-1'));
    await context.commits.commit(bind('svc-2'));
    // The second commit builds on the first one's oid and files: no read between the two.
    expect(operations()).toEqual(['graphql/mutation', 'graphql/mutation']);

    await lifecycleContext(gh).commits.commit(bind('svc-other'));
    gh.takeRequests();
    const third = await context.commits.commit(bind('svc-3'));
    expect(third.attempts).toBe(2);
    expect(operations()).toEqual(['graphql/mutation', 'graphql/query', 'graphql/mutation']);
    expect((await readFarm(lifecycleContext(gh))).agent_map.map((row) => row.service_id)).toEqual(['svc-3']);
  });

  it('asks REST about an issue GraphQL does not resolve: deleted, missing', async () => {
    gh.emulator.deleteIssue(REPO, 7);
    gh.takeRequests();
    expect((await readRunSnapshot(context, 7)).issue).toEqual({ kind: 'deleted', number: 7 });
    expect(operations()).toEqual(['graphql/query', 'issues/get']);
    expect((await readRunSnapshot(context, 4242)).issue).toEqual({ kind: 'missing', number: 4242 });
  });

  it.each(['resolves', 'not_found'] as const)(
    'sees a transferred issue as moved when GraphQL %s',
    async (answer) => {
      gh.emulator.setGraphQLTransferredIssue(answer);
      gh.emulator.createRepo('octo-org/elsewhere', { files: { 'README.md': '#\n' } });
      gh.emulator.transferIssue(REPO, 7, 'octo-org/elsewhere');
      gh.takeRequests();
      const snapshot = await readRunSnapshot(context, 7);
      expect(snapshot.issue).toMatchObject({ kind: 'transferred', number: 7 });
      expect(snapshot.thread).toBeUndefined();
      expect(operations()).toEqual(
        answer === 'resolves'
          ? ['graphql/query']
          : // REST answers 301 and the client follows it to the issue's new home.
            ['graphql/query', 'issues/get', 'issues/get'],
      );
    },
  );

  it('knows which state labels the repository has, so an existing one is not created again', async () => {
    const publish = (key: string, state: 'live' | 'failed', snapshot: RunSnapshot) =>
      context.publisher.publish({
        event: {
          type: 'sandbox_created',
          issue: 7,
          key,
          at: new Date(gh.clock.now).toISOString(),
          repo: REPO,
          message: '',
        },
        status: { issue: 7, repo: REPO, state, updatedAt: new Date(gh.clock.now).toISOString() },
        statusCommentId: undefined,
        secrets: [],
        repositoryLabels: snapshot.repositoryLabels,
        ...(snapshot.thread === undefined ? {} : { thread: snapshot.thread }),
      });
    const first = await readRunSnapshot(context, 7);
    expect(first.repositoryLabels.size).toBe(0);
    await publish('k1', 'live', first);
    await gh.octokit.rest.issues.createLabel({
      owner: 'octo-org',
      repo: 'sandbox-demo',
      name: 'sandbox: failed',
    });
    const again = await readRunSnapshot(context, 7);
    expect([...again.repositoryLabels].sort()).toEqual(['sandbox: failed', 'sandbox: live']);
    gh.takeRequests();
    // The state changes to one whose label the repository has: it is added, not created.
    await publish('k2', 'failed', again);
    expect(operations()).toEqual([
      'issues/create-comment',
      'issues/update-comment',
      'issues/add-labels',
      'issues/remove-label',
    ]);
  });
});
