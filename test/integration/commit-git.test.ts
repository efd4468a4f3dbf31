import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createExecGitRunner,
  createGitCommitBackend,
  createRecordingLogger,
  getMapping,
  parseFarm,
  type CommitPlanner,
} from '@trinity/core';
import {
  bindIssue,
  createBarrier,
  FARM_PATH,
  holdFirstPush,
  LEGACY_SPEC_FILE,
  race,
} from '../support/commit-fixtures.js';
import { cloneRemote, createBareRemote, git } from '../support/git-remote.js';

function addIssue(issue: number): CommitPlanner {
  return async (read) => {
    const current = JSON.parse((await read('farm.json')) ?? '{"rows":[]}') as { rows: number[] };
    return {
      files: [
        { path: 'farm.json', content: JSON.stringify({ rows: [...current.rows, issue] }) },
        { path: `journal/${issue}.md`, content: `step for ${issue}\n` },
      ],
      message: `Record issue #${issue}`,
    };
  };
}

describe('git commit-back against a real bare remote', () => {
  it('commits planned files without touching the work tree, under the bot identity', async () => {
    const { bare, root } = createBareRemote({ 'farm.json': '{"rows":[]}', 'README.md': 'hi\n' });
    const clone = cloneRemote(bare, root, 'runner');
    const backend = createGitCommitBackend({
      git: createExecGitRunner({ cwd: clone }),
      branch: undefined,
      logger: createRecordingLogger(),
      race,
    });

    const result = await backend.commit(addIssue(7));

    expect(result).toMatchObject({
      committed: true,
      branch: 'main',
      attempts: 1,
      paths: ['farm.json', 'journal/7.md'],
    });
    expect(git(bare, 'show', 'main:farm.json')).toBe('{"rows":[7]}');
    expect(git(bare, 'show', 'main:README.md')).toBe('hi\n');
    expect(git(bare, 'log', '-1', '--format=%an <%ae>|%s', 'main').trim()).toBe(
      'github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>|Record issue #7',
    );
    // The checkout is exactly as it was: no new files, no moved HEAD.
    expect(git(clone, 'status', '--porcelain')).toBe('');
    expect(readFileSync(join(clone, 'farm.json'), 'utf8')).toBe('{"rows":[]}');
  });

  it('commits nothing when the planner has nothing to say', async () => {
    const { bare, root } = createBareRemote({ 'farm.json': '{}' });
    const before = git(bare, 'rev-parse', 'main');
    const backend = createGitCommitBackend({
      git: createExecGitRunner({ cwd: cloneRemote(bare, root, 'r') }),
      branch: 'main',
      logger: createRecordingLogger(),
      race,
    });
    expect(await backend.commit(() => Promise.resolve(undefined))).toMatchObject({
      committed: false,
      attempts: 1,
    });
    expect(git(bare, 'rev-parse', 'main')).toBe(before);
  });

  it('concurrent writers on different issues: every farm change lands, the losers re-plan', async () => {
    const writerCount = 5;
    const { bare, root } = createBareRemote({ [FARM_PATH]: LEGACY_SPEC_FILE });
    // Every writer reads the same head, then waits at the barrier before its first push: exactly
    // one push can win that round, and the other writers must re-fetch and re-apply their change.
    const arrive = createBarrier(writerCount);
    const writers = Array.from({ length: writerCount }, (_, i) => {
      const clone = cloneRemote(bare, root, `runner-${i}`);
      return createGitCommitBackend({
        git: holdFirstPush(createExecGitRunner({ cwd: clone }), arrive),
        branch: 'main',
        logger: createRecordingLogger(),
        race,
      });
    });

    const results = await Promise.all(writers.map((backend, i) => backend.commit(bindIssue(100 + i))));

    const farm = parseFarm(git(bare, 'show', 'main:.trinity/railway_farm.json'), 'farm');
    for (let i = 0; i < writerCount; i++) {
      expect(getMapping(farm, 100 + i, FARM_PATH).railway_service_id).toBe(`svc-${100 + i}`);
    }
    // What was there before, Trinity's legacy rows included, is still there.
    expect(getMapping(farm, 506, FARM_PATH).railway_service_id).toBe('5c3f29ff-b38b-47fd-8471-f1209ebda5e4');
    expect(farm.agent_map).toHaveLength(2 + writerCount);
    expect(
      git(bare, 'ls-tree', '-r', '--name-only', 'main', '.trinity/experience/').trim().split('\n'),
    ).toHaveLength(writerCount);
    expect(Number(git(bare, 'rev-list', '--count', 'main'))).toBe(1 + writerCount);
    // One writer won the forced first round; every other one lost it and re-planned.
    expect(results.filter((r) => r.attempts === 1)).toHaveLength(1);
    expect(results.every((r) => r.committed)).toBe(true);
  });

  it('passes the token per command and never writes it into .git/config', async () => {
    const { bare, root } = createBareRemote({ 'farm.json': '{"rows":[]}' });
    const clone = cloneRemote(bare, root, 'runner');
    const backend = createGitCommitBackend({
      git: createExecGitRunner({ cwd: clone, token: 'ghs_pertoken_secret', serverUrl: 'https://github.com' }),
      branch: 'main',
      logger: createRecordingLogger(),
      race,
    });
    await backend.commit(addIssue(1));
    expect(readFileSync(join(clone, '.git', 'config'), 'utf8')).not.toContain('ghs_pertoken_secret');
    expect(readFileSync(join(clone, '.git', 'config'), 'utf8')).not.toContain('extraheader');
  });

  it('explains a branch that does not exist', async () => {
    const { bare, root } = createBareRemote({ 'a.txt': 'a' });
    const backend = createGitCommitBackend({
      git: createExecGitRunner({ cwd: cloneRemote(bare, root, 'r') }),
      branch: 'no-such-branch',
      logger: createRecordingLogger(),
      race,
    });
    await expect(backend.commit(addIssue(1))).rejects.toThrow(/Cannot fetch branch "no-such-branch"/);
  });
});
