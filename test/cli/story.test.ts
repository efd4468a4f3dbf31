import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findEventKey, findStatusMarker, parseExperienceFile } from '@trinity/core';
import type { GitHubFixture } from '../support/github.js';
import { LEGACY_FARM, REPO, cli, github, listDir, readJson, workingCopy, writeFile } from './helpers.js';

let gh: GitHubFixture;
beforeEach(async () => {
  gh = await github();
});
afterEach(async () => {
  await gh.emulator.close();
});

describe('link → step → step → unlink', () => {
  it('writes the experience files, counts the steps, points the mapping at the newest file and journals exactly once', async () => {
    const root = workingCopy();
    writeFile(root, '.trinity/railway_farm.json', LEGACY_FARM);
    const tri = cli(root, gh);

    const link = await tri.run(['agent', 'link', '#506']);
    expect(link).toMatchObject({ code: 0 });
    expect(link.stdout).toContain(`Linked this working copy to ${REPO}#506 (session session-1).`);
    expect(readJson(root, '.trinity/current_issue.json')).toEqual({
      issue_number: 506,
      repo: REPO,
      session_id: 'session-1',
      linked_at: '2026-11-25T10:00:01.000Z',
      last_step_at: null,
      steps: 0,
    });

    const first = await tri.run(['agent', 'step', 'Reproduced the crash with a 3-line test']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Journaled on octo-org\/sandbox-demo#506: .*#issuecomment-\d+/);
    const second = await tri.run(['agent', 'step', 'Fixed the cache key; all tests pass']);
    expect(second.code).toBe(0);

    // Experience files: sortable names, front matter with the comment URL once published.
    const files = listDir(root, '.trinity/experience');
    expect(files).toEqual(['20261125T100002000Z_506.md', '20261125T100003000Z_506.md']);
    const comments = gh.emulator.repo(REPO).comments(506);
    const parsed = files.map((name) =>
      parseExperienceFile(readFileSync(join(root, '.trinity/experience', name), 'utf8')),
    );
    expect(parsed.map((file) => file.frontMatter)).toEqual([
      {
        issue: 506,
        repo: REPO,
        session_id: 'session-1',
        event: 'step_completed',
        at: '2026-11-25T10:00:02.000Z',
        comment_url: expect.stringMatching(new RegExp(`#issuecomment-${comments[0]?.id}$`)) as string,
      },
      {
        issue: 506,
        repo: REPO,
        session_id: 'session-1',
        event: 'step_completed',
        at: '2026-11-25T10:00:03.000Z',
        comment_url: expect.stringMatching(new RegExp(`#issuecomment-${comments[2]?.id}$`)) as string,
      },
    ]);
    expect(parsed[0]?.message).toBe('Reproduced the crash with a 3-line test');

    expect(readJson(root, '.trinity/current_issue.json')).toMatchObject({
      steps: 2,
      last_step_at: '2026-11-25T10:00:03.000Z',
    });

    // The legacy row became a version-2 row: session recorded by link, experience_file and status comment by step.
    const farm = readJson(root, '.trinity/railway_farm.json') as { version: number; agent_map: unknown[] };
    expect(farm.version).toBe(2);
    expect(farm.agent_map[1]).toMatchObject({
      issue: 506,
      service_id: '5c3f29ff-b38b-47fd-8471-f1209ebda5e4',
      session_id: 'session-1',
      experience_file: `.trinity/experience/${files[1]}`,
      status_comment_id: comments[1]?.id,
    });
    expect(farm.agent_map[0]).toEqual({
      issue: 2026198461,
      account_id: 2,
      service_id: 'e01e6005-f85d-40e3-8afa-2ccf001bbc7f',
    });

    // Exactly two event comments and one status comment, keys in order.
    expect(comments).toHaveLength(3);
    expect(comments.map((comment) => stepOf(findEventKey(comment.body)) ?? 'status')).toEqual([
      'session-1-1',
      'status',
      'session-1-2',
    ]);
    expect(findStatusMarker(comments[1]?.body ?? '')).toMatchObject({
      issue: 506,
      state: 'live',
      last_event: 'step_completed',
      service_id: '5c3f29ff-b38b-47fd-8471-f1209ebda5e4',
    });

    const mapping = await tri.run(['sandbox', 'mapping', '506']);
    expect(JSON.parse(mapping.stdout)).toMatchObject({
      experience_file: `.trinity/experience/${files[1]}`,
      session_id: 'session-1',
      missing: ['deployment_id'],
    });

    const unlink = await tri.run(['agent', 'unlink']);
    expect(unlink).toMatchObject({ code: 0 });
    expect(unlink.stdout).toContain(`Unlinked ${REPO}#506 (2 steps journaled).`);
    expect(listDir(root, '.trinity')).not.toContain('current_issue.json');
    expect(listDir(root, '.trinity/experience')).toEqual(files);
    expect(gh.emulator.repo(REPO).comments(506)).toHaveLength(3);
  });

  it('journals an issue without a sandbox, remembering the status comment in current_issue.json', async () => {
    const root = workingCopy();
    const tri = cli(root, gh);
    expect((await tri.run(['agent', 'link', '7'])).code).toBe(0);
    expect((await tri.run(['agent', 'step', 'one'])).code).toBe(0);
    expect((await tri.run(['agent', 'step', 'two'])).code).toBe(0);
    const comments = gh.emulator.repo(REPO).comments(7);
    expect(comments.map((comment) => stepOf(findEventKey(comment.body)) ?? 'status')).toEqual([
      'session-1-1',
      'status',
      'session-1-2',
    ]);
    expect(findStatusMarker(comments[1]?.body ?? '')?.state).toBe('none');
    expect(readJson(root, '.trinity/current_issue.json')).toMatchObject({
      steps: 2,
      status_comment_id: comments[1]?.id,
    });
    expect(listDir(root, '.trinity')).not.toContain('railway_farm.json');
  });

  it('runs from a subdirectory: .trinity/ lives at the git top level', async () => {
    const root = workingCopy();
    writeFile(root, 'src/deep/file.txt', 'x');
    const tri = cli(join(root, 'src', 'deep'), gh);
    expect((await tri.run(['agent', 'link', '7'])).code).toBe(0);
    expect(listDir(root, '.trinity')).toEqual(['current_issue.json']);
    expect(listDir(join(root, 'src', 'deep'), '.trinity')).toEqual([]);
  });

  it('says what a new link replaced, and keeps the session when the same issue is linked again', async () => {
    const root = workingCopy();
    const tri = cli(root, gh);
    await tri.run(['agent', 'link', '7']);
    await tri.run(['agent', 'step', 'one']);
    const again = await tri.run(['agent', 'link', '7']);
    expect(again.stdout).toContain(
      `Already linked to ${REPO}#7 (session session-1, 1 steps); nothing changed.`,
    );
    const other = await tri.run(['agent', 'link', `https://github.com/${REPO}/issues/506`, '--json']);
    expect(JSON.parse(other.stdout)).toMatchObject({
      linked: { issue_number: 506, session_id: 'session-2', steps: 0 },
      replaced: { issue_number: 7, steps: 1 },
      unchanged: false,
      issue_check: 'found',
    });
    const human = await tri.run(['agent', 'link', '7']);
    expect(human.stdout).toContain(`Replaced the link to ${REPO}#506 (0 steps).`);
  });
});

/** Step keys end in the experience file's timestamp; the session and step number are what matter here. */
function stepOf(key: string | undefined): string | undefined {
  return key?.replace(/-\d{8}T\d{9}Z$/, '');
}
