// `tri doctor` in-process against both emulators: one case per finding and outcome, the JSON shape,
// the exit codes, no writes anywhere, and no token in any output.
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliEnvironment } from '../../packages/cli/src/cli.js';
import { startGitHubEmulator, type GitHubEmulator } from '../emulators/github/index.js';
import { startRailwayEmulator, type RailwayEmulator } from '../emulators/railway/index.js';
import { workingCopy } from './helpers.js';

const REPO = 'octo-org/sandbox-demo';
// Canary values: each run asserts none of them appears in stdout or stderr.
const GH_ADMIN = 'ghp_canaryAdmin0000doctor';
const GH_READER = 'ghp_canaryReader000doctor';
const GH_INSTALLATION = 'ghs_canaryInstall00doctor';
const GH_CLASSIC = 'ghp_canaryClassic00doctor';
const GH_UNKNOWN = 'ghp_canaryUnknown00doctor';
const RW_ACCOUNT = 'rw-canary-account-token-doctor';
const RW_WORKSPACE = 'rw-canary-workspace-token-doctor';
const RW_PROJECT = 'rw-canary-project-token-doctor';
const RW_TWO_FACTOR = 'rw-canary-2fa-token-doctor';
const CANARIES = [
  GH_ADMIN,
  GH_READER,
  GH_INSTALLATION,
  GH_CLASSIC,
  GH_UNKNOWN,
  RW_ACCOUNT,
  RW_WORKSPACE,
  RW_PROJECT,
  RW_TWO_FACTOR,
];

const VALID_FARM = JSON.stringify({
  version: 2,
  accounts: [{ account_id: 1, alias: 'primary', daily_creates: 0, active_services: 0, daily_reset_epoch: 0 }],
  agent_map: [{ issue: 506, account_id: 1, service_id: 'svc-506' }],
});

interface World {
  gh: GitHubEmulator;
  rw: RailwayEmulator;
  projectId: string;
  environmentId: string;
  stagingId: string;
  otherProjectId: string;
  cwd: string;
}

const open: World[] = [];
afterEach(async () => {
  for (const world of open.splice(0)) {
    await world.gh.close();
    await world.rw.close();
  }
});

/** A repository with the `sandbox` label and a valid farm file on main; Railway with two projects and every kind of token. */
async function world(
  files: Record<string, string> = { '.trinity/railway_farm.json': VALID_FARM },
): Promise<World> {
  const gh = await startGitHubEmulator({ now: () => Date.parse('2026-12-01T09:00:00Z') });
  gh.addToken(GH_ADMIN, { login: 'octo-org' }); // the owner: admin
  gh.addToken(GH_READER, { login: 'octocat' });
  gh.addToken(GH_INSTALLATION, { repositories: [REPO] });
  gh.addToken(GH_CLASSIC, { login: 'octo-org', scopes: ['repo', 'workflow'] });
  gh.createRepo(REPO, { files: { 'README.md': '# demo\n', ...files } });
  gh.addCollaborator(REPO, 'octocat', 'read');
  gh.seedIssue(REPO, { number: 1, title: 'Labelled', labels: ['sandbox'] });

  const rw = await startRailwayEmulator({ progression: 'manual' });
  const main = rw.addProject({ name: 'sandboxes', environments: ['production', 'staging'] });
  const other = rw.addProject({ name: 'someone-else' });
  rw.addToken({ token: RW_ACCOUNT, kind: 'account', userEmail: 'lead@example.com' });
  rw.addToken({ token: RW_WORKSPACE, kind: 'workspace' });
  rw.addToken({
    token: RW_PROJECT,
    kind: 'project',
    projectId: main.projectId,
    environmentId: main.environmentId,
  });
  rw.addToken({ token: RW_TWO_FACTOR, kind: 'account', twoFactorRequiredBy: 'Octo Workspace' });
  const created: World = {
    gh,
    rw,
    projectId: main.projectId,
    environmentId: main.environmentId,
    stagingId: main.environmentIds.staging ?? '',
    otherProjectId: other.projectId,
    cwd: workingCopy(),
  };
  open.push(created);
  return created;
}

interface Finding {
  id: string;
  status: string;
  what: string;
  fix: string | null;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  findings: Finding[];
  report: { ok: boolean; findings: Finding[] };
}

