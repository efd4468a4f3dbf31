/**
 * `tri doctor`'s GitHub checks of the token and the repository's settings: the token can read the
 * repository, what it may do there (where GitHub says), the Actions workflow permissions and the
 * label that lets a maintainer give a sandbox. GET requests only.
 */
import { recogniseAnswer, refusalOf, statusOf, answerMessage, type GitHubClient } from '@trinity/core';
import { fail, ok, skipped, warn, type Finding } from './findings.js';

export interface RepoFacts {
  owner: string;
  repo: string;
  defaultBranch: string;
}

/** A 403 or 404 that is not a rate limit: the token may not read this (admin-only settings). */
export function isRefusedRead(error: unknown): boolean {
  const status = statusOf(error);
  const kind = recogniseAnswer(error).kind;
  return (
    (status === 403 || status === 404) && kind !== 'primary_rate_limit' && kind !== 'secondary_rate_limit'
  );
}

/** `403 Must have admin rights to Repository.`, for messages. */
export function answered(error: unknown): string {
  const message = answerMessage(error);
  return `${statusOf(error) ?? '?'}${message === '' ? '' : ` ${message}`}`;
}

const GH_TOKEN_FIX =
  'Set GITHUB_TOKEN or GH_TOKEN to a token that can read the repository (for example `export GH_TOKEN=$(gh auth token)`).';

/**
 * `repos/get`: the token works and sees the repository. Its `permissions` (the token user's role) and,
 * for a classic personal access token, the `x-oauth-scopes` header say what it may do there; an
 * installation token may get neither, and then it is said to be unknown.
 */
export async function checkGitHubToken(
  octokit: GitHubClient,
  repoName: string,
): Promise<{ findings: Finding[]; facts: RepoFacts | undefined }> {
  const [owner = '', repo = ''] = repoName.split('/');
  let answer: Awaited<ReturnType<GitHubClient['rest']['repos']['get']>>;
  try {
    answer = await octokit.rest.repos.get({ owner, repo });
  } catch (error) {
    const status = statusOf(error);
    if (status === 401) {
      return {
        facts: undefined,
        findings: [
          fail('github.token', refusalOf(error, undefined)?.message ?? answered(error), GH_TOKEN_FIX),
        ],
      };
    }
    if (status === 404 || (status === 403 && isRefusedRead(error))) {
      return {
        facts: undefined,
        findings: [
          fail(
            'github.token',
            `The token cannot see ${repoName} (${answered(error)}): the name is wrong, or the token has no access to it.`,
            'Check --repo (or the origin remote); give the token access to the repository (a fine-grained ' +
              'token: add it under "Repository access"; a classic one: the `repo` scope for a private repository).',
          ),
        ],
      };
    }
    throw error;
  }
  const { data, headers } = answer;
  const facts = { owner, repo, defaultBranch: data.default_branch };
  const token = ok(
    'github.token',
    `The token reads ${data.full_name} (default branch ${data.default_branch}).`,
  );
  return {
    facts,
    findings: [token, tokenPermissions(data.permissions, headers['x-oauth-scopes'], repoName)],
  };
}

function tokenPermissions(
  permissions:
    { admin: boolean; maintain?: boolean; push: boolean; triage?: boolean; pull: boolean } | undefined,
  scopesHeader: string | undefined,
  repoName: string,
): Finding {
  const scopes =
    scopesHeader === undefined
      ? undefined
      : scopesHeader
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
  const scopeText =
    scopes === undefined
      ? ''
      : ` A classic token with scopes: ${scopes.length === 0 ? '(none)' : scopes.join(', ')}.`;
  if (permissions === undefined) {
    return skipped(
      'github.token-permissions',
      `GitHub does not say what this token may do in ${repoName} (no \`permissions\` in its answer, as for an ` +
        `installation token such as GITHUB_TOKEN): unknown.${scopeText}`,
      'Nothing to change for the workflow, which uses its own GITHUB_TOKEN. To let tri doctor read the admin-only ' +
        'settings, run it with a token of a repository admin (`export GH_TOKEN=$(gh auth token)`).',
    );
  }
  const role = permissions.admin
    ? 'admin'
    : permissions.maintain === true
      ? 'maintain'
      : permissions.push
        ? 'write'
        : permissions.triage === true
          ? 'triage'
          : 'read';
  const adminOnly =
    role === 'admin'
      ? ''
      : ' (workflow permissions and classic branch protection can only be read by an admin)';
  return ok('github.token-permissions', `The token's role in ${repoName}: ${role}${adminOnly}.${scopeText}`);
}

/**
 * The default for workflows that declare no `permissions:`. The shipped workflow declares
 * `contents`, `issues` and `deployments: write` itself, and a workflow's `permissions:` adjusts the
 * default ("How permissions are calculated for a workflow job",
 * https://docs.github.com/en/actions/reference/github_token-reference), so either value works.
 */
export async function checkWorkflowPermissions(octokit: GitHubClient, facts: RepoFacts): Promise<Finding> {
  const id = 'github.workflow-permissions';
  try {
    const { data } = await octokit.rest.actions.getGithubActionsDefaultWorkflowPermissionsRepository({
      owner: facts.owner,
      repo: facts.repo,
    });
    return ok(
      id,
      `Default GITHUB_TOKEN permissions: ${data.default_workflow_permissions}. It applies only to workflows ` +
        'without a `permissions:` key; the issue-sandbox workflow declares contents, issues and deployments: write ' +
        'in its own.',
    );
  } catch (error) {
    if (!isRefusedRead(error)) throw error;
    return skipped(
      id,
      `Cannot read the Actions workflow permissions (${answered(error)}): only a repository admin can.`,
      `Check by hand: Settings → Actions → General → Workflow permissions, or as an admin \`gh api repos/${facts.owner}/${facts.repo}/actions/permissions/workflow\`. ` +
        'Either value works while the workflow keeps its `permissions:` block.',
    );
  }
}

/** The label that lets a maintainer give a sandbox to anyone's issue (`required-label`, default `sandbox`). */
export async function checkLabel(octokit: GitHubClient, facts: RepoFacts, label: string): Promise<Finding> {
  const id = 'github.label';
  try {
    await octokit.rest.issues.getLabel({ owner: facts.owner, repo: facts.repo, name: label });
    return ok(id, `Label "${label}" exists.`);
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    const quoted = /^[\w.:-]+$/.test(label) ? label : JSON.stringify(label);
    return warn(
      id,
      `Label "${label}" does not exist: issues of outsiders cannot be given a sandbox by labelling them ` +
        '(issues of owners, members and collaborators get one without it).',
      `gh label create ${quoted} --repo ${facts.owner}/${facts.repo} --color 0e8a16 --description "Give this issue a Railway sandbox"`,
    );
  }
}
