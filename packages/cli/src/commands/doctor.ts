import {
  COMMIT_MODES,
  createRailwayClient,
  DEFAULT_FARM_PATH,
  DEFAULT_RAILWAY_API_URL,
  RAILWAY_TOKEN_KINDS,
  type CommitMode,
  type RailwayTokenKind,
} from '@trinity/core';
import { type CommandSpec, type Invocation, JSON_OPTION, NO_POSITIONALS, REPO_OPTION } from '../command.js';
import { githubClient, gitOf, readToken, workingCopyRoot } from '../context.js';
import { checkBranchProtection, checkBranchRules } from '../doctor/checks-branch.js';
import { checkFarmFile } from '../doctor/checks-farm.js';
import { checkGitHubToken, checkLabel, checkWorkflowPermissions } from '../doctor/checks-github.js';
import { checkRailway, type RailwayInputs, type Sourced } from '../doctor/checks-railway.js';
import { FINDING_IDS, fail, skipped, type Finding, type FindingId } from '../doctor/findings.js';
import { exitCodeFor, humanLines, reportDocument, summaryLine } from '../doctor/report.js';
import { UsageError } from '../exit-codes.js';
import { resolveRepo } from '../repository.js';

/** The label the workflow passes as `required-label` unless SANDBOX_LABEL says otherwise (docs/actions.md). */
const DEFAULT_LABEL = 'sandbox';

/** A flag, else an environment variable; blank counts as unset. */
function sourced(
  invocation: Invocation,
  flag: string | undefined,
  variables: readonly string[],
): Sourced | undefined {
  const given = flag === undefined ? undefined : invocation.values[flag];
  if (typeof given === 'string' && given.trim() !== '') return { value: given.trim(), source: `--${flag}` };
  for (const name of variables) {
    const value = invocation.env.env[name]?.trim();
    if (value) return { value, source: name };
  }
  return undefined;
}

function oneOf<T extends string>(
  invocation: Invocation,
  flag: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const given = invocation.values[flag];
  if (typeof given !== 'string') return fallback;
  if ((allowed as readonly string[]).includes(given)) return given as T;
  throw new UsageError(`--${flag} is "${given}"; use one of ${allowed.join(', ')}.`, 'tri doctor');
}

function railwayInputs(invocation: Invocation): RailwayInputs {
  // The names Railway's CLI reads: RAILWAY_TOKEN (a project token there), RAILWAY_API_TOKEN (an account
  // or workspace token). The workflow's secret is RAILWAY_TOKEN whatever its kind.
  const token = sourced(invocation, undefined, ['RAILWAY_TOKEN', 'RAILWAY_API_TOKEN']);
  if (token !== undefined) invocation.io.addSecret(token.value);
  return {
    token,
    tokenKind: oneOf<RailwayTokenKind>(invocation, 'railway-token-kind', RAILWAY_TOKEN_KINDS, 'auto'),
    projectId: sourced(invocation, 'project', ['RAILWAY_PROJECT_ID']),
    environmentId: sourced(invocation, 'environment', ['RAILWAY_ENVIRONMENT_ID']),
  };
}

/** The checks listed after `github.token`: each needs the token that one checks. */
const GITHUB_IDS: readonly FindingId[] = FINDING_IDS.slice(FINDING_IDS.indexOf('github.token') + 1);

async function githubFindings(
  invocation: Invocation,
  repo: string,
  commitMode: CommitMode,
): Promise<Finding[]> {
  const { env, io } = invocation;
  const notChecked = (why: string) =>
    GITHUB_IDS.filter((id) => id !== 'github.token-permissions').map((id) =>
      skipped(id, `Not checked: ${why}.`, 'Fix github.token first; then run tri doctor again.'),
    );
  const token = readToken(env, io);
  if (token === undefined) {
    return [
      fail(
        'github.token',
        'No GitHub token: GITHUB_TOKEN and GH_TOKEN are unset.',
        'Set GH_TOKEN to a token that can read the repository, for example `export GH_TOKEN=$(gh auth token)`.',
      ),
      skipped('github.token-permissions', 'Not checked: no GitHub token.', 'Fix github.token first.'),
      ...notChecked('no GitHub token'),
    ];
  }
  const octokit = githubClient(env, io, token);
  const { findings, facts } = await checkGitHubToken(octokit, repo);
  if (facts === undefined) {
    return [
      ...findings,
      skipped(
        'github.token-permissions',
        'Not checked: the token cannot read the repository.',
        'Fix github.token first.',
      ),
      ...notChecked('the token cannot read the repository'),
    ];
  }
  const label = sourced(invocation, 'label', [])?.value ?? DEFAULT_LABEL;
  const branch = sourced(invocation, 'farm-branch', [])?.value ?? facts.defaultBranch;
  const path = sourced(invocation, 'farm-path', [])?.value ?? DEFAULT_FARM_PATH;
  return [
    ...findings,
    await checkWorkflowPermissions(octokit, facts),
    await checkLabel(octokit, facts, label),
    await checkBranchRules(octokit, facts, branch, commitMode),
    await checkBranchProtection(octokit, facts, branch, commitMode),
    await checkFarmFile(octokit, facts, branch, path, io.logger),
  ];
}