/**
 * `tri <argv>` with an admin GitHub token and the account Railway token unless `env` says otherwise;
 * no canary token may appear in what it prints.
 */
async function runDoctor(
  w: World,
  argv: string[],
  env: Record<string, string | undefined> = {},
): Promise<Pick<Run, 'code' | 'stdout' | 'stderr'>> {
  let stdout = '';
  let stderr = '';
  const environment: CliEnvironment = {
    cwd: w.cwd,
    env: {
      GITHUB_TOKEN: GH_ADMIN,
      GITHUB_API_URL: w.gh.url,
      RAILWAY_TOKEN: RW_ACCOUNT,
      RAILWAY_API_URL: w.rw.url,
      RAILWAY_PROJECT_ID: w.projectId,
      RAILWAY_ENVIRONMENT_ID: w.environmentId,
      ...env,
    },
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    readStdin: () => Promise.resolve(''),
    now: () => new Date('2026-12-01T09:00:00Z'),
    githubClientOptions: { timeBaseMs: 1, writeIntervalMs: 0 },
    railwayClientOptions: {
      clock: {
        sleep: (ms) => {
          w.rw.advance(ms);
          return Promise.resolve();
        },
        random: () => 0.5,
        now: () => w.rw.now(),
      },
    },
  };
  const code = await runCli(argv, environment);
  for (const canary of CANARIES) expect(stdout + stderr).not.toContain(canary);
  return { code, stdout, stderr };
}

/** `tri doctor --json`, as runDoctor, with its report parsed. */
async function doctor(
  w: World,
  args: string[] = [],
  env: Record<string, string | undefined> = {},
): Promise<Run> {
  const run = await runDoctor(w, ['doctor', '--json', ...args], env);
  const report = JSON.parse(run.stdout) as Run['report'];
  return { ...run, findings: report.findings, report };
}

const finding = (run: Run, id: string): Finding => {
  const found = run.findings.find((f) => f.id === id);
  if (found === undefined) throw new Error(`no finding ${id} in ${JSON.stringify(run.findings)}`);
  return found;
};
const statuses = (run: Run) => Object.fromEntries(run.findings.map((f) => [f.id, f.status]));

