/**
 * Bad input, tried as a new user would (issue 10, part 5). Every case asserts the exact answer
 * (a snapshot of the error the user reads) and that nothing was lost or overwritten: no commit (so
 * the farm and experience files are byte-identical), no comment created, edited or deleted, and no
 * Railway call for refused input. The figures (cases tried, survived, lost) are printed at the end
 * and recorded in docs/RELIABILITY.md.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FARM_VERSION,
  explainLocalFailure,
  findEventMarker,
  inputsFromRecord,
  isUserError,
  makeSafe,
  parseFarm,
  readIssueNumber,
  renderEventComment,
  serializeFarm,
  type FarmRow,
  type JournalEvent,
} from '@trinity/core';
import {
  deployAction,
  destroyAction,
  journalAction,
  provisionAction,
  type ActionRuntime,
} from '@trinity/core/actions';
import { startRailwayEmulator, type RailwayEmulator } from '../emulators/railway/index.js';
import { startGitHub, type GitHubFixture } from '../support/github.js';
import { runContext } from '../support/settings-fixtures.js';
import { REPO, TOKEN, cli, listDir, workingCopy } from '../cli/helpers.js';
import { LEGACY_SPEC_FILE, LEGACY_WITH_DUPLICATES } from '../unit/farm/fixtures.js';
import { runActionInProcess, startCallCounter } from './in-process-action.js';
import type { LifecycleResult } from '@trinity/core';

const figures = { tried: 0, survived: 0, lost: 0 };

/** Counts a case: survived when its assertions pass, lost when it changed what it must not. */
async function trial(check: () => Promise<{ lost: boolean }> | { lost: boolean }): Promise<void> {
  figures.tried += 1;
  const { lost } = await check();
  if (lost) figures.lost += 1;
  expect(lost, 'something was lost or overwritten').toBe(false);
  figures.survived += 1;
}

afterAll(() => {
  // The figures docs/RELIABILITY.md records; printed so CI logs show them.
  console.log(`bad input: ${figures.tried} cases tried, ${figures.survived} survived, ${figures.lost} lost`);
});

let gh: GitHubFixture;
let railway: Awaited<ReturnType<typeof startCallCounter>>;
const READ_ONLY = 'ghs_readonlytoken0002';
const RAILWAY_TOKEN = 'rw_canary_railway_token_0001';

beforeAll(async () => {
  gh = await startGitHub();
  gh.emulator.addToken(READ_ONLY, { login: 'reader[bot]', permissions: 'read' });
  gh.emulator.seedIssue(REPO, {
    number: 8,
    title: 'Locked one',
    user: 'octocat',
    authorAssociation: 'OWNER',
  });
  gh.emulator.lockIssue(REPO, 8);
  gh.emulator.seedIssue(REPO, { number: 9, title: 'A pull request', user: 'octocat', pullRequest: true });
  gh.emulator.seedIssue(REPO, { number: 10, title: 'Deleted', user: 'octocat' });
  gh.emulator.deleteIssue(REPO, 10);
  gh.emulator.createRepo('octo-org/elsewhere');
  gh.emulator.seedIssue(REPO, { number: 11, title: 'Moved', user: 'octocat' });
  gh.emulator.transferIssue(REPO, 11, 'octo-org/elsewhere');
  railway = await startCallCounter();
});
afterAll(async () => {
  await gh.emulator.close();
  await railway.close();
});

/** What must not change: the branch head (farm, experience files) and every comment. */
function fingerprint(): string {
  const repo = gh.emulator.repo(REPO);
  const comments = [7, 8, 9].flatMap((n) => repo.comments(n).map((c) => [c.id, c.body]));
  return JSON.stringify({ head: repo.headSha(), comments });
}

type Body = (runtime: ActionRuntime) => Promise<LifecycleResult>;
const BODIES: Record<string, Body> = {
  'provision-sandbox': provisionAction,
  'deploy-sandbox': deployAction,
  'destroy-sandbox': destroyAction,
  'journal-step': journalAction,
};

