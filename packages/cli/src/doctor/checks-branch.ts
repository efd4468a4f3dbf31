/**
 * `tri doctor`'s checks of the farm branch: the ruleset rules that apply to it (readable with read
 * access) and its classic branch protection (admin only). Every run commits the mapping straight to
 * that branch (docs/actions.md, "Commit-back"): a rule that wants a pull request, passing checks or
 * a restricted push refuses it, and the run stops (docs/actions.md, "Protected branches").
 */
import { answerMessage, statusOf, type CommitMode, type GitHubClient } from '@trinity/core';
import { answered, isRefusedRead, type RepoFacts } from './checks-github.js';
import { fail, ok, skipped, warn, type Finding } from './findings.js';

/** Rule types (GitHub's `type`) that refuse a direct commit to the branch, and why. */
const BLOCKING_RULES: Readonly<Record<string, string>> = {
  pull_request: 'changes must go through a pull request',
  required_status_checks: 'status checks must pass before a commit lands',
  update: 'only bypass actors may update the branch',
  merge_queue: 'changes must go through a merge queue',
  required_deployments: 'deployments must succeed before a commit lands',
};

/** Rule types that a commit of the mapping meets: fast-forward, linear, to an existing branch. */
const HARMLESS_RULES = new Set([
  'creation',
  'deletion',
  'non_fast_forward',
  'required_linear_history',
  'branch_name_pattern',
  'tag_name_pattern',
  'copilot_code_review',
]);

/** `required_signatures`: GitHub signs commits made through the API, not the git CLI's. */
const SIGNATURES = 'required_signatures';

interface BranchRule {
  type: string;
  ruleset_id?: number;
  ruleset_source?: string;
}

const capitalized = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

function otherBranchFix(facts: RepoFacts, branch: string): string {
  return (
    `set farm-branch in the workflow to a branch no rule covers (create it first, e.g. \`git push origin ` +
    `${facts.defaultBranch}:sandbox-farm\`, and pass --farm-branch sandbox-farm to tri doctor), or take ${branch} ` +
    `out of the rule (Settings → Rules → Rulesets, or Settings → Branches).`
  );
}

export async function checkBranchRules(
  octokit: GitHubClient,
  facts: RepoFacts,
  branch: string,
  commitMode: CommitMode,
): Promise<Finding> {
  const id = 'github.branch-rules';
  let rules: BranchRule[];
  try {
    rules = await octokit.paginate(octokit.rest.repos.getBranchRules, {
      owner: facts.owner,
      repo: facts.repo,
      branch,
      per_page: 100,
    });
  } catch (error) {
    if (!isRefusedRead(error)) throw error;
    return skipped(
      id,
      `Cannot read the rules of branch ${branch} (${answered(error)}).`,
      `Check by hand: Settings → Rules → Rulesets, or \`gh api repos/${facts.owner}/${facts.repo}/rules/branches/${branch}\`.`,
    );
  }
  const named = (rule: BranchRule) =>
    `${rule.type}${rule.ruleset_id === undefined ? '' : ` (ruleset ${rule.ruleset_id}${rule.ruleset_source === undefined ? '' : ` of ${rule.ruleset_source}`})`}`;
  const blocking = rules.filter(
    (rule) => rule.type in BLOCKING_RULES || (rule.type === SIGNATURES && commitMode === 'git'),
  );
  if (blocking.length > 0) {
    const why = blocking
      .map(
        (rule) =>
          `${named(rule)}: ${BLOCKING_RULES[rule.type] ?? 'commits must be signed, and commit-mode git commits are not'}`,
      )
      .join('; ');
    const fix = blocking.every((rule) => rule.type === SIGNATURES)
      ? 'Use commit-mode: api (the default; GitHub signs the commits it makes), or ' +
        otherBranchFix(facts, branch)
      : capitalized(otherBranchFix(facts, branch));
    return fail(id, `Rules on ${branch} refuse the workflow's commits of the mapping: ${why}.`, fix);
  }
  const doubtful = rules.filter((rule) => !HARMLESS_RULES.has(rule.type) && rule.type !== SIGNATURES);
  if (doubtful.length > 0) {
    return warn(
      id,
      `Rules on ${branch} may refuse the workflow's commits (by github-actions[bot], touching .trinity/): ` +
        `${doubtful.map(named).join(', ')}.`,
      `Check that these rules accept such a commit, or ${otherBranchFix(facts, branch)}`,
    );
  }
  if (rules.length === 0) return ok(id, `No ruleset rule applies to ${branch}.`);
  return ok(id, `Rules on ${branch} let the workflow's commits through: ${rules.map(named).join(', ')}.`);
}

/** GitHub's 404 for a branch without classic protection (test/emulators/github/README.md). */
const NOT_PROTECTED = 'Branch not protected';

interface Protection {
  required_status_checks?: unknown;
  required_pull_request_reviews?: unknown;
  restrictions?: unknown;
  required_signatures?: { enabled?: boolean };
  lock_branch?: { enabled?: boolean };
}

export async function checkBranchProtection(
  octokit: GitHubClient,
  facts: RepoFacts,
  branch: string,
  commitMode: CommitMode,
): Promise<Finding> {
  const id = 'github.branch-protection';
  let protection: Protection;
  try {
    protection = (
      await octokit.rest.repos.getBranchProtection({ owner: facts.owner, repo: facts.repo, branch })
    ).data;
  } catch (error) {
    if (statusOf(error) === 404 && answerMessage(error) === NOT_PROTECTED) {
      return ok(id, `${branch} has no classic branch protection.`);
    }
    if (!isRefusedRead(error)) throw error;
    return skipped(
      id,
      `Cannot read the classic protection of ${branch} (${answered(error)}): only a repository admin can.`,
      `Check by hand: Settings → Branches (a rule that requires pull requests, status checks or restricts who ` +
        `can push refuses the workflow's commits), or as an admin \`gh api repos/${facts.owner}/${facts.repo}/branches/${branch}/protection\`.`,
    );
  }
  const reasons: string[] = [];
  if (protection.required_pull_request_reviews !== undefined)
    reasons.push('pull request reviews are required');
  if (protection.required_status_checks !== undefined && protection.required_status_checks !== null) {
    reasons.push('status checks must pass');
  }
  if (protection.restrictions !== undefined && protection.restrictions !== null) {
    reasons.push('only the listed people, teams and apps may push');
  }
  if (protection.lock_branch?.enabled === true) reasons.push('the branch is locked');
  const unsigned = protection.required_signatures?.enabled === true && commitMode === 'git';
  if (unsigned) reasons.push('commits must be signed, and commit-mode git commits are not');
  if (reasons.length === 0) {
    return ok(id, `${branch} is protected, but nothing in its protection refuses the workflow's commits.`);
  }
  const fix =
    unsigned && reasons.length === 1
      ? 'Use commit-mode: api (the default; GitHub signs the commits it makes), or ' +
        otherBranchFix(facts, branch)
      : capitalized(otherBranchFix(facts, branch));
  return fail(
    id,
    `The classic protection of ${branch} refuses the workflow's commits: ${reasons.join('; ')}.`,
    fix,
  );
}
