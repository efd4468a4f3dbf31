/**
 * Repository settings `tri doctor` reads: the Actions workflow permissions, the rules that apply to a
 * branch (rulesets) and classic branch protection. Read-only; the state is seeded through index.ts.
 */
import { ApiError, errorBody, fail } from './errors.js';
import { PROTECTION_WORDINGS, type BranchRule, type Ctx, type Handler, type Repo } from './repo-state.js';

/**
 * Admin-only reads. An installation token (`GITHUB_TOKEN`) has no `administration` permission, so it
 * gets `Resource not accessible by integration`; a user without admin rights gets the switch's answer.
 */
function requireAdmin(ctx: Ctx): void {
  if (ctx.token?.repositories !== undefined) {
    throw new ApiError(403, errorBody(403, 'Resource not accessible by integration'), {
      'x-accepted-github-permissions': 'administration=read',
    });
  }
  if (ctx.repo.permissionOf(ctx.login) === 'admin') return;
  if (ctx.state.adminReadRefusal === 404) fail(404, 'Not Found');
  fail(403, 'Must have admin rights to Repository.');
}

const branchOf = (ctx: Ctx): string => decodeURIComponent(ctx.params.branch ?? '');

const getWorkflowPermissions: Handler = (ctx) => {
  requireAdmin(ctx);
  const { workflowPermissions } = ctx.repo;
  return {
    status: 200,
    body: {
      default_workflow_permissions: workflowPermissions.default,
      can_approve_pull_request_reviews: workflowPermissions.canApprovePullRequestReviews,
    },
  };
};

/** GitHub's rule `type` for each emulated rule (a signed-commits rule is `required_signatures`). */
const RULE_TYPES: Record<BranchRule['kind'], string> = {
  pull_request: 'pull_request',
  signed_commits: 'required_signatures',
  required_status_checks: 'required_status_checks',
  non_fast_forward: 'non_fast_forward',
  required_linear_history: 'required_linear_history',
  update: 'update',
  commit_message_pattern: 'commit_message_pattern',
};

function ruleParameters(kind: BranchRule['kind']): Record<string, unknown> | undefined {
  if (kind === 'pull_request') {
    return {
      required_approving_review_count: 1,
      dismiss_stale_reviews_on_push: false,
      require_code_owner_review: false,
      require_last_push_approval: false,
      required_review_thread_resolution: false,
    };
  }
  if (kind === 'required_status_checks') {
    return { required_status_checks: [{ context: 'ci/build' }], strict_required_status_checks_policy: false };
  }
  if (kind === 'commit_message_pattern') {
    return { operator: 'starts_with', pattern: 'JIRA-', negate: false, name: 'ticket first' };
  }
  return undefined;
}

/** Every rule that applies to the branch, readable by anyone who can read the repository. */
const getBranchRules: Handler = (ctx) => {
  const rules = ctx.repo.branchRules.get(branchOf(ctx)) ?? [];
  return {
    status: 200,
    body: rules.map((rule, i) => {
      const parameters = ruleParameters(rule.kind);
      return {
        type: RULE_TYPES[rule.kind],
        ruleset_source_type: 'Repository',
        ruleset_source: ctx.repo.fullName,
        ruleset_id: ctx.repo.id * 100 + i + 1,
        ...(parameters === undefined ? {} : { parameters }),
      };
    }),
  };
};

/** The classic protection a branch's refusal wording stands for (index.ts `protectBranch`). */
function protectionBody(repo: Repo, branch: string, wording: string, baseUrl: string) {
  const url = `${baseUrl}/repos/${repo.fullName}/branches/${encodeURIComponent(branch)}/protection`;
  const off = { enabled: false };
  const body: Record<string, unknown> = {
    url,
    required_signatures: { url: `${url}/required_signatures`, enabled: false },
    enforce_admins: { url: `${url}/enforce_admins`, enabled: false },
    required_linear_history: off,
    allow_force_pushes: off,
    allow_deletions: off,
    block_creations: off,
    required_conversation_resolution: off,
    lock_branch: off,
    allow_fork_syncing: off,
  };
  if (wording === PROTECTION_WORDINGS.required_status_check) {
    body.required_status_checks = {
      url: `${url}/required_status_checks`,
      strict: false,
      contexts: ['ci/build'],
      checks: [{ context: 'ci/build', app_id: null }],
    };
  } else if (wording === PROTECTION_WORDINGS.not_authorized) {
    body.restrictions = { url: `${url}/restrictions`, users: [], teams: [], apps: [] };
  } else {
    body.required_pull_request_reviews = {
      url: `${url}/required_pull_request_reviews`,
      dismiss_stale_reviews: false,
      require_code_owner_reviews: false,
      required_approving_review_count: 1,
      require_last_push_approval: false,
    };
  }
  return body;
}

const getBranchProtection: Handler = (ctx) => {
  requireAdmin(ctx);
  const branch = branchOf(ctx);
  const wording = ctx.repo.protectedBranches.get(branch);
  if (wording === undefined) fail(404, 'Branch not protected');
  return { status: 200, body: protectionBody(ctx.repo, branch, wording, ctx.baseUrl) };
};

export const settingsHandlers: Record<string, Handler> = {
  'actions/get-github-actions-default-workflow-permissions-repository': getWorkflowPermissions,
  'repos/get-branch-rules': getBranchRules,
  'repos/get-branch-protection': getBranchProtection,
};
