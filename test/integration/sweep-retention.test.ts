/**
 * The sweep keeps the mapping small: our rows of sandboxes destroyed more than
 * `retain-destroyed-days` ago are dropped in one commit (their history stays in git and the
 * threads); recent ones, Trinity's rows (even one this product marked destroyed) and pseudo-issue
 * rows are never touched. With nothing to drop, it costs no request.
 */
import {
  createRailwayAccounts,
  createRailwayClient,
  inputsFromRecord,
  parseFarm,
  readDestroySettings,
  sweepSandboxes,
  type LifecycleContext,
  type RailwayAccounts,
} from '@trinity/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRailwayEmulator, type RailwayEmulator } from '../emulators/railway/index.js';
import { lifecycleContext } from '../support/lifecycle-context.js';
import { REPO, startGitHub, type GitHubFixture } from '../support/github.js';
import { runContext } from '../support/settings-fixtures.js';

const FARM = '.trinity/railway_farm.json';
const NOW = Date.parse('2026-11-25T10:00:00Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

let gh: GitHubFixture;
let railway: RailwayEmulator;
let project: { projectId: string; environmentId: string };
beforeEach(async () => {
  gh = await startGitHub();
  railway = await startRailwayEmulator({ progression: 'manual' });
  project = railway.addProject({ name: 'sandboxes' });
  railway.addToken({ token: 'rw_account_1_token', kind: 'account' });
});
afterEach(async () => {
  await Promise.all([gh.emulator.close(), railway.close()]);
});

function context(): LifecycleContext {
  return lifecycleContext(gh, {
    now: () => new Date(NOW),
    farmPath: FARM,
  });
}

function accounts(): RailwayAccounts {
  return createRailwayAccounts([{ accountId: 1, token: 'rw_account_1_token', ...project }], (account) =>
    createRailwayClient({
      token: account.token,
      tokenKind: 'account',
      apiUrl: railway.url,
      logger: gh.logger,
    }),
  );
}

const ours = (issue: number, destroyedDaysAgo: number) =>
  JSON.stringify({
    issue,
    account_id: 1,
    service_id: `svc-${issue}`,
    status: 'destroyed',
    created_at: iso(NOW - (destroyedDaysAgo + 2) * DAY),
    updated_at: iso(NOW - destroyedDaysAgo * DAY),
    destroyed_at: iso(NOW - destroyedDaysAgo * DAY),
  });
const ROWS = [
  ours(1, 31), // dropped
  ours(2, 29), // kept: recent
  // Trinity's row, marked destroyed by this product long ago (no created_at): kept.
  JSON.stringify({
    issue: 3,
    account_id: 1,
    service_id: 'legacy-3',
    status: 'destroyed',
    updated_at: iso(NOW - 90 * DAY),
    destroyed_at: iso(NOW - 90 * DAY),
  }),
  // A pseudo-issue row (Trinity's training runs): kept.
  JSON.stringify({ issue: 2 ** 30 + 5, account_id: 1, service_id: 'run-x' }),
  // An unbound row untouched for 40 days: dropped; one used yesterday: kept.
  JSON.stringify({
    issue: 5,
    account_id: 0,
    service_id: '',
    status: 'none',
    status_comment_id: 11,
    created_at: iso(NOW - 60 * DAY),
    updated_at: iso(NOW - 40 * DAY),
  }),
  JSON.stringify({
    issue: 6,
    account_id: 0,
    service_id: '',
    status: 'none',
    status_comment_id: 12,
    created_at: iso(NOW - 60 * DAY),
    updated_at: iso(NOW - DAY),
  }),
];

async function seedFarm(rows: string[]): Promise<void> {
  await gh.octokit.rest.repos.createOrUpdateFileContents({
    owner: 'octo-org',
    repo: 'sandbox-demo',
    path: FARM,
    message: 'farm',
    content: Buffer.from(
      `{"version":2,"accounts":[\n  {"account_id":1,"alias":"primary","daily_creates":0,"active_services":0,"daily_reset_epoch":0}\n],"agent_map":[\n  ${rows.join(',\n  ')}\n]}\n`,
    ).toString('base64'),
  });
}

function issuesInFarm(): number[] {
  return parseFarm(gh.emulator.repo(REPO).readFile(FARM) ?? '', FARM).agent_map.map((r) => r.issue);
}

async function sweep(retainDestroyedDays?: number) {
  return sweepSandboxes(
    {
      ttlMs: undefined,
      archiveRoot: undefined,
      serviceName: 'issue-{issue}',
      ...(retainDestroyedDays === undefined ? {} : { retainDestroyedDays }),
    },
    context(),
    accounts(),
  );
}

describe('the sweep and retain-destroyed-days', () => {
  it('drops our rows destroyed (or unbound and untouched) over 30 days ago, in one commit', async () => {
    await seedFarm(ROWS);
    const commitsBefore = gh.emulator.repo(REPO).log().length;
    const result = await sweep();
    expect(issuesInFarm()).toEqual([2, 3, 2 ** 30 + 5, 6]);
    expect(gh.emulator.repo(REPO).log().length).toBe(commitsBefore + 1);
    expect(result.report.rows).toContainEqual([
      'Mapping',
      '2 rows of sandboxes destroyed more than 30 days ago dropped (their history stays in git and the issue threads)',
    ]);
    // The rows that stay are byte for byte what they were.
    const text = gh.emulator.repo(REPO).readFile(FARM) ?? '';
    for (const row of [ROWS[1], ROWS[2], ROWS[3], ROWS[5]]) expect(text).toContain(row);
  });

  it('keeps them all with a longer retention, and then costs no request for the mapping', async () => {
    await seedFarm(ROWS);
    gh.takeRequests();
    await sweep(100);
    expect(issuesInFarm()).toEqual([1, 2, 3, 2 ** 30 + 5, 5, 6]);
    // Reads only: GraphQL queries are POSTs too, but no mutation and no REST write went out.
    const farmWrites = gh
      .takeRequests()
      .filter((r) => r.method !== 'GET' && r.operationId !== 'graphql/query');
    expect(farmWrites).toEqual([]);
  });

  it('reads retain-destroyed-days from the action input: 30 by default, a whole number of days', () => {
    const read = (extra: Record<string, string>) =>
      readDestroySettings(
        inputsFromRecord({ 'github-token': 'g', 'railway-token': 'r', sweep: 'true', ...extra }),
        runContext(),
      );
    expect(read({}).retainDestroyedDays).toBe(30);
    expect(read({ 'retain-destroyed-days': '7' }).retainDestroyedDays).toBe(7);
    expect(() => read({ 'retain-destroyed-days': '7d' })).toThrow(
      'Input "retain-destroyed-days" is "7d"; use a whole number of 1 or more.',
    );
  });
});