const VALID: Record<string, Record<string, string>> = {
  'provision-sandbox': { image: 'ghcr.io/octo-org/app:1' },
  'deploy-sandbox': {},
  'destroy-sandbox': {},
  'journal-step': { message: 'Ran the tests' },
};

/**
 * Runs an action in-process with `inputs` over the valid ones, expects it to fail with a user
 * error (never "Unexpected failure"), and checks nothing changed and Railway was not called.
 */
async function refusedRun(
  action: string,
  inputs: Record<string, string | undefined>,
  options: { eventName?: string; payload?: unknown; token?: string } = {},
): Promise<{ lost: boolean; failed: string }> {
  const before = fingerprint();
  const calls = railway.calls();
  const merged = Object.fromEntries(
    Object.entries({
      'github-token': options.token ?? TOKEN,
      'railway-token': RAILWAY_TOKEN,
      'railway-api-url': railway.url,
      ...VALID[action],
      ...inputs,
    }).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const run = await runActionInProcess(action, BODIES[action] as Body, {
    inputs: merged,
    env: { GITHUB_API_URL: gh.emulator.url },
    eventName: options.eventName ?? 'issues',
    payload: options.payload ?? { action: 'opened', issue: { number: 7 } },
  });
  const failed = run.failed ?? '(no failure)';
  expect(failed).not.toContain('Unexpected failure');
  expect(failed.startsWith(`${action}: `)).toBe(true);
  // `::add-mask::` lines carry secrets by design: the runner reads them and prints none of them.
  const shown = run.stdout.split('\n').filter((line) => !line.startsWith('::add-mask::'));
  expect(shown.join('\n')).not.toContain(RAILWAY_TOKEN);
  return { lost: fingerprint() !== before || railway.calls() !== calls, failed };
}

describe('every input of every action', () => {
  const cases: Array<[string, Record<string, string | undefined>]> = [
    ['provision-sandbox', { 'github-token': '' }],
    ['provision-sandbox', { 'github-token': '   ' }],
    ['provision-sandbox', { 'railway-token': '' }],
    ['provision-sandbox', { image: undefined }],
    ['provision-sandbox', { image: '' }],
    ['provision-sandbox', { image: '   ' }],
    ['provision-sandbox', { repo: 'octo-org/app' }],
    ['provision-sandbox', { image: undefined, repo: 'not a repo' }],
    ['provision-sandbox', { image: undefined, repo: 'https://github.com/octo-org/app' }],
    ['provision-sandbox', { image: undefined, branch: 'main' }],
    ['provision-sandbox', { variables: 'PORT' }],
    ['provision-sandbox', { variables: '9LIVES=1' }],
    ['provision-sandbox', { variables: 'MY-VAR=1' }],
    ['provision-sandbox', { variables: 'PORT=8080\nPORT=9090' }],
    ['provision-sandbox', { variables: 'API_KEY=hunter2-secret\nAPI_KEY=hunter3-secret' }],
    ['provision-sandbox', { variables: 'RAILWAY_PUBLIC_DOMAIN=evil.example' }],
    ['provision-sandbox', { variables: 'OK=1\nRAILWAY_PRIVATE_DOMAIN=x\nRAILWAY_SERVICE_ID=y' }],
    ['provision-sandbox', { 'service-name': 'sandbox' }],
    ['provision-sandbox', { 'service-name': 'a-very-long-prefix-for-names-{issue}' }],
    ['provision-sandbox', { 'allowed-associations': 'OWNER, ADMIN' }],
    ['provision-sandbox', { 'max-sandboxes': '0' }],
    ['provision-sandbox', { 'max-sandboxes': '-1' }],
    ['provision-sandbox', { 'max-sandboxes': 'ten' }],
    ['provision-sandbox', { 'max-sandboxes': '1.5' }],
    ['provision-sandbox', { 'railway-token-kind': 'team' }],
    ['provision-sandbox', { 'railway-api-url': 'ftp://backboard.railway.com' }],
    ['provision-sandbox', { 'farm-path': '/etc/passwd' }],
    ['provision-sandbox', { 'farm-path': '../outside/farm.json' }],
    ['provision-sandbox', { 'commit-mode': 'svn' }],
    ['deploy-sandbox', { 'commit-sha': 'main' }],
    ['deploy-sandbox', { 'commit-sha': 'zzzzzzz' }],
    ['deploy-sandbox', { 'timeout-minutes': '0' }],
    ['deploy-sandbox', { 'log-lines': 'all' }],
    ['deploy-sandbox', { wait: 'yes' }],
    ['deploy-sandbox', { 'poll-interval-seconds': '0' }],
    ['deploy-sandbox', { 'poll-interval-seconds': '7200' }],
    ['deploy-sandbox', { 'railway-token': undefined }],
    ['destroy-sandbox', { sweep: 'maybe' }],
    ['destroy-sandbox', { 'archive-logs': 'nope' }],
    ['destroy-sandbox', { ttl: '5' }],
    ['destroy-sandbox', { ttl: '0d' }],
    ['destroy-sandbox', { 'retain-destroyed-days': '0' }],
    ['destroy-sandbox', { 'railway-token': undefined }],
    ['journal-step', { message: undefined }],
    ['journal-step', { message: ' \n\t ' }],
    ['journal-step', { event: 'sandbox_exploded' }],
    ['journal-step', { key: 'has spaces' }],
    ['journal-step', { key: 'k'.repeat(101) }],
    ['journal-step', { key: '<script>' }],
  ];
  it.each(cases.map(([action, inputs]) => [action, JSON.stringify(inputs), inputs] as const))(
    '%s %s is refused before any call',
    async (action, _, inputs) => {
      await trial(async () => {
        const { lost, failed } = await refusedRun(action, inputs);
        expect(failed).not.toContain('hunter2-secret');
        expect(failed).toMatchSnapshot();
        return { lost };
      });
    },
  );
});

describe('issue numbers and URLs', () => {
  const bad = [
    '0',
    '-1',
    '1.5',
    'abc',
    '#',
    '7 8',
    '0x10',
    '1e3',
    '99999999999999999999',
    '2147483648',
    'https://github.com/other-org/other/issues/7',
    'https://github.com/octo-org/sandbox-demo/pull/7',
    'https://github.com/octo-org/sandbox-demo/issues/',
    'https://github.com/octo-org/sandbox-demo/issues/7/extra',
    'octo-org/sandbox-demo#',
    'other-org/other#7',
  ];
  it.each(bad)('input issue-number %j is refused', async (given) => {
    await trial(async () => {
      const { lost, failed } = await refusedRun('journal-step', { 'issue-number': given });
      expect(failed).toMatchSnapshot();
      return { lost };
    });
  });

  const fates: Array<[string, string, string]> = [
    ['does not exist', 'provision-sandbox', '404'],
    ['was deleted', 'provision-sandbox', '10'],
    ['is a pull request', 'provision-sandbox', '9'],
    ['was transferred', 'provision-sandbox', '11'],
    ['does not exist', 'deploy-sandbox', '404'],
    ['is a pull request', 'deploy-sandbox', '9'],
    ['does not exist', 'journal-step', '404'],
    ['is a pull request', 'journal-step', '9'],
    ['was deleted', 'journal-step', '10'],
  ];
  it.each(fates)('a manual run on an issue that %s fails (%s #%s), no Railway call', async (_, action, n) => {
    await trial(async () => {
      const { lost, failed } = await refusedRun(
        action,
        { 'issue-number': n },
        { eventName: 'workflow_dispatch', payload: { inputs: { 'issue-number': n } } },
      );
      expect(failed).toMatchSnapshot();
      return { lost };
    });
  });

  it('a locked issue: the journal comment is refused with how to unlock it', async () => {
    await trial(async () => {
      const { lost, failed } = await refusedRun('journal-step', { 'issue-number': '8' });
      expect(failed).toContain('Unable to create comment because issue is locked.');
      expect(failed).toMatchSnapshot();
      return { lost };
    });
  });
});

describe('tokens', () => {
  const tokens: Array<[string, string]> = [
    ['revoked', 'ghs_revokedtoken0000000000000000000'],
    ['of the wrong kind (a Railway token)', 'rw_account_1_token'],
    ['garbage', 'not a token at all'],
    ['read-only', READ_ONLY],
  ];
  it.each(tokens)(
    'a %s github-token is a user error naming the token or the permission',
    async (_, token) => {
      await trial(async () => {
        const { lost, failed } = await refusedRun('journal-step', {}, { token });
        expect(failed).not.toContain(token);
        expect(failed).toMatchSnapshot();
        return { lost };
      });
    },
  );
});

describe('Railway tokens', () => {
  // Against the Railway emulator: these are refusals only Railway can give, so Railway is asked,
  // and nothing is created, recorded or posted.
  let emulator: RailwayEmulator;
  let project: { projectId: string; environmentId: string };
  beforeAll(async () => {
    emulator = await startRailwayEmulator();
    project = emulator.addProject({ name: 'sandboxes' });
    const other = emulator.addProject({ name: 'elsewhere' });
    emulator.addToken({ token: 'rw_revoked_account_token_01', kind: 'account' });
    emulator.revokeToken('rw_revoked_account_token_01');
    emulator.addToken({ token: 'rw_revoked_project_token_01', kind: 'project', ...project });
    emulator.revokeToken('rw_revoked_project_token_01');
    emulator.addToken({ token: 'rw_other_project_token_0001', kind: 'project', ...other });
  });
  afterAll(() => emulator.close());

  const tokens: Array<[string, string, string]> = [
    ['a revoked account token', 'rw_revoked_account_token_01', 'account'],
    ['a revoked project token', 'rw_revoked_project_token_01', 'project'],
    ['a revoked token of unknown kind', 'rw_revoked_account_token_01', 'auto'],
    ['a GitHub token', TOKEN, 'auto'],
    [
      'a project token of another project (it can see only that one)',
      'rw_other_project_token_0001',
      'project',
    ],
  ];
  it.each(tokens)(
    '%s: provision fails with a user error that names the token, creates nothing',
    async (_, token, kind) => {
      await trial(async () => {
        const before = fingerprint();
        const run = await runActionInProcess('provision-sandbox', provisionAction, {
          inputs: {
            'github-token': TOKEN,
            'railway-token': token,
            'railway-token-kind': kind,
            'railway-api-url': emulator.url,
            'railway-project-id': project.projectId,
            'railway-environment-id': project.environmentId,
            image: 'ghcr.io/octo-org/app:1',
          },
          env: { GITHUB_API_URL: gh.emulator.url },
          eventName: 'issues',
          payload: { action: 'opened', issue: { number: 7 } },
        });
        const failed = run.failed ?? '(no failure)';
        expect(failed).not.toContain('Unexpected failure');
        expect(failed).toMatch(/railway-token/);
        expect(failed).not.toContain(token);
        expect(
          run.stdout
            .split('\n')
            .filter((line) => !line.startsWith('::add-mask::'))
            .join('\n'),
        ).not.toContain(token);
        expect(failed).toMatchSnapshot();
        return {
          lost: fingerprint() !== before || emulator.state.services(project.projectId).length > 0,
        };
      });
    },
  );
});

const require = createRequire(import.meta.url);
const EXAMPLES = JSON.parse(
  readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8'),
) as Array<{ name: string; examples: Array<Record<string, unknown>> }>;

describe('event payloads', () => {
  const real = EXAMPLES.filter((entry) => entry.name === 'issues' || entry.name === 'issue_comment').flatMap(
    (entry) =>
      entry.examples.map(
        (payload, index) =>
          [`${entry.name}[${index}] ${String(payload.action)}`, entry.name, payload] as const,
      ),
  );
  it('covers every real issues and issue_comment example', () => {
    expect(real.length).toBeGreaterThan(15);
  });
  it.each(real)(
    '%s: the issue is read from the payload, a pull request refused',
    async (_, eventName, payload) => {
      await trial(() => {
        const issue = payload.issue as { number: number; pull_request?: unknown };
        const read = () => readIssueNumber(inputsFromRecord({}), runContext({ eventName, payload }));
        if (issue.pull_request === undefined) expect(read()).toBe(issue.number);
        else expect(() => read()).toThrowErrorMatchingSnapshot();
        return { lost: false };
      });
    },
  );

  const odd: Array<[string, string, unknown]> = [
    ['a payload without an issue', 'issues', { action: 'opened' }],
    ['workflow_dispatch without an issue number', 'workflow_dispatch', { inputs: {} }],
    ['an issue number that is not a number', 'issues', { issue: { number: 'seven' } }],
    ['an issue number of 0', 'issues', { issue: { number: 0 } }],
    ['a null issue', 'issues', { issue: null }],
    [
      'a pull request in issue_comment',
      'issue_comment',
      { issue: { number: 9, pull_request: { url: 'x' } } },
    ],
  ];
  it.each(odd)('%s is refused with what to pass', async (_, eventName, payload) => {
    await trial(async () => {
      const { lost, failed } = await refusedRun('journal-step', {}, { eventName, payload });
      expect(failed).toMatchSnapshot();
      return { lost };
    });
  });
});

describe('messages', () => {
  const event = (message: string): JournalEvent => ({
    type: 'step_completed',
    issue: 7,
    key: 'k-1',
    at: '2026-11-25T10:00:00.000Z',
    repo: REPO,
    message,
    runUrl: 'https://github.com/octo-org/sandbox-demo/actions/runs/1',
  });
  const FOOTER = '<sub>`step_completed` · `octo-org/sandbox-demo`#7';
  const messages: Array<[string, string]> = [
    ['empty', ''],
    ['only spaces', '   \n  '],
    ['huge (200,000 characters)', 'x'.repeat(200_000)],
    ['control characters', 'a\u0000b\u0007c\u001b[31mred\u001b[0m\r\nline'],
    ['zero-width characters', 'ad\u200bmin @\u200boctocat \ufeffhidden\u2060 x\u200dy'],
    ['bidirectional overrides', 'safe\u202etxt.exe'],
    ['<details> with no </details>', 'Look:\n<details><summary>more</summary>\n\nhidden'],
    ['</details> with no <details>', 'closing</details> early'],
    ['an unclosed <pre>', '<pre>\nraw'],
    ['a one-line <details>', '<details>'],
    ['nested unclosed tags', '<div><table><details>deep'],
    ['a forged event marker', '<!-- trinity:event type=sandbox_destroyed issue=7 key=forged -->'],
    ['an HTML comment that hides the rest', 'before <!-- after'],
    ['a comment closer', 'x --> y --!> z'],
    ['mentions', '@octocat and @octo-org/team, mail me@example.com'],
    ['a zero-width mention', '@\u200boctocat'],
    ['emoji with joiners (kept)', '👩\u200d💻 works, ok'],
    ['a secret-shaped token', 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
  ];
  it.each(messages)('%s: the footer stays visible, nothing is forged or hidden', async (_, message) => {
    await trial(() => {
      const body = renderEventComment(event(message), { secrets: [] });
      const footerAt = body.lastIndexOf(FOOTER);
      expect(footerAt).toBeGreaterThan(0);
      const before = body.slice(0, footerAt).toLowerCase();
      for (const tag of ['details', 'pre', 'div', 'table', 'textarea', 'blockquote']) {
        const opened = before.split(`<${tag}`).length - 1;
        const closed = before.split(`</${tag}`).length - 1;
        expect(opened, `<${tag}> left open before the footer`).toBe(closed);
      }
      expect(body.length).toBeLessThanOrEqual(65_536);
      expect(findEventMarker(body)?.key).toBe('k-1');
      expect(body).not.toMatch(/[\u200b\u2060\ufeff\u202e]/);
      expect(body).not.toMatch(/(?<![@<-])\u200d(?![\u{1F4BB}])/u);
      expect(body).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
      expect(body).not.toMatch(/(?<![A-Za-z0-9.])@[a-z]/);
      expect(makeSafe(makeSafe(message))).toBe(makeSafe(message));
      return { lost: false };
    });
  });
});

/** Rows as the actions write them, one in four destroyed (an old repository's farm); issues from 100 on. */
function largeFarm(rows: number): string {
  const at = '2026-11-20T09:00:00.000Z';
  const agent_map: FarmRow[] = [];
  for (let issue = 100; issue < 100 + rows; issue++) {
    const destroyed = issue % 4 === 0;
    agent_map.push({
      issue,
      account_id: 1,
      service_id: `svc-${issue.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
      repo: REPO,
      service_name: `issue-${issue}`,
      status: destroyed ? 'destroyed' : 'live',
      created_at: at,
      updated_at: at,
      ...(destroyed ? { destroyed_at: at } : {}),
    });
  }
  return serializeFarm({ version: FARM_VERSION, accounts: [], agent_map });
}
const LARGE_FARM = largeFarm(50_000);

describe('farm files', () => {
  const FARM = '.trinity/railway_farm.json';
  const files: Array<[string, string]> = [
    ['truncated', LEGACY_SPEC_FILE.slice(0, 120)],
    ['empty', ''],
    [
      'conflict markers',
      `<<<<<<< HEAD\n${LEGACY_SPEC_FILE}=======\n{"accounts":[],"agent_map":[]}\n>>>>>>> theirs\n`,
    ],
    [
      'wrong types',
      '{"version":2,"accounts":[],"agent_map":[{"issue":"seven","account_id":1,"service_id":7}]}',
    ],
    ['unknown version', '{"version":99,"accounts":[],"agent_map":[]}'],
    ['an array', '[]'],
    ['10 MB of JSON whitespace', `{"accounts":[],"agent_map":[]}${' '.repeat(10 * 1024 * 1024)}`],
    ['legacy with duplicates', LEGACY_WITH_DUPLICATES],
    [
      'a pseudo-issue row',
      '{"accounts":[],"agent_map":[{"issue":0,"account_id":1,"service_id":"s"},{"issue":-3,"account_id":1,"service_id":"t"}]}',
    ],
    ['a BOM in front', `\ufeff${LEGACY_SPEC_FILE}`],
    ['50,000 rows', LARGE_FARM],
  ];
  it.each(files)(
    '%s: tri answers (exit 0 or 3, never 1) and leaves the file byte-identical',
    async (_, text) => {
      await trial(async () => {
        const root = workingCopy();
        mkdirSync(join(root, '.trinity'), { recursive: true });
        writeFileSync(join(root, FARM), text);
        const run = await cli(root).run(['sandbox', 'list']);
        expect([0, 3]).toContain(run.code);
        expect({ code: run.code, stderr: run.stderr.slice(0, 600) }).toMatchSnapshot();
        return { lost: readFileSync(join(root, FARM), 'utf8') !== text };
      });
    },
  );

  it('50,000 rows in the repository: a journal step records its issue and keeps every other row as it was', async () => {
    await trial(async () => {
      const owner = REPO.split('/')[0] ?? '';
      const repo = REPO.split('/')[1] ?? '';
      await gh.octokit.rest.repos.createOrUpdateFileContents({
        owner,
        repo,
        path: FARM,
        message: "an old repository's farm",
        content: Buffer.from(LARGE_FARM).toString('base64'),
      });
      const run = await runActionInProcess('journal-step', journalAction, {
        inputs: { 'github-token': TOKEN, message: 'Ran the tests', 'issue-number': '7' },
        env: { GITHUB_API_URL: gh.emulator.url, TRINITY_GITHUB_TIME_BASE_MS: '1' },
        eventName: 'workflow_dispatch',
        payload: { inputs: { 'issue-number': '7' } },
      });
      expect(run.failed).toBeUndefined();
      const after = parseFarm(gh.emulator.repo(REPO).readFile(FARM) ?? '', FARM);
      const before = parseFarm(LARGE_FARM, FARM);
      const others = after.agent_map.filter((row) => row.issue !== 7);
      expect(others).toHaveLength(50_000);
      expect(after.agent_map.find((row) => row.issue === 7)).toBeDefined();
      return { lost: JSON.stringify(others) !== JSON.stringify(before.agent_map) };
    });
  }, 120_000);
});

describe('tri with broken local state', () => {
  it.each([
    ['link', ['agent', 'link', '7']],
    ['step', ['agent', 'step', 'hello']],
    ['status', ['agent', 'status']],
    ['sync', ['agent', 'sync']],
  ] as const)('.trinity is a file: agent %s is a user error (exit 3 or a clear status)', async (_, argv) => {
    await trial(async () => {
      const root = workingCopy();
      writeFileSync(join(root, '.trinity'), 'not a directory\n');
      const run = await cli(root, gh).run([...argv]);
      expect(run.code === 3 || (argv[1] === 'status' && run.code === 0)).toBe(true);
      expect(run.stderr).not.toContain('Unexpected failure');
      expect({ code: run.code, stderr: run.stderr }).toMatchSnapshot();
      return { lost: readFileSync(join(root, '.trinity'), 'utf8') !== 'not a directory\n' };
    });
  });

  const entries: Array<[string, string]> = [
    ['truncated JSON', '{"v":1,"event":{"type":"step_'],
    ['an unknown version', '{"v":7}'],
    ['an event without a key', '{"v":1,"event":{"type":"step_completed","issue":7},"experience_file":"x"}'],
  ];
  it.each(entries)('an outbox entry with %s: sync exits 3, status still reports it', async (_, text) => {
    await trial(async () => {
      const root = workingCopy();
      const tri = cli(root, gh);
      mkdirSync(join(root, '.trinity', 'outbox'), { recursive: true });
      const entry = join(root, '.trinity', 'outbox', '20261125T100000000Z_7_000.json');
      writeFileSync(entry, text);
      const sync = await tri.run(['agent', 'sync']);
      expect(sync.code).toBe(3);
      const status = await tri.run(['agent', 'status', '--json']);
      expect(status.code).toBe(0);
      const broken = (JSON.parse(status.stdout) as { outbox: { broken?: Array<{ error: string }> } }).outbox
        .broken;
      expect(broken?.[0]?.error).toContain('is not a queued step');
      expect({ sync: sync.stderr }).toMatchSnapshot();
      return { lost: readFileSync(entry, 'utf8') !== text || listDir(root, '.trinity/outbox').length !== 1 };
    });
  });

  // The tests run as root in CI, where chmod does not stop writes: the errno answers are built.
  it.each(['EACCES', 'EROFS', 'EPERM', 'ENOTDIR', 'EEXIST', 'EISDIR', 'ENOSPC'])(
    'a working copy that answers %s: a user error saying what to fix',
    async (code) => {
      await trial(() => {
        const error = Object.assign(new Error(`${code}: failed`), {
          code,
          syscall: 'open',
          path: '/home/dev/app/.trinity/current_issue.json',
        });
        const explained = explainLocalFailure(error);
        expect(isUserError(explained)).toBe(true);
        expect((explained as Error).message).not.toContain('/home/dev');
        expect((explained as Error).message).toMatchSnapshot();
        return { lost: false };
      });
    },
  );

  it('a read-only working copy (when not root): tri agent link exits 3', async () => {
    await trial(async () => {
      const root = workingCopy();
      const isRoot = process.getuid?.() === 0;
      chmodSync(root, 0o555);
      try {
        const run = await cli(root, gh).run(['agent', 'link', '7']);
        if (!isRoot) expect(run.code).toBe(3);
        expect(run.stderr).not.toContain('Unexpected failure');
      } finally {
        chmodSync(root, 0o755);
      }
      return { lost: false };
    });
  });
});
