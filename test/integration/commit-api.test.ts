import { describe, expect, it } from 'vitest';
import {
  createApiCommitBackend,
  createGitHubClient,
  createRecordingLogger,
  getMapping,
  parseFarm,
  type GitHubClient,
} from '@trinity/core';
import {
  bindIssue,
  createBarrier,
  FARM_PATH,
  holdFirstCommitMutation,
  LEGACY_SPEC_FILE,
  race,
} from '../support/commit-fixtures.js';
import { REPO, TOKEN, gitHubPerTest } from '../support/github.js';

const gh = gitHubPerTest();

function backend(branch?: string, raceOptions = race, instrument?: (octokit: GitHubClient) => void) {
  // One client per writer, as separate workflow runs would have.
  const logger = createRecordingLogger();
  const octokit = createGitHubClient({
    token: TOKEN,
    baseUrl: gh.emulator.url,
    logger,
    timeBaseMs: 1,
    writeIntervalMs: 0,
  });
  instrument?.(octokit);
  return createApiCommitBackend({
    octokit,
    owner: 'octo-org',
    repo: 'sandbox-demo',
    branch,
    logger,
    race: raceOptions,
  });
}

/** Pauses of the race loop take no time: the emulator's lag counts reads. */
const noWait = { ...race, sleep: () => Promise.resolve() };

/** What the commit-back asked of GitHub: GraphQL operations and REST operation ids, in order. */
const asked = () => gh.takeRequests().map((r) => r.operationId);

