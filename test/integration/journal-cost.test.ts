/**
 * A journal step costs the same GitHub requests at any thread length, for a bound issue and for an
 * issue without a sandbox alike: the mapping remembers the status comment of both (an unbound issue
 * in an unbound row, `status` "none"), so no run walks the thread once the first one has.
 */
import {
  findBinding,
  findEventMarker,
  provisionSandbox,
  readProvisionSettings,
  findStatusCommentId,
  inputsFromRecord,
  journalStep,
  parseFarm,
  readJournalSettings,
  type LifecycleContext,
} from '@trinity/core';
import { describe, expect, it } from 'vitest';
import { startRailwayEmulator } from '../emulators/railway/index.js';
import { lifecycleContext } from '../support/lifecycle-context.js';
import { REPO, gitHubPerTest, type GitHubFixture } from '../support/github.js';
import { emulatorAccounts } from '../support/lifecycle-world.js';
import { runContext } from '../support/settings-fixtures.js';

const gh = gitHubPerTest();

const FARM = '.trinity/railway_farm.json';

function context(runId: string): LifecycleContext {
  return lifecycleContext(gh, {
    run: { id: runId, attempt: '1', url: undefined },
    farmPath: FARM,
  });
}

async function step(runId: string, message: string) {
  const settings = readJournalSettings(
    inputsFromRecord({ 'github-token': 'ghs_x', 'issue-number': '7', message }),
    runContext(),
  );
  return journalStep(settings, context(runId));
}

function farm() {
  const text = gh.emulator.repo(REPO).readFile(FARM);
  return text === undefined ? undefined : parseFarm(text, FARM);
}

/** GitHub requests the thread costs: reading comments (list) and the status comment (get). */
function threadRequests(requests: ReturnType<GitHubFixture['takeRequests']>) {
  return requests.filter((r) => r.operationId?.startsWith('issues/'));
}

describe('journal step of an issue without a sandbox', () => {
  it('remembers its status comment in an unbound row: at most 5 requests at 10 and 5,000 comments', async () => {
    gh.emulator.seedComments(REPO, 7, 10, (i) => `chatter ${i}`);
    gh.clock.advance(3_600_000);
    await step('1', 'first step');
    const row = farm()?.agent_map.find((r) => r.issue === 7);
    expect(row).toMatchObject({ issue: 7, account_id: 0, service_id: '', status: 'none' });
    expect(findStatusCommentId(farm() ?? { version: 2, accounts: [], agent_map: [] }, 7)).toBe(
      row?.status_comment_id,
    );
    const statusId = row?.status_comment_id;

    gh.clock.advance(3_600_000);
    gh.takeRequests();
    await step('2', 'second step');
    const atTen = gh.takeRequests().map((r) => r.operationId);

    // The thread grows to 5,000 comments between two steps: the next step reads what was written
    // since the last recorded event, once (a crashed run's event could be among them).
    gh.clock.advance(600_000);
    gh.emulator.seedComments(REPO, 7, 4_990, (i) => `more chatter ${i}`);
    gh.clock.advance(3_600_000);
    gh.takeRequests();
    await step('3', 'third step');
    const afterTheDiscussion = threadRequests(gh.takeRequests()).map((r) => r.operationId);
    gh.clock.advance(3_600_000);
    await step('4', 'fourth step');
    const atFiveThousand = gh.takeRequests().map((r) => r.operationId);

    // One read (the issue, its newest comments, the head, the farm and the experience file's name),
    // the event, the status, the commit.
    expect(atTen).toEqual([
      'graphql/query',
      'issues/create-comment',
      'issues/update-comment',
      'graphql/mutation',
    ]);
    // The status comment is now older than the comments the read sees: it is asked for by its id.
    expect(atFiveThousand).toEqual([
      'graphql/query',
      'issues/get-comment',
      'issues/create-comment',
      'issues/update-comment',
      'graphql/mutation',
    ]);
    expect(afterTheDiscussion.filter((op) => op === 'issues/list-comments')).toHaveLength(50);
    // The status comment is the same one; the row was written once and not again.
    expect(farm()?.agent_map.filter((r) => r.issue === 7)).toEqual([
      expect.objectContaining({ status: 'none', status_comment_id: statusId }),
    ]);
    expect(
      gh.emulator
        .repo(REPO)
        .comments(7)
        // Event comments only: the status comment's timeline picture names the step too.
        .filter((c) => c.body.includes('third step') && findEventMarker(c.body) !== undefined),
    ).toHaveLength(1);
  });
});

describe('provisioning an issue journaled before it had a sandbox', () => {
  it('uses the unbound row’s status comment and makes that row the binding: no walk of the thread', async () => {
    const railway = await startRailwayEmulator({ progression: 'manual' });
    try {
      const { projectId, environmentId } = railway.addProject({ name: 'sandboxes' });
      railway.addToken({ token: 'rw_token', kind: 'account' });
      gh.clock.advance(3_600_000);
      await step('1', 'planned the work');
      const statusId = farm()?.agent_map[0]?.status_comment_id;
      const now = gh.clock.now;
      gh.clock.now = now - 7_200_000;
      gh.emulator.seedComments(REPO, 7, 1_000, (i) => `discussion ${i}`);
      gh.clock.now = now + 3_600_000;
      gh.takeRequests();

      const accounts = emulatorAccounts(railway, gh.logger, [
        { token: 'rw_token', projectId, environmentId },
      ]);
      const settings = readProvisionSettings(
        inputsFromRecord({
          'github-token': 'ghs_x',
          'railway-token': 'rw_token',
          'issue-number': '7',
          image: 'ghcr.io/octo-org/app:1',
        }),
        runContext(),
      );
      await provisionSandbox(settings, context('2'), accounts, 'https://github.com');

      const listed = gh.takeRequests().filter((r) => r.operationId === 'issues/list-comments');
      expect(listed).toHaveLength(1);
      const rows = farm()?.agent_map.filter((r) => r.issue === 7) ?? [];
      expect(rows).toHaveLength(1);
      expect(findBinding(farm() ?? { version: 2, accounts: [], agent_map: [] }, 7)).toMatchObject({
        account_id: 1,
        status_comment_id: statusId,
      });
    } finally {
      await railway.close();
    }
  });
});
