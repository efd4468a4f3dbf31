import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
  holdFirstRefUpdate,
  LEGACY_SPEC_FILE,
  race,
} from '../support/commit-fixtures.js';
import { REPO, TOKEN, startGitHub, type GitHubFixture } from '../support/github.js';

let gh: GitHubFixture;
beforeEach(async () => {
  gh = await startGitHub();
});
afterEach(async () => {
  await gh.emulator.close();
});

function backend(branch?: string, instrument?: (octokit: GitHubClient) => void) {
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
  return createApiCommitBackend({ octokit, owner: 'octo-org', repo: 'sandbox-demo', branch, logger, race });
}

describe('Git Data API commit-back against the GitHub emulator', () => {
  it('makes one atomic commit for the farm and the new files, on the default branch', async () => {
    const before = gh.emulator.repo(REPO).headSha();
    const result = await backend().commit(bindIssue(7));

    const repo = gh.emulator.repo(REPO);
    expect(result).toMatchObject({ committed: true, branch: 'main', attempts: 1 });
    expect(repo.log()[0]).toMatchObject({
      sha: result.sha,
      message: 'Bind issue #7 to its sandbox',
      parents: [before],
    });
    expect(getMapping(parseFarm(repo.readFile(FARM_PATH) ?? '', FARM_PATH), 7).railway_service_id).toBe(
      'svc-7',
    );
    expect(repo.readFile('.trinity/experience/20261125T000000000Z_7.md')).toBe('step for 7\n');
    expect(repo.readFile('README.md')).toBe('# demo\n');
  });

  it('commits nothing when the branch already says it', async () => {
    await backend().commit(bindIssue(7));
    const head = gh.emulator.repo(REPO).headSha();
    const again = await backend().commit(bindIssue(7));
    expect(again).toMatchObject({ committed: false });
    expect(gh.emulator.repo(REPO).headSha()).toBe(head);
  });

  it('concurrent writers on different issues: all land, legacy rows kept, the losers re-plan', async () => {
    const writerCount = 5;
    await backend().commit(async () => ({
      files: [{ path: FARM_PATH, content: LEGACY_SPEC_FILE }],
      message: 'legacy farm',
    }));
    // Each writer reads the same head, then holds its first ref update at the barrier: one update
    // wins that round, the others get GitHub's 422 non-fast-forward and must re-read and re-apply.
    const arrive = createBarrier(writerCount);
    const results = await Promise.all(
      Array.from({ length: writerCount }, (_, i) =>
        backend('main', (octokit) => holdFirstRefUpdate(octokit, arrive)).commit(bindIssue(100 + i)),
      ),
    );

    const repo = gh.emulator.repo(REPO);
    const farm = parseFarm(repo.readFile(FARM_PATH) ?? '', FARM_PATH);
    for (let i = 0; i < writerCount; i++) {
      expect(getMapping(farm, 100 + i).railway_service_id).toBe(`svc-${100 + i}`);
    }
    expect(getMapping(farm, 506).railway_service_id).toBe('5c3f29ff-b38b-47fd-8471-f1209ebda5e4');
    expect(farm.agent_map.find((row) => row.issue === 2026198461)).toBeDefined();
    expect(farm.agent_map).toHaveLength(2 + writerCount);
    expect(repo.log().length).toBe(1 + 1 + writerCount);
    expect(results.filter((r) => r.attempts === 1)).toHaveLength(1);
    // Lost races surfaced as 422 non-fast-forward ref updates, never as a forced overwrite.
    expect(
      gh.emulator.requests.filter((r) => r.operationId === 'git/update-ref' && r.status === 422).length,
    ).toBeGreaterThanOrEqual(writerCount - 1);
  });

  it('refuses to replace a corrupt farm on the branch', async () => {
    await backend().commit(async () => ({
      files: [{ path: FARM_PATH, content: '{"accounts":[' }],
      message: 'broken',
    }));
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
    expect(gh.emulator.requests.filter((r) => r.operationId === 'git/update-ref')).toHaveLength(1);
    expect(gh.emulator.repo(REPO).headSha()).toBe(head);
  });
});