export const doctor: CommandSpec = {
  path: ['doctor'],
  summary: 'Check, against GitHub and Railway, everything that makes a first run fail',
  synopsis:
    '[--repo owner/name] [--project id] [--environment id] [--farm-branch name] [--label name] [--commit-mode api|git] [--json]',
  description:
    'Read-only: GET requests and GraphQL queries, no writes. Checks the Railway token (its kind, the\n' +
    'project and environment it reaches), the GitHub token, the Actions workflow permissions, the label,\n' +
    'the rules and protection of the farm branch and the farm file on it. Each finding that is not ok\n' +
    'says what to change. Exits 4 when a check fails, 0 with warnings only. See docs/cli.md, "tri doctor".\n' +
    'Railway: RAILWAY_TOKEN (else RAILWAY_API_TOKEN), RAILWAY_PROJECT_ID, RAILWAY_ENVIRONMENT_ID,\n' +
    'RAILWAY_API_URL; GitHub: GITHUB_TOKEN or GH_TOKEN. Tokens are never printed.',
  options: {
    repo: REPO_OPTION,
    project: {
      type: 'string',
      valueName: 'id',
      description: 'The Railway project (default RAILWAY_PROJECT_ID; a project token names its own).',
    },
    environment: {
      type: 'string',
      valueName: 'id',
      description: 'The Railway environment (default RAILWAY_ENVIRONMENT_ID; a project token names its own).',
    },
    'railway-token-kind': {
      type: 'string',
      valueName: 'kind',
      description: 'auto (default: detect), account, workspace or project, as the railway-token-kind input.',
    },
    'farm-branch': {
      type: 'string',
      valueName: 'name',
      description: "The branch the mapping is committed to (default: the repository's default branch).",
    },
    'farm-path': {
      type: 'string',
      valueName: 'path',
      description: `The farm file in the repository (default ${DEFAULT_FARM_PATH}).`,
    },
    label: {
      type: 'string',
      valueName: 'name',
      description: `The label that gives a sandbox (required-label; default ${DEFAULT_LABEL}).`,
    },
    'commit-mode': {
      type: 'string',
      valueName: 'mode',
      description: 'api (default) or git, as the commit-mode input: git commits are unsigned.',
    },
    json: JSON_OPTION,
  },
  positionals: NO_POSITIONALS,
  examples: [
    'RAILWAY_TOKEN=… tri doctor --project 3f1c… --environment 9a2e…',
    'tri doctor --farm-branch sandbox-farm --json | jq ".findings[] | select(.status != \\"ok\\")"',
  ],
  async run(invocation) {
    const { env, io } = invocation;
    const railway = railwayInputs(invocation);
    const commitMode = oneOf<CommitMode>(invocation, 'commit-mode', COMMIT_MODES, 'api');
    const repo = await resolveRepo({
      flag: typeof invocation.values.repo === 'string' ? invocation.values.repo : undefined,
      env: env.env,
      git: gitOf(env),
      root: await workingCopyRoot(env),
    });
    const apiUrl = env.env.RAILWAY_API_URL?.trim() || DEFAULT_RAILWAY_API_URL;
    const findings = [
      ...(await checkRailway(railway, (token) =>
        createRailwayClient({
          token,
          tokenKind: railway.tokenKind,
          apiUrl,
          logger: io.logger,
          ...env.railwayClientOptions,
        }),
      )),
      ...(await githubFindings(invocation, repo, commitMode)),
    ];
    for (const line of humanLines(findings)) io.say(line);
    io.say(summaryLine(findings));
    io.data(reportDocument(findings));
    return exitCodeFor(findings);
  },
};
