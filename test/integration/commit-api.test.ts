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
import { PROTECTION_WORDINGS, type ProtectionWording } from '../emulators/github/index.js';
import { REPO, TOKEN, startGitHub, type GitHubFixture } from '../support/github.js';

let gh: GitHubFixture;
beforeEach(async () => {
  gh = await startGitHub();
});
afterEach(async () => {
  await gh.emulator.close();
});

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

/** Pauses of the race loop and the ref re-reads take no time: the emulator's lag counts reads. */
const noWait = { ...race, sleep: () => Promise.resolve() };

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
        backend('main', race, (octokit) => holdFirstRefUpdate(octokit, arrive)).commit(bindIssue(100 + i)),
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

  it('reads as lost a refused fast-forward whose ref still reads unmoved (lagging reads), and retries', async () => {
    gh.emulator.lagRefReads(REPO, 3);
    await backend().commit(bindIssue(8));
    const result = await backend(undefined, noWait).commit(bindIssue(7));
    expect(result).toMatchObject({ committed: true, attempts: 2 });
    const farm = parseFarm(gh.emulator.repo(REPO).readFile(FARM_PATH) ?? '', FARM_PATH);
    expect([getMapping(farm, 7).railway_service_id, getMapping(farm, 8).railway_service_id]).toEqual([
      'svc-7',
      'svc-8',
    ]);
  });

  it.each(Object.keys(PROTECTION_WORDINGS) as ProtectionWording[])(
    'concludes "protected" from classic protection\'s %s wording',
    async (wording) => {
      gh.emulator.protectBranch(REPO, 'main', { wording });
      await expect(backend(undefined, noWait).commit(bindIssue(7))).rejects.toThrow(
        /branch is protected or a ruleset applies \(422: ".+"\).*Set farm-branch/,
      );
      expect(gh.emulator.requests.filter((r) => r.operationId === 'git/update-ref')).toHaveLength(1);
    },
  );

  it.each([409, 422] as const)(
    'concludes "protected" from a ruleset wording (%i), without retrying',
    async (status) => {
      gh.emulator.addBranchRule(REPO, 'main', 'pull_request', { status });
      await expect(backend(undefined, noWait).commit(bindIssue(7))).rejects.toThrow(
        /branch is protected or a ruleset applies \(\d+: "Repository rule violations found Changes must be made through a pull request\."\)/,
      );
      expect(gh.emulator.requests.filter((r) => r.operationId === 'git/update-ref')).toHaveLength(1);
    },
  );

  it('makes commits GitHub signs (no custom author), which a signed-commits rule accepts', async () => {
    gh.emulator.addBranchRule(REPO, 'main', 'signed_commits');
    const result = await backend(undefined, noWait).commit(bindIssue(7));
    expect(result).toMatchObject({ committed: true, attempts: 1 });
    expect(gh.emulator.isVerified(REPO, result.sha ?? '')).toBe(true);
  });

  it.each(['too_large', 'empty'] as const)(
    'reads a farm over 1 MB (Contents JSON answer: %s) through the raw media type',
    async (answer) => {
      gh.emulator.setLargeFileAnswer(answer);
      await backend().commit(bindIssue(7));
      const text = gh.emulator.repo(REPO).readFile(FARM_PATH) ?? '';
      const padded = text.replace(/\n$/, `${' '.repeat(1024 * 1024)}\n`);
      await backend().commit(async () => ({
        message: 'Pad the farm',
        files: [{ path: FARM_PATH, content: padded }],
      }));
      const read = await backend().read(FARM_PATH);
      expect(read).toBe(padded);
      expect(getMapping(parseFarm(read ?? '', FARM_PATH), 7).railway_service_id).toBe('svc-7');
      await backend().commit(bindIssue(9));
      expect(gh.emulator.repo(REPO).readFile(FARM_PATH)).toContain('svc-9');
    },
  );
});