describe('createCommitOnBranch commit-back against the GitHub emulator', () => {
  it('makes one signed commit for the farm and the new files, on the default branch, in 2 requests', async () => {
    const before = gh.emulator.repo(REPO).headSha();
    asked();
    const result = await backend().commit(bindIssue(7));
    // One query (head, farm, experience file), one mutation: nothing else per attempt.
    expect(asked()).toEqual(['graphql/query', 'graphql/mutation']);
    expect(gh.emulator.isVerified(REPO, result.sha ?? '')).toBe(true);

    const repo = gh.emulator.repo(REPO);
    expect(result).toMatchObject({ committed: true, branch: 'main', attempts: 1 });
    expect(repo.log()[0]).toMatchObject({
      sha: result.sha,
      message: 'Bind issue #7 to its sandbox',
      parents: [before],
    });
    expect(
      getMapping(parseFarm(repo.readFile(FARM_PATH) ?? '', FARM_PATH), 7, FARM_PATH).railway_service_id,
    ).toBe('svc-7');
    expect(repo.readFile('.trinity/experience/20261125T000000000Z_7.md')).toBe('step for 7\n');
    expect(repo.readFile('README.md')).toBe('# demo\n');
  });

  it('commits nothing when the branch already says it', async () => {
    await backend().commit(bindIssue(7));
    const head = gh.emulator.repo(REPO).headSha();
    asked();
    const again = await backend().commit(bindIssue(7));
    expect(again).toMatchObject({ committed: false });
    expect(asked()).toEqual(['graphql/query']);
    expect(gh.emulator.repo(REPO).headSha()).toBe(head);
  });

  it('concurrent writers on different issues: all land, legacy rows kept, the losers re-plan', async () => {
    const writerCount = 5;
    await backend().commit(() =>
      Promise.resolve({
        files: [{ path: FARM_PATH, content: LEGACY_SPEC_FILE }],
        message: 'legacy farm',
      }),
    );
    // Each writer reads the same head, then holds its first commit at the barrier: one commit wins
    // that round, the others get GitHub's STALE_DATA and must re-read and re-apply.
    const arrive = createBarrier(writerCount);
    const results = await Promise.all(
      Array.from({ length: writerCount }, (_, i) =>
        backend('main', race, (octokit) => holdFirstCommitMutation(octokit, arrive)).commit(
          bindIssue(100 + i),
        ),
      ),
    );

    const repo = gh.emulator.repo(REPO);
    const farm = parseFarm(repo.readFile(FARM_PATH) ?? '', FARM_PATH);
    for (let i = 0; i < writerCount; i++) {
      expect(getMapping(farm, 100 + i, FARM_PATH).railway_service_id).toBe(`svc-${100 + i}`);
    }
    expect(getMapping(farm, 506, FARM_PATH).railway_service_id).toBe('5c3f29ff-b38b-47fd-8471-f1209ebda5e4');
    expect(farm.agent_map.find((row) => row.issue === 2026198461)).toBeDefined();
    expect(farm.agent_map).toHaveLength(2 + writerCount);
    expect(repo.log().length).toBe(1 + 1 + writerCount);
    expect(results.filter((r) => r.attempts === 1)).toHaveLength(1);
    // Every attempt cost exactly one query and one mutation; the mutations beyond the winners'
    // were refused as STALE_DATA, never forced.
    const attempts = results.reduce((sum, r) => sum + r.attempts, 0);
    const requests = gh.emulator.requests.slice(-2 * attempts).map((r) => r.operationId);
    expect(requests.filter((id) => id === 'graphql/query')).toHaveLength(attempts);
    expect(requests.filter((id) => id === 'graphql/mutation')).toHaveLength(attempts);
    expect(attempts).toBeGreaterThanOrEqual(writerCount + (writerCount - 1));
  });

  it('refuses to replace a corrupt farm on the branch', async () => {
    await backend().commit(() =>
      Promise.resolve({
        files: [{ path: FARM_PATH, content: '{"accounts":[' }],
        message: 'broken',
      }),
    );
    const head = gh.emulator.repo(REPO).headSha();
    await expect(backend().commit(bindIssue(7))).rejects.toThrow(/railway_farm\.json.*line 1/);
    expect(gh.emulator.repo(REPO).headSha()).toBe(head);
  });

  it('explains a farm-branch that does not exist', async () => {
    await expect(backend('no-such-branch').commit(bindIssue(7))).rejects.toThrow(
      /branch "no-such-branch" does not exist/,
    );
  });

  it('tells a protected branch from a lost race, and stops at once', async () => {
    gh.emulator.protectBranch(REPO, 'main');
    const head = gh.emulator.repo(REPO).headSha();
    await expect(backend().commit(bindIssue(7))).rejects.toThrow(/branch is protected.*Set farm-branch/);
    expect(gh.emulator.requests.filter((r) => r.operationId === 'graphql/mutation')).toHaveLength(1);
    expect(gh.emulator.repo(REPO).headSha()).toBe(head);
  });

  it('reads as lost a STALE_DATA answer after a lagging head read, and retries on a fresh read', async () => {
    // Each lagging read names a head GitHub no longer has: STALE_DATA, re-read, re-plan.
    gh.emulator.lagRefReads(REPO, 2);
    await backend().commit(bindIssue(8));
    const result = await backend(undefined, noWait).commit(bindIssue(7));
    expect(result).toMatchObject({ committed: true, attempts: 3 });
    const farm = parseFarm(gh.emulator.repo(REPO).readFile(FARM_PATH) ?? '', FARM_PATH);
    expect([
      getMapping(farm, 7, FARM_PATH).railway_service_id,
      getMapping(farm, 8, FARM_PATH).railway_service_id,
    ]).toEqual(['svc-7', 'svc-8']);
  });

  it('concludes "protected" from classic protection\'s BRANCH_PROTECTION_RULE_VIOLATION, without retrying', async () => {
    gh.emulator.protectBranch(REPO, 'main');
    await expect(backend(undefined, noWait).commit(bindIssue(7))).rejects.toThrow(
      /branch is protected or a ruleset applies \(BRANCH_PROTECTION_RULE_VIOLATION: ".+"\).*Set farm-branch/,
    );
    expect(gh.emulator.requests.filter((r) => r.operationId === 'graphql/mutation')).toHaveLength(1);
  });

  it.each(['UNPROCESSABLE', 'BRANCH_PROTECTION_RULE_VIOLATION'] as const)(
    'concludes "protected" from a ruleset refusal typed %s, without retrying',
    async (type) => {
      gh.emulator.setGraphQLRuleViolationType(type);
      gh.emulator.addBranchRule(REPO, 'main', 'pull_request');
      await expect(backend(undefined, noWait).commit(bindIssue(7))).rejects.toThrow(
        new RegExp(
          `branch is protected or a ruleset applies \\(${type}: "Repository rule violations found Changes must be made through a pull request\\."\\)`,
        ),
      );
      expect(gh.emulator.requests.filter((r) => r.operationId === 'graphql/mutation')).toHaveLength(1);
    },
  );

  it('makes commits GitHub signs, which a signed-commits rule accepts', async () => {
    gh.emulator.addBranchRule(REPO, 'main', 'signed_commits');
    const result = await backend(undefined, noWait).commit(bindIssue(7));
    expect(result).toMatchObject({ committed: true, attempts: 1 });
    expect(gh.emulator.isVerified(REPO, result.sha ?? '')).toBe(true);
  });

  it('reads a farm GraphQL truncates (isTruncated) through the Git blobs API, once per blob', async () => {
    gh.emulator.setGraphQLBlobTextLimit(1024 * 1024);
    {
      await backend().commit(bindIssue(7));
      const text = gh.emulator.repo(REPO).readFile(FARM_PATH) ?? '';
      const padded = text.replace(/\n$/, `${' '.repeat(1024 * 1024)}\n`);
      await backend().commit(() =>
        Promise.resolve({
          message: 'Pad the farm',
          files: [{ path: FARM_PATH, content: padded }],
        }),
      );
      const reader = backend();
      asked();
      const read = await reader.read(FARM_PATH);
      expect(read).toBe(padded);
      expect(getMapping(parseFarm(read ?? '', FARM_PATH), 7, FARM_PATH).railway_service_id).toBe('svc-7');
      await reader.commit(bindIssue(9));
      expect(gh.emulator.repo(REPO).readFile(FARM_PATH)).toContain('svc-9');
      // The truncated blob is fetched once: the commit's head is the one just read.
      expect(asked()).toEqual(['graphql/query', 'git/get-blob', 'graphql/query', 'graphql/mutation']);
    }
  });

  it('reads what a journal step needs in one query and commits in one mutation (2 requests per attempt)', async () => {
    const writer = backend();
    await writer.commit(bindIssue(7));
    asked();
    // As a lifecycle run does: read the farm, then commit a change planned on it.
    await writer.read(FARM_PATH);
    expect(asked()).toEqual(['graphql/query']);
    await writer.commit(bindIssue(8));
    expect(asked()).toEqual(['graphql/query', 'graphql/mutation']);
    // A lost race costs one more query and one more mutation, nothing else.
    const arrive = createBarrier(2);
    const [a, b] = [
      backend('main', noWait, (o) => holdFirstCommitMutation(o, arrive)),
      backend('main', noWait, (o) => holdFirstCommitMutation(o, arrive)),
    ];
    const results = await Promise.all([a.commit(bindIssue(20)), b.commit(bindIssue(21))]);
    expect(results.map((r) => r.attempts).sort()).toEqual([1, 2]);
    const requests = asked();
    expect(requests.filter((id) => id === 'graphql/query')).toHaveLength(3);
    expect(requests.filter((id) => id === 'graphql/mutation')).toHaveLength(3);
    expect(requests).toHaveLength(6);
  });
});

describe('the GraphQL points budget', () => {
  it('a spent budget (200, RATE_LIMITED) fails the commit with GitHub words, not as a lost race, and spends no REST request', async () => {
    gh.emulator.setGraphQLRateLimit(1);
    await backend().read(FARM_PATH);
    asked();
    await expect(backend(undefined, noWait).commit(bindIssue(7))).rejects.toThrow(
      /GraphQL rate limit for this token is used up \(RATE_LIMITED: "API rate limit exceeded for user ID \d+\."\)\. It resets at 2026-11-20T10:00:00\.000Z/,
    );
    const requests = asked();
    expect(requests.every((id) => id === 'graphql/query')).toBe(true);
    expect(gh.emulator.repo(REPO).log()).toHaveLength(1);
  });
});
