import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_TYPES, findEventMarker, parseExperienceFile } from '@trinity/core';
import { COMMANDS } from '../../packages/cli/src/cli.js';
import { parseRemoteUrl } from '../../packages/cli/src/repository.js';
import { VERSION } from '../../packages/cli/src/version.js';
import type { GitHubFixture } from '../support/github.js';
import { LEGACY_FARM, REPO, cli, github, listDir, readJson, workingCopy, writeFile } from './helpers.js';

let gh: GitHubFixture;
beforeEach(async () => {
  gh = await github();
});
afterEach(async () => {
  await gh.emulator.close();
});

function experience(root: string, index: number) {
  const name = listDir(root, '.trinity/experience')[index] ?? '';
  return parseExperienceFile(readFileSync(join(root, '.trinity/experience', name), 'utf8'));
}

describe('tri agent step', () => {
  it('refuses to run when nothing is linked (exit 3) and writes nothing', async () => {
    const root = workingCopy();
    const run = await cli(root, gh).run(['agent', 'step', 'lost step']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Run `tri agent link <issue>` first. Nothing was written.');
    expect(run.stdout).toBe('');
    expect(listDir(root, '.')).toEqual(['.git']);
    expect(gh.emulator.requests).toEqual([]);
  });

  it('journals another event type with --event and refuses an unknown one (exit 2)', async () => {
    const root = workingCopy();
    const tri = cli(root, gh);
    await tri.run(['agent', 'link', '7']);
    const run = await tri.run(['agent', 'step', '--event', 'build_failed', '--json', 'tsc: 4 errors']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      event: 'build_failed',
      published: true,
      key: expect.stringMatching(/^session-1-1-\d{8}T\d{9}Z$/) as string,
    });
    expect(experience(root, 0).frontMatter.event).toBe('build_failed');
    const [comment] = gh.emulator.repo(REPO).comments(7);
    expect(findEventMarker(comment?.body ?? '')).toMatchObject({
      type: 'build_failed',
      key: expect.stringMatching(/^session-1-1-\d{8}T\d{9}Z$/) as string,
    });

    const bad = await tri.run(['agent', 'step', '--event', 'build_broke', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      `--event is "build_broke", which is not a journal event type. Use one of: ${EVENT_TYPES.join(', ')}.`,
    );
    expect(listDir(root, '.trinity/experience')).toHaveLength(1);
  });

  it('reads the message from standard input with -', async () => {
    const root = workingCopy();
    const tri = cli(root, gh);
    await tri.run(['agent', 'link', '7']);
    const run = await tri.run(['agent', 'step', '-'], { stdin: 'Ran the suite:\n\n```\n42 passed\n```\n\n' });
    expect(run.code).toBe(0);
    expect(experience(root, 0).message).toBe('Ran the suite:\n\n```\n42 passed\n```');
    expect(gh.emulator.repo(REPO).comments(7)[0]?.body).toContain('42 passed');
  });

  it('refuses an empty message (exit 3), a missing one and extra words (exit 2)', async () => {
    const root = workingCopy();
    const tri = cli(root, gh);
    await tri.run(['agent', 'link', '7']);
    expect((await tri.run(['agent', 'step', '-'], { stdin: '\n' })).code).toBe(3);
    const missing = await tri.run(['agent', 'step']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('`tri agent step` needs <message | ->.');
    const extra = await tri.run(['agent', 'step', 'two', 'words']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('Quote a message that has spaces.');
    expect(listDir(root, '.trinity/experience')).toEqual([]);
  });

  it('fails with exit 3 naming the file when current_issue.json is corrupt', async () => {
    const root = workingCopy();
    writeFile(root, '.trinity/current_issue.json', '{"issue_number": 7,');
    const run = await cli(root, gh).run(['agent', 'step', 'x']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('current_issue.json is not valid JSON');
    expect(run.stderr).toContain('tri agent unlink');
  });
});

describe('tri agent link', () => {
  it('finds the repository in --repo, GITHUB_REPOSITORY, or an https or ssh origin remote', async () => {
    gh.emulator.createRepo('octo-org/other');
    gh.emulator.seedIssue('octo-org/other', { number: 3, title: 'x' });
    const viaSsh = workingCopy({ origin: `git@github.com:${REPO}.git` });
    expect((await cli(viaSsh, gh).run(['agent', 'link', '7'])).code).toBe(0);
    expect(readJson(viaSsh, '.trinity/current_issue.json')).toMatchObject({ repo: REPO });

    const viaEnv = workingCopy();
    await cli(viaEnv, gh, { GITHUB_REPOSITORY: 'octo-org/other' }).run(['agent', 'link', '3']);
    expect(readJson(viaEnv, '.trinity/current_issue.json')).toMatchObject({ repo: 'octo-org/other' });

    const viaFlag = workingCopy({ git: false });
    const run = await cli(viaFlag, gh).run(['agent', 'link', '--repo', 'octo-org/other', '3']);
    expect(run.code).toBe(0);
    expect(readJson(viaFlag, '.trinity/current_issue.json')).toMatchObject({
      repo: 'octo-org/other',
      issue_number: 3,
    });

    const nowhere = workingCopy({ git: false });
    const lost = await cli(nowhere, gh).run(['agent', 'link', '7']);
    expect(lost.code).toBe(3);
    expect(lost.stderr).toContain('Pass --repo owner/name.');
  });

  it('parses GitHub remote URLs', () => {
    expect(parseRemoteUrl('https://github.com/octo-org/app.git')).toBe('octo-org/app');
    expect(parseRemoteUrl('https://github.com/octo-org/app')).toBe('octo-org/app');
    expect(parseRemoteUrl('https://x-access-token:abc@github.com/octo-org/app.git\n')).toBe('octo-org/app');
    expect(parseRemoteUrl('git@github.com:octo-org/app.git')).toBe('octo-org/app');
    expect(parseRemoteUrl('ssh://git@github.com/octo-org/app.git')).toBe('octo-org/app');
    expect(parseRemoteUrl('ssh://git@ghe.example.com:2222/octo-org/app')).toBe('octo-org/app');
    expect(parseRemoteUrl('file:///srv/git/app.git')).toBeUndefined();
    expect(parseRemoteUrl('/srv/git/app.git')).toBeUndefined();
  });

  it('refuses an issue that does not exist (3) or was deleted (3), and links anyway when GitHub is unreachable', async () => {
    const root = workingCopy();
    const tri = cli(root, gh);
    const missing = await tri.run(['agent', 'link', '99']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(`Issue ${REPO}#99 was not found (404`);
    gh.emulator.deleteIssue(REPO, 506);
    const deleted = await tri.run(['agent', 'link', '506']);
    expect(deleted.code).toBe(3);
    expect(deleted.stderr).toContain(`Issue ${REPO}#506 was deleted (410 This issue was deleted`);
    expect(listDir(root, '.trinity')).toEqual([]);

    const offline = await tri.run(['agent', 'link', '7'], { env: { GITHUB_API_URL: 'http://127.0.0.1:1' } });
    expect(offline.code).toBe(0);
    expect(offline.stderr).toContain(`warning: Could not reach GitHub to check ${REPO}#7`);
    expect(readJson(root, '.trinity/current_issue.json')).toMatchObject({ issue_number: 7 });
  });

  it('queues a step when the API cannot be reached at all (connection refused)', async () => {
    const root = workingCopy();
    const tri = cli(root, gh, { GITHUB_API_URL: 'http://127.0.0.1:1' });
    await tri.run(['agent', 'link', '7']);
    const step = await tri.run(['agent', 'step', 'offline']);
    expect(step.code).toBe(0);
    expect(step.stderr).toContain('Queued, not published');
    expect(listDir(root, '.trinity/outbox')).toEqual(['20261125T100002000Z_7_000.json']);
  });

  it.each([['abc'], ['0'], ['-5'], ['1073741824'], ['https://github.com/o/r/pull/5']])(
    'refuses the issue %s with exit 3',
    async (issue) => {
      const root = workingCopy();
      const run = await cli(root, gh).run(['agent', 'link', '--', issue]);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('is not a GitHub issue number');
      expect(listDir(root, '.trinity')).toEqual([]);
    },
  );
});

describe('tri agent log', () => {
  it('rebuilds the timeline from the markers of the whole thread', async () => {
    const root = workingCopy();
    const tri = cli(root, gh);
    gh.emulator.seedComments(REPO, 7, 150, (i) => `chatter ${i}`);
    await tri.run(['agent', 'link', '7']);
    await tri.run(['agent', 'step', 'one']);
    await tri.run(['agent', 'step', '--event', 'build_failed', 'two']);
    const run = await tri.run(['agent', 'log', '--json']);
    expect(run.code).toBe(0);
    const log = JSON.parse(run.stdout) as { events: Array<Record<string, unknown>>; comments_read: number };
    expect(log).toMatchObject({ repo: REPO, issue: 7, comments_read: 153, status: { state: 'none' } });
    expect(log.events).toEqual([
      {
        at: '2026-11-25T10:00:02.000Z',
        type: 'step_completed',
        key: expect.stringMatching(/^session-1-1-\d{8}T\d{9}Z$/) as string,
        comment_id: expect.any(Number) as number,
        comment_url: expect.stringMatching(/#issuecomment-\d+$/) as string,
      },
      {
        at: '2026-11-25T10:00:03.000Z',
        type: 'build_failed',
        key: expect.stringMatching(/^session-1-2-\d{8}T\d{9}Z$/) as string,
        comment_id: expect.any(Number) as number,
        comment_url: expect.stringMatching(/#issuecomment-\d+$/) as string,
      },
    ]);
    const pages = gh.emulator.requests.filter((request) => request.operationId === 'issues/list-comments');
    expect(pages.length).toBeGreaterThanOrEqual(2);

    const human = await cli(workingCopy(), gh).run(['agent', 'log', '7']);
    expect(human.stdout).toContain('build_failed');
    expect(human.stdout).toContain('Status: none');
  });

  it('prints with --mermaid the same picture the status comment shows', async () => {
    const root = workingCopy();
    const tri = cli(root, gh);
    await tri.run(['agent', 'link', '7']);
    await tri.run(['agent', 'step', '## Wired the health check\n\nDetails.']);
    await tri.run(['agent', 'step', '--event', 'build_failed', 'tsc: 4 errors']);
    await tri.run(['agent', 'step', 'A "quoted" [bracketed] title | with a pipe']);
    const run = await tri.run(['agent', 'log', '--mermaid']);
    expect(run.code).toBe(0);
    const block = /```mermaid\n[\s\S]*?\n```\n\n<sub>[^\n]*<\/sub>/.exec(run.stdout)?.[0];
    expect(block).toContain('1. 📝 step Wired the health check');
    expect(block).toContain('2. ❌ build failed');
    expect(block).toContain('#34;quoted#34; #91;bracketed#93;');
    expect(block).toMatch(/\[3\]\(https:\/\/\S+\/issues\/7#issuecomment-\d+\)<\/sub>$/);
    const status = gh.emulator
      .repo(REPO)
      .comments(7)
      .find((comment) => comment.body.includes('trinity:status'));
    expect(status?.body).toContain(block);

    const both = await tri.run(['agent', 'log', '--mermaid', '--json']);
    expect(both.code).toBe(3);
    expect(both.stderr).toContain('either --json or --mermaid');
  });

  it('needs a token and an issue', async () => {
    const root = workingCopy();
    expect((await cli(root).run(['agent', 'log', '7'])).code).toBe(3);
    expect((await cli(root, gh).run(['agent', 'log'])).stderr).toContain('nothing is linked');
  });
});

describe('tri sandbox', () => {
  it('prints a legacy row’s mapping with what is missing', async () => {
    const root = workingCopy();
    writeFile(root, '.trinity/railway_farm.json', LEGACY_FARM);
    const run = await cli(root).run(['sandbox', 'mapping', '506']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      issue: 506,
      railway_service_id: '5c3f29ff-b38b-47fd-8471-f1209ebda5e4',
      missing: ['session_id', 'deployment_id', 'experience_file'],
      row: { issue: 506, account_id: 1 },
    });
    expect(run.stderr).toContain('has no session_id, deployment_id or experience_file');
    // Reading changes nothing.
    expect(readFileSync(join(root, '.trinity/railway_farm.json'), 'utf8')).toBe(LEGACY_FARM);
  });

  it('exits 3 for an unbound issue, a hashed training-run row and a corrupt farm file', async () => {
    const root = workingCopy();
    writeFile(root, '.trinity/railway_farm.json', LEGACY_FARM);
    const unbound = await cli(root).run(['sandbox', 'mapping', '9999']);
    expect(unbound.code).toBe(3);
    expect(unbound.stderr).toContain('Issue #9999 is not bound to a sandbox in .trinity/railway_farm.json.');
    expect(unbound.stdout).toBe('');
    expect((await cli(root).run(['sandbox', 'mapping', '2026198461'])).code).toBe(3);

    writeFile(root, 'custom/farm.json', '{"accounts": [,]}');
    const corrupt = await cli(root).run(['sandbox', 'list', '--farm-path', 'custom/farm.json']);
    expect(corrupt.code).toBe(3);
    expect(corrupt.stderr).toContain('The farm file custom/farm.json is corrupt at line 1');
  });

  it('lists the current bindings', async () => {
    const root = workingCopy();
    writeFile(root, '.trinity/railway_farm.json', LEGACY_FARM);
    const human = await cli(root).run(['sandbox', 'list']);
    expect(human.stdout).toBe('#506  5c3f29ff-b38b-47fd-8471-f1209ebda5e4  status unrecorded\n');
    const json = await cli(root).run(['sandbox', 'list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([
      { issue: 506, account_id: 1, service_id: '5c3f29ff-b38b-47fd-8471-f1209ebda5e4' },
    ]);
    const empty = await cli(workingCopy()).run(['sandbox', 'list']);
    expect(empty.stdout).toBe('No bindings in .trinity/railway_farm.json.\n');
  });
});

describe('tri status', () => {
  it('reports the link, the steps and the mapping summary', async () => {
    const root = workingCopy();
    writeFile(root, '.trinity/railway_farm.json', LEGACY_FARM);
    const tri = cli(root, gh);
    const none = await tri.run(['agent', 'status', '--json']);
    expect(JSON.parse(none.stdout)).toEqual({
      linked: null,
      mapping: null,
      outbox: { count: 0, oldest: null, entries: [] },
    });
    await tri.run(['agent', 'link', '506']);
    await tri.run(['agent', 'step', 'one']);
    const status = JSON.parse((await tri.run(['agent', 'status', '--json'])).stdout) as Record<
      string,
      unknown
    >;
    expect(status).toMatchObject({
      linked: { issue_number: 506, steps: 1, last_step_at: '2026-11-25T10:00:03.000Z' },
      mapping: {
        railway_service_id: '5c3f29ff-b38b-47fd-8471-f1209ebda5e4',
        session_id: 'session-1',
        experience_file: '.trinity/experience/20261125T100003000Z_506.md',
        missing: ['deployment_id'],
      },
      outbox: { count: 0 },
    });
    const human = await tri.run(['agent', 'status']);
    expect(human.stdout).toContain(`Linked:     ${REPO}#506`);
    expect(human.stdout).toContain('Steps:      1 (last at 2026-11-25T10:00:03.000Z)');
    expect(human.stdout).toContain(
      'Sandbox:    5c3f29ff-b38b-47fd-8471-f1209ebda5e4 (status unrecorded); missing deployment_id',
    );
  });
});

describe('the command line', () => {
  it.each(COMMANDS.map((command) => [command.path.join(' ')]))(
    'tri %s --help prints its usage',
    async (path) => {
      const run = await cli(workingCopy({ git: false })).run([...path.split(' '), '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: tri ${path} `));
      expect(run.stdout).toContain('Exit codes:');
      expect(run.stdout).toContain('-h, --help');
    },
  );

  it('prints the overview, the group help and the version', async () => {
    const tri = cli(workingCopy({ git: false }));
    const help = await tri.run(['--help']);
    expect(help.code).toBe(0);
    for (const command of COMMANDS) expect(help.stdout).toContain(command.path.join(' '));
    expect((await tri.run(['-h'])).stdout).toBe(help.stdout);
    expect((await tri.run(['agent', '--help'])).stdout).toContain('Usage: tri agent <command>');
    expect((await tri.run(['help', 'sandbox', 'list'])).stdout).toContain('Usage: tri sandbox list');
    const version = await tri.run(['--version']);
    expect(version).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    const pkg = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../packages/cli/package.json'), 'utf8'),
    ) as {
      version: string;
    };
    expect(VERSION).toBe(pkg.version);
    const bare = await tri.run([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: tri <command>');
    expect((await tri.run(['agent'])).code).toBe(2);
  });

  it.each([
    [['agent', 'stpe', 'x'], 'Unknown command `tri agent stpe`. Did you mean `tri agent step`?'],
    [['agnet', 'link'], 'Unknown command `tri agnet link`. Did you mean `tri agent link`?'],
    [['status'], 'Unknown command `tri status`. Did you mean `tri agent status`?'],
    [['sandbox', 'lst'], 'Unknown command `tri sandbox lst`. Did you mean `tri sandbox list`?'],
    [['agent', 'status', '--jsno'], 'Unknown option --jsno for `tri agent status`. Did you mean --json?'],
    [['--verbose'], 'Unknown option --verbose: global options are --help and --version.'],
    [['agent', 'status', 'extra'], '`tri agent status` takes no arguments; got "extra".'],
    [['agent', 'step', '--event'], 'Option --event needs a value: --event <type>.'],
    [['agent', 'status', '--json=yes'], 'Option --json takes no value.'],
  ])('tri %j is a usage error (exit 2)', async (argv, message) => {
    const root = workingCopy({ git: false });
    const run = await cli(root).run(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
    expect(listDir(root, '.')).toEqual([]);
  });
});
