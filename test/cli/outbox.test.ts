import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findEventKey, parseExperienceFile } from '@trinity/core';
import type { GitHubFixture } from '../support/github.js';
import { REPO, cli, github, listDir, readJson, workingCopy } from './helpers.js';

let gh: GitHubFixture;
beforeEach(async () => {
  gh = await github();
});
afterEach(async () => {
  await gh.emulator.close();
});

const eventKeys = (issue: number) =>
  gh.emulator
    .repo(REPO)
    .comments(issue)
    .map((comment) => findEventKey(comment.body)?.replace(/-\d{8}T\d{9}Z$/, ''))
    .filter((key) => key !== undefined);

describe('the outbox', () => {
  it('queues steps while GitHub is unreachable, shows them, and publishes them oldest first exactly once', async () => {
    const root = workingCopy();
    const tri = cli(root, gh);
    expect((await tri.run(['agent', 'link', '7'])).code).toBe(0);

    gh.emulator.injectFault({ kind: 'drop', times: 1_000 });
    const first = await tri.run(['agent', 'step', 'Offline: wrote the failing test']);
    const second = await tri.run(['agent', 'step', '--json', 'Offline: fixed it']);
    expect(first.code).toBe(0);
    // Octokit reports a dropped connection as status 500, so core's reason reads "GitHub answered 500".
    expect(first.stderr).toMatch(/Queued, not published: GitHub (answered 500|could not be reached)/);
    expect(first.stderr).toContain('run `tri agent sync`');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      issue: 7,
      key: 'session-1-2-20261125T100003000Z',
      published: false,
      comment_url: null,
      queued_as: '.trinity/outbox/20261125T100003000Z_7_000.json',
      reason: expect.stringMatching(/^GitHub (answered 500|could not be reached)/) as string,
    });
    expect(listDir(root, '.trinity/outbox')).toEqual([
      '20261125T100002000Z_7_000.json',
      '20261125T100003000Z_7_000.json',
    ]);
    expect(gh.emulator.repo(REPO).comments(7)).toHaveLength(0);

    const status = await tri.run(['agent', 'status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      linked: { issue_number: 7, steps: 2 },
      mapping: null,
      outbox: {
        count: 2,
        oldest: {
          file: '.trinity/outbox/20261125T100002000Z_7_000.json',
          queued_at: '2026-11-25T10:00:02.000Z',
          reason: expect.stringMatching(/^GitHub (answered 500|could not be reached)/) as string,
        },
      },
    });

    // Still down: sync keeps everything, exits 1 (an outage), and posts nothing.
    const stillDown = await tri.run(['agent', 'sync']);
    expect(stillDown.code).toBe(1);
    expect(stillDown.stderr).toContain('2 step(s) remain in .trinity/outbox/');
    expect(listDir(root, '.trinity/outbox')).toHaveLength(2);

    gh.emulator.clearFaults();
    const sync = await tri.run(['agent', 'sync', '--json']);
    expect(sync.code).toBe(0);
    expect(JSON.parse(sync.stdout)).toMatchObject({
      published: [
        { file: '.trinity/outbox/20261125T100002000Z_7_000.json' },
        { file: '.trinity/outbox/20261125T100003000Z_7_000.json' },
      ],
      remaining: 0,
    });
    expect(listDir(root, '.trinity/outbox')).toEqual([]);
    expect(eventKeys(7)).toEqual(['session-1-1', 'session-1-2']);
    const [oldest] = listDir(root, '.trinity/experience');
    const file = parseExperienceFile(readFileSync(join(root, '.trinity/experience', oldest ?? ''), 'utf8'));
    expect(file.frontMatter.comment_url).toMatch(/#issuecomment-\d+$/);

    // A second sync has nothing to do and posts nothing.
    gh.takeRequests();
    const again = await tri.run(['agent', 'sync']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('The outbox is empty; nothing to publish.');
    expect(gh.takeRequests()).toEqual([]);
    expect(gh.emulator.repo(REPO).comments(7)).toHaveLength(3);
  });

  it('queues with the reason when there is no token, and sync then asks for one (exit 3)', async () => {
    const root = workingCopy();
    const tri = cli(root);
    expect((await tri.run(['agent', 'link', '7'])).stderr).toContain('the issue was not checked on GitHub');
    const step = await tri.run(['agent', 'step', 'no token here']);
    expect(step.code).toBe(0);
    expect(step.stderr).toContain('Queued, not published: no GitHub token (set GITHUB_TOKEN or GH_TOKEN).');
    expect(step.stdout).toContain('Recorded locally: .trinity/experience/20261125T100002000Z_7.md');
    const status = JSON.parse((await tri.run(['agent', 'status', '--json'])).stdout) as {
      outbox: { count: number; oldest: { reason: string } };
    };
    expect(status.outbox.count).toBe(1);
    expect(status.outbox.oldest.reason).toBe('no GitHub token (set GITHUB_TOKEN or GH_TOKEN)');
    const human = await tri.run(['agent', 'status']);
    expect(human.stdout).toContain('Outbox:     1 queued; oldest 2026-11-25T10:00:02.000Z: no GitHub token');

    const sync = await tri.run(['agent', 'sync']);
    expect(sync.code).toBe(3);
    expect(sync.stderr).toContain('1 step(s) remain in .trinity/outbox/: no GitHub token');

    // With the token (GH_TOKEN works too) the queued step goes out.
    const withToken = await tri.run(['agent', 'sync'], {
      env: { GH_TOKEN: 'ghs_emulatortoken0001', GITHUB_API_URL: gh.emulator.url },
    });
    expect(withToken.code).toBe(0);
    expect(eventKeys(7)).toEqual(['session-1-1']);
  });

  it('does not post a step twice when its publish is retried after the event comment landed', async () => {
    const root = workingCopy();
    const tri = cli(root, gh);
    await tri.run(['agent', 'link', '7']);
    expect((await tri.run(['agent', 'step', 'first'])).code).toBe(0);

    // The event comment is posted, then every edit of the status comment fails: the step is queued.
    gh.emulator.injectFault({ kind: 'server_error', operationId: 'issues/update-comment', times: 100 });
    const step = await tri.run(['agent', 'step', 'second']);
    expect(step.code).toBe(0);
    expect(step.stderr).toContain('Queued, not published');
    expect(eventKeys(7)).toEqual(['session-1-1', 'session-1-2']);

    gh.emulator.clearFaults();
    expect((await tri.run(['agent', 'sync'])).code).toBe(0);
    expect((await tri.run(['agent', 'sync'])).code).toBe(0);
    expect(eventKeys(7)).toEqual(['session-1-1', 'session-1-2']);
    expect(gh.emulator.repo(REPO).comments(7)).toHaveLength(3);
    expect(listDir(root, '.trinity/outbox')).toEqual([]);
  });

  it('syncs a bad token as a user error (exit 3) and keeps the step', async () => {
    const root = workingCopy();
    const tri = cli(root, gh, { GITHUB_TOKEN: 'ghs_notavalidtoken999' });
    const link = await tri.run(['agent', 'link', '7']);
    expect(link.code).toBe(3);
    expect(link.stderr).toContain('GitHub refused the token (401 Bad credentials)');
    expect(link.stderr).not.toContain('ghs_notavalidtoken999');

    const linked = cli(root, gh);
    await linked.run(['agent', 'link', '7']);
    const step = await tri.run(['agent', 'step', 'token ghs_notavalidtoken999 leaked into the message']);
    expect(step.code).toBe(0);
    expect(step.stderr).toContain('GitHub refused the token');
    expect(step.stderr + step.stdout).not.toContain('ghs_notavalidtoken999');
    const sync = await tri.run(['agent', 'sync']);
    expect(sync.code).toBe(3);
    expect(listDir(root, '.trinity/outbox')).toHaveLength(1);
    const [name] = listDir(root, '.trinity/experience');
    expect(readFileSync(join(root, '.trinity/experience', name ?? ''), 'utf8')).not.toContain(
      'ghs_notavalidtoken999',
    );
  });
});

describe('the cost of a step', () => {
  it('is the same number of requests with 1,000 older comments in the thread', async () => {
    const root = workingCopy();
    const tri = cli(root, gh);
    await tri.run(['agent', 'link', '7']);
    await tri.run(['agent', 'step', 'creates the status comment']);
    gh.takeRequests();
    expect((await tri.run(['agent', 'step', 'before'])).code).toBe(0);
    const before = gh.takeRequests();

    gh.emulator.seedComments(REPO, 7, 1_000, (i) => `chatter ${i}`);
    gh.clock.advance(3_600_000);
    await tri.run(['agent', 'step', 'the first step after the chatter']);
    gh.takeRequests();
    expect((await tri.run(['agent', 'step', 'after'])).code).toBe(0);
    const after = gh.takeRequests();

    expect(before.map((request) => request.operationId)).toEqual([
      'issues/get-comment',
      'issues/list-comments',
      'issues/create-comment',
      'issues/update-comment',
    ]);
    expect(after.map((request) => request.operationId)).toEqual(before.map((request) => request.operationId));
    expect(readJson(root, '.trinity/current_issue.json')).toMatchObject({ steps: 4 });
  });
});