describe('tri doctor: all green', () => {
  it('reports every check ok, exits 0, prints JSON {ok, findings}, and writes nothing anywhere', async () => {
    const w = await world();
    const run = await doctor(w);
    expect(run.code).toBe(0);
    expect(run.report.ok).toBe(true);
    expect(statuses(run)).toEqual({
      'railway.token': 'ok',
      'railway.project': 'ok',
      'railway.environment': 'ok',
      'github.token': 'ok',
      'github.token-permissions': 'ok',
      'github.workflow-permissions': 'ok',
      'github.label': 'ok',
      'github.branch-rules': 'ok',
      'github.branch-protection': 'ok',
      'farm.file': 'ok',
    });
    for (const f of run.findings) {
      expect(Object.keys(f).sort()).toEqual(['fix', 'id', 'status', 'what']);
      expect(f.fix).toBeNull();
    }
    expect(finding(run, 'railway.token').what).toBe('RAILWAY_TOKEN is an account token (detected).');
    expect(finding(run, 'railway.project').what).toBe(
      `Project "sandboxes" (${w.projectId}) is visible to the token.`,
    );
    expect(finding(run, 'railway.environment').what).toBe(
      `Environment "production" (${w.environmentId}) is in project "sandboxes".`,
    );
    expect(finding(run, 'github.token-permissions').what).toBe(`The token's role in ${REPO}: admin.`);
    expect(finding(run, 'github.workflow-permissions').what).toMatch(
      /^Default GITHUB_TOKEN permissions: read\./,
    );
    expect(finding(run, 'github.branch-rules').what).toBe('No ruleset rule applies to main.');
    expect(finding(run, 'github.branch-protection').what).toBe('main has no classic branch protection.');
    expect(finding(run, 'farm.file').what).toMatch(
      /^\.trinity\/railway_farm\.json on main is valid: 1 row, 0\.\d KiB\.$/,
    );

    // Read-only: GETs and GraphQL queries on GitHub, queries on Railway.
    for (const r of w.gh.requests) {
      expect(r.method === 'GET' || (r.method === 'POST' && r.operationId === 'graphql/query')).toBe(true);
    }
    expect(w.gh.requests.map((r) => r.operationId)).toEqual([
      'repos/get',
      'actions/get-github-actions-default-workflow-permissions-repository',
      'issues/get-label',
      'repos/get-branch-rules',
      'repos/get-branch-protection',
      'graphql/query',
    ]);
    for (const r of w.rw.requests) expect(r.query.trimStart().startsWith('query')).toBe(true);
    expect(w.rw.state.services()).toEqual([]);
  });

  it('prints one line per check without --json, and a summary', async () => {
    const w = await world();
    const { code, stdout } = await runDoctor(w, ['doctor']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('✓ railway.token: RAILWAY_TOKEN is an account token (detected).');
    expect(lines[10]).toBe('0 failed, 0 warnings, 0 skipped, 10 ok.');
  });
});

describe('tri doctor: Railway', () => {
  it('railway.token fails without a token, and the project and environment are skipped', async () => {
    const w = await world();
    const run = await doctor(w, [], { RAILWAY_TOKEN: undefined });
    expect(run.code).toBe(4);
    expect(run.report.ok).toBe(false);
    expect(finding(run, 'railway.token')).toMatchObject({
      status: 'fail',
      what: 'No Railway token: RAILWAY_TOKEN and RAILWAY_API_TOKEN are unset.',
    });
    expect(finding(run, 'railway.token').fix).toContain('store it as the repository secret RAILWAY_TOKEN');
    expect(finding(run, 'railway.project').status).toBe('skipped');
    expect(finding(run, 'railway.environment').status).toBe('skipped');
  });

  it('reads RAILWAY_API_TOKEN when RAILWAY_TOKEN is unset', async () => {
    const w = await world();
    const run = await doctor(w, [], { RAILWAY_TOKEN: undefined, RAILWAY_API_TOKEN: RW_ACCOUNT });
    expect(finding(run, 'railway.token').what).toBe('RAILWAY_API_TOKEN is an account token (detected).');
  });

  it('a project token names its own project and environment', async () => {
    const w = await world();
    const run = await doctor(w, [], {
      RAILWAY_TOKEN: RW_PROJECT,
      RAILWAY_PROJECT_ID: undefined,
      RAILWAY_ENVIRONMENT_ID: undefined,
    });
    expect(run.code).toBe(0);
    expect(finding(run, 'railway.token').what).toBe(
      `RAILWAY_TOKEN is a project token (detected) for project ${w.projectId}, environment ${w.environmentId}.`,
    );
    expect(finding(run, 'railway.project').status).toBe('ok');
    expect(finding(run, 'railway.environment').what).toBe(
      `Environment "production" (${w.environmentId}), the token's own.`,
    );
  });

  it('railway.project fails for a project token of another project', async () => {
    const w = await world();
    const run = await doctor(w, ['--project', w.otherProjectId], { RAILWAY_TOKEN: RW_PROJECT });
    expect(run.code).toBe(4);
    expect(finding(run, 'railway.project')).toEqual({
      id: 'railway.project',
      status: 'fail',
      what:
        `The token is a project token of project ${w.projectId}, but --project is ${w.otherProjectId}: a project ` +
        'token reaches only its own project.',
      fix:
        `Use a project token of project ${w.otherProjectId} (its Settings → Tokens), or an account or workspace ` +
        `token, or set --project to ${w.projectId}.`,
    });
    expect(finding(run, 'railway.environment').status).toBe('skipped');
  });

  it('railway.environment fails for a project token of another environment', async () => {
    const w = await world();
    const run = await doctor(w, ['--environment', w.stagingId], { RAILWAY_TOKEN: RW_PROJECT });
    expect(finding(run, 'railway.environment')).toMatchObject({
      status: 'fail',
      fix: `Use a project token created for environment ${w.stagingId}, or set --environment to ${w.environmentId}.`,
    });
  });

  it('railway.token fails for a revoked project token (detected: refused for the project and for me)', async () => {
    const w = await world();
    w.rw.revokeToken(RW_PROJECT);
    const run = await doctor(w, [], { RAILWAY_TOKEN: RW_PROJECT });
    expect(run.code).toBe(4);
    expect(finding(run, 'railway.token').status).toBe('fail');
    expect(finding(run, 'railway.token').what).toBe(
      `Railway refused RAILWAY_TOKEN for project ${w.projectId} and for \`me\` ("Not Authorized"): it is revoked ` +
        'or mistyped (a revoked project token looks the same), or a workspace token of a workspace that does not ' +
        'own the project.',
    );
    expect(finding(run, 'railway.project').status).toBe('skipped');
  });

  it('railway.token fails with Railway\'s "Project Token not found" when the kind is configured as project', async () => {
    const w = await world();
    w.rw.revokeToken(RW_PROJECT);
    const run = await doctor(w, ['--railway-token-kind', 'project'], { RAILWAY_TOKEN: RW_PROJECT });
    expect(finding(run, 'railway.token').status).toBe('fail');
    expect(finding(run, 'railway.token').what).toContain('"Project Token not found"');
  });

  it('a workspace token is told from an account token by `me`', async () => {
    const w = await world();
    const run = await doctor(w, [], { RAILWAY_TOKEN: RW_WORKSPACE });
    expect(run.code).toBe(0);
    expect(finding(run, 'railway.token').what).toBe(
      'RAILWAY_TOKEN is a workspace token (detected: it reads the project, and Railway refused it `me`, which ' +
        'workspace tokens cannot use).',
    );
  });

  it('railway.token warns for a workspace token without a project id (it cannot be told from a bad one)', async () => {
    const w = await world();
    const run = await doctor(w, [], { RAILWAY_TOKEN: RW_WORKSPACE, RAILWAY_PROJECT_ID: undefined });
    expect(finding(run, 'railway.token')).toMatchObject({
      status: 'warn',
      fix: 'Pass --project <id> (or set RAILWAY_PROJECT_ID) so the token is tried on the project.',
    });
    expect(finding(run, 'railway.project').status).toBe('fail');
  });

  it('railway.token fails when the workspace requires two-factor authentication', async () => {
    const w = await world();
    const run = await doctor(w, [], { RAILWAY_TOKEN: RW_TWO_FACTOR });
    expect(finding(run, 'railway.token').status).toBe('fail');
    expect(finding(run, 'railway.token').what).toContain(
      '"Octo Workspace" requires two-factor authentication',
    );
  });

  it("railway.project fails for a mistyped project id, quoting Railway's answer", async () => {
    const w = await world();
    const run = await doctor(w, ['--project', 'no-such-project']);
    expect(finding(run, 'railway.token').status).toBe('ok');
    expect(finding(run, 'railway.project')).toMatchObject({
      status: 'fail',
      what:
        'Railway did not give project no-such-project: it answered "Project not found". The id is mistyped, or ' +
        'the project was deleted.',
    });
    expect(finding(run, 'railway.project').fix).toContain('RAILWAY_PROJECT_ID');
    expect(finding(run, 'railway.environment').status).toBe('skipped');
  });

  it('railway.project fails without a project id for an account token', async () => {
    const w = await world();
    const run = await doctor(w, [], { RAILWAY_PROJECT_ID: undefined });
    expect(finding(run, 'railway.token').status).toBe('ok');
    expect(finding(run, 'railway.project')).toMatchObject({
      status: 'fail',
      what: 'No Railway project id: an account or workspace token does not name one.',
    });
  });

  it('railway.environment fails for an id that is not in the project, listing its environments', async () => {
    const w = await world();
    const run = await doctor(w, ['--environment', 'env-typo']);
    expect(finding(run, 'railway.environment')).toMatchObject({
      status: 'fail',
      what:
        `--environment is env-typo, which is not an environment of project "sandboxes"; it has "production" ` +
        `(${w.environmentId}), "staging" (${w.stagingId}).`,
    });
  });

  it('railway.environment fails without an environment id for an account token', async () => {
    const w = await world();
    const run = await doctor(w, [], { RAILWAY_ENVIRONMENT_ID: undefined });
    expect(finding(run, 'railway.environment').status).toBe('fail');
    expect(finding(run, 'railway.environment').what).toMatch(/^No Railway environment id/);
  });
});

describe('tri doctor: the GitHub token', () => {
  it('github.token fails without a token and everything on GitHub is skipped', async () => {
    const w = await world();
    const run = await doctor(w, [], { GITHUB_TOKEN: undefined });
    expect(run.code).toBe(4);
    expect(finding(run, 'github.token')).toEqual({
      id: 'github.token',
      status: 'fail',
      what: 'No GitHub token: GITHUB_TOKEN and GH_TOKEN are unset.',
      fix: 'Set GH_TOKEN to a token that can read the repository, for example `export GH_TOKEN=$(gh auth token)`.',
    });
    for (const id of [
      'github.token-permissions',
      'github.workflow-permissions',
      'github.label',
      'github.branch-rules',
      'github.branch-protection',
      'farm.file',
    ]) {
      expect(finding(run, id).status).toBe('skipped');
    }
    expect(w.gh.requests).toEqual([]);
  });

  it('github.token fails on 401 Bad credentials', async () => {
    const w = await world();
    const run = await doctor(w, [], { GITHUB_TOKEN: GH_UNKNOWN });
    expect(finding(run, 'github.token').status).toBe('fail');
    expect(finding(run, 'github.token').what).toMatch(/^GitHub refused the token \(401 Bad credentials\)/);
    expect(finding(run, 'farm.file').status).toBe('skipped');
  });

  it('github.token fails when the token cannot see the repository', async () => {
    const w = await world();
    const run = await doctor(w, ['--repo', 'octo-org/elsewhere']);
    expect(finding(run, 'github.token')).toMatchObject({
      status: 'fail',
      what: 'The token cannot see octo-org/elsewhere (404 Not Found): the name is wrong, or the token has no access to it.',
    });
  });

  it('reports a classic token’s scopes from x-oauth-scopes', async () => {
    const w = await world();
    const run = await doctor(w, [], { GITHUB_TOKEN: GH_CLASSIC });
    expect(finding(run, 'github.token-permissions')).toMatchObject({
      status: 'ok',
      what: `The token's role in ${REPO}: admin. A classic token with scopes: repo, workflow.`,
    });
  });

  it('says the permissions are unknown when GitHub does not show them (an installation token)', async () => {
    const w = await world();
    w.gh.setInstallationRepoPermissions('omitted');
    const run = await doctor(w, [], { GITHUB_TOKEN: GH_INSTALLATION });
    expect(finding(run, 'github.token-permissions').status).toBe('skipped');
    expect(finding(run, 'github.token-permissions').what).toMatch(/: unknown\.$/);
    // An installation token has no administration permission.
    expect(finding(run, 'github.workflow-permissions')).toMatchObject({
      status: 'skipped',
      what:
        'Cannot read the Actions workflow permissions (403 Resource not accessible by integration): only a ' +
        'repository admin can.',
    });
    expect(run.code).toBe(0);
  });

  for (const refusal of [403, 404] as const) {
    it(`a reader's token skips the admin-only checks (GitHub answering ${refusal})`, async () => {
      const w = await world();
      w.gh.setAdminReadRefusal(refusal);
      const run = await doctor(w, [], { GITHUB_TOKEN: GH_READER });
      const said = refusal === 403 ? '403 Must have admin rights to Repository.' : '404 Not Found';
      expect(finding(run, 'github.token-permissions').what).toBe(
        `The token's role in ${REPO}: read (workflow permissions and classic branch protection can only be read by an admin).`,
      );
      expect(finding(run, 'github.workflow-permissions')).toEqual({
        id: 'github.workflow-permissions',
        status: 'skipped',
        what: `Cannot read the Actions workflow permissions (${said}): only a repository admin can.`,
        fix:
          `Check by hand: Settings → Actions → General → Workflow permissions, or as an admin \`gh api repos/${REPO}/actions/permissions/workflow\`. ` +
          'Either value works while the workflow keeps its `permissions:` block.',
      });
      expect(finding(run, 'github.branch-protection')).toMatchObject({
        status: 'skipped',
        what: `Cannot read the classic protection of main (${said}): only a repository admin can.`,
      });
      // Rulesets are readable with read access.
      expect(finding(run, 'github.branch-rules').status).toBe('ok');
      expect(run.code).toBe(0);
    });
  }
});

describe('tri doctor: repository settings', () => {
  it('github.workflow-permissions is ok with write too, and says which default applies', async () => {
    const w = await world();
    w.gh.setWorkflowPermissions(REPO, 'write');
    const run = await doctor(w);
    expect(finding(run, 'github.workflow-permissions')).toEqual({
      id: 'github.workflow-permissions',
      status: 'ok',
      what:
        'Default GITHUB_TOKEN permissions: write. It applies only to workflows without a `permissions:` key; the ' +
        'issue-sandbox workflow declares contents, issues and deployments: write in its own.',
      fix: null,
    });
  });

  it('github.label warns when the label is missing, with the command that creates it', async () => {
    const w = await world();
    const run = await doctor(w, ['--label', 'needs sandbox']);
    expect(run.code).toBe(0);
    expect(finding(run, 'github.label')).toEqual({
      id: 'github.label',
      status: 'warn',
      what:
        'Label "needs sandbox" does not exist: issues of outsiders cannot be given a sandbox by labelling them ' +
        '(issues of owners, members and collaborators get one without it).',
      fix: `gh label create "needs sandbox" --repo ${REPO} --color 0e8a16 --description "Give this issue a Railway sandbox"`,
    });
  });

  const otherBranch =
    'set farm-branch in the workflow to a branch no rule covers (create it first, e.g. `git push origin ' +
    'main:sandbox-farm`, and pass --farm-branch sandbox-farm to tri doctor), or take main out of the rule ' +
    '(Settings → Rules → Rulesets, or Settings → Branches).';
  const Other = `S${otherBranch.slice(1)}`;

  it('github.branch-rules fails for a ruleset that requires pull requests', async () => {
    const w = await world();
    w.gh.addBranchRule(REPO, 'main', 'pull_request');
    const id = w.gh.repo(REPO);
    expect(id.fullName).toBe(REPO);
    const run = await doctor(w);
    expect(run.code).toBe(4);
    const rules = finding(run, 'github.branch-rules');
    expect(rules.status).toBe('fail');
    expect(rules.what).toMatch(
      /^Rules on main refuse the workflow's commits of the mapping: pull_request \(ruleset \d+ of octo-org\/sandbox-demo\): changes must go through a pull request\.$/,
    );
    expect(rules.fix).toBe(Other);
  });

  it('github.branch-rules fails for required status checks', async () => {
    const w = await world();
    w.gh.addBranchRule(REPO, 'main', 'required_status_checks');
    const run = await doctor(w);
    expect(finding(run, 'github.branch-rules').what).toContain('required_status_checks (ruleset');
    expect(finding(run, 'github.branch-rules').status).toBe('fail');
  });

  it('required signatures fail only commit-mode git, and the fix is commit-mode api', async () => {
    const w = await world();
    w.gh.addBranchRule(REPO, 'main', 'signed_commits');
    const api = await doctor(w);
    expect(finding(api, 'github.branch-rules').status).toBe('ok');
    const git = await doctor(w, ['--commit-mode', 'git']);
    expect(finding(git, 'github.branch-rules')).toMatchObject({
      status: 'fail',
      fix: `Use commit-mode: api (the default; GitHub signs the commits it makes), or ${otherBranch}`,
    });
  });

  it('non-fast-forward and linear-history rules let the commits through', async () => {
    const w = await world();
    w.gh.addBranchRule(REPO, 'main', 'non_fast_forward');
    w.gh.addBranchRule(REPO, 'main', 'required_linear_history');
    const run = await doctor(w);
    expect(finding(run, 'github.branch-rules').status).toBe('ok');
    expect(finding(run, 'github.branch-rules').what).toMatch(
      /^Rules on main let the workflow's commits through: /,
    );
  });

  it('github.branch-rules warns for a rule that may refuse the bot’s commits (a commit message pattern)', async () => {
    const w = await world();
    w.gh.addBranchRule(REPO, 'main', 'commit_message_pattern');
    const run = await doctor(w);
    expect(run.code).toBe(0);
    expect(finding(run, 'github.branch-rules')).toMatchObject({
      status: 'warn',
      fix: `Check that these rules accept such a commit, or ${otherBranch}`,
    });
  });

  it('rules of another branch do not count when --farm-branch names a free one', async () => {
    const w = await world();
    w.gh.addBranchRule(REPO, 'main', 'pull_request');
    w.gh.protectBranch(REPO, 'main');
    const run = await doctor(w, ['--farm-branch', 'sandbox-farm']);
    expect(finding(run, 'github.branch-rules').status).toBe('ok');
    expect(finding(run, 'github.branch-protection').status).toBe('ok');
    // The branch itself does not exist: the farm check says so.
    expect(finding(run, 'farm.file').status).toBe('fail');
    expect(finding(run, 'farm.file').what).toContain('branch "sandbox-farm" does not exist');
  });

  for (const [wording, reason] of [
    ['gh006', 'pull request reviews are required'],
    ['required_status_check', 'status checks must pass'],
    ['not_authorized', 'only the listed people, teams and apps may push'],
  ] as const) {
    it(`github.branch-protection fails for classic protection: ${reason}`, async () => {
      const w = await world();
      w.gh.protectBranch(REPO, 'main', { wording });
      const run = await doctor(w);
      expect(run.code).toBe(4);
      expect(finding(run, 'github.branch-protection')).toEqual({
        id: 'github.branch-protection',
        status: 'fail',
        what: `The classic protection of main refuses the workflow's commits: ${reason}.`,
        fix: Other,
      });
    });
  }
});

describe('tri doctor: the farm file', () => {
  it('is ok when absent: the first run creates it', async () => {
    const w = await world({});
    const run = await doctor(w);
    expect(finding(run, 'farm.file')).toEqual({
      id: 'farm.file',
      status: 'ok',
      what: '.trinity/railway_farm.json is not on main yet; the first run creates it.',
      fix: null,
    });
  });

  it('fails for a corrupt file, naming where', async () => {
    const w = await world({ '.trinity/railway_farm.json': '{"accounts": [,\n' });
    const run = await doctor(w);
    expect(run.code).toBe(4);
    const farm = finding(run, 'farm.file');
    expect(farm.status).toBe('fail');
    expect(farm.what).toMatch(
      /^\.trinity\/railway_farm\.json on main cannot be read: The farm file \.trinity\/railway_farm\.json is corrupt at line 1, column \d+/,
    );
    expect(farm.fix).toBe(
      'Repair .trinity/railway_farm.json on main (or restore it from its history: `git log -- .trinity/railway_farm.json`); every run stops until then.',
    );
  });

  it('fails for a file of an unknown format version', async () => {
    const w = await world({
      '.trinity/railway_farm.json': '{"version": 99, "accounts": [], "agent_map": []}',
    });
    const run = await doctor(w);
    expect(finding(run, 'farm.file').status).toBe('fail');
  });

  it('reads --farm-path on --farm-branch', async () => {
    const w = await world({ 'ops/farm.json': VALID_FARM });
    const run = await doctor(w, ['--farm-path', 'ops/farm.json']);
    expect(finding(run, 'farm.file').what).toMatch(/^ops\/farm\.json on main is valid: 1 row/);
  });

  it('warns above the 50,000 rows the file is measured at', async () => {
    const rows = Array.from({ length: 50_001 }, (_, i) => ({
      issue: i + 1,
      account_id: 1,
      service_id: `s${i}`,
    }));
    const big = JSON.stringify({ version: 2, accounts: [], agent_map: rows });
    const w = await world({ '.trinity/railway_farm.json': big });
    const run = await doctor(w);
    expect(run.code).toBe(0);
    const farm = finding(run, 'farm.file');
    expect(farm.status).toBe('warn');
    expect(farm.what).toMatch(/valid: 50001 rows, [\d.]+ MiB\. That is more rows than the 50,000 /);
    expect(farm.fix).toMatch(/^Run the sweep/);
  });
});

describe('tri doctor: the command line', () => {
  it('an outage on Railway is an outage (exit 1), and its message names no token', async () => {
    const w = await world();
    w.rw.injectFault({ kind: 'server_error', status: 503, times: 100 });
    const { code, stdout, stderr } = await runDoctor(w, ['doctor'], { RAILWAY_ENVIRONMENT_ID: undefined });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^tri: Unexpected failure: Railway answered ProjectToken with HTTP 503/m);
    for (const canary of CANARIES) expect(stdout + stderr).not.toContain(canary);
    for (const r of w.rw.requests) expect(r.query.trimStart().startsWith('query')).toBe(true);
  });

  it('refuses an unknown --commit-mode (exit 2)', async () => {
    const w = await world();
    let stderr = '';
    const code = await runCli(['doctor', '--commit-mode', 'push'], {
      cwd: w.cwd,
      env: {},
      stdout: () => undefined,
      stderr: (text) => (stderr += text),
      readStdin: () => Promise.resolve(''),
      now: () => new Date(),
    });
    expect(code).toBe(2);
    expect(stderr).toContain('--commit-mode is "push"; use one of api, git.');
  });
});
