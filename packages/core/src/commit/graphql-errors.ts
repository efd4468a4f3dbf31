import { WORDINGS } from '../github/answers.js';
import { GitHubRefusal } from '../github/refusals.js';

/** One entry of a GraphQL answer's `errors[]`; GitHub adds a `type` to most. */
export interface GraphQLErrorEntry {
  type?: string;
  message: string;
}

/**
 * The `errors[]` of a GraphQL answer that Octokit turned into an exception (`GraphqlResponseError`
 * carries them as `errors`); undefined for any other failure (HTTP errors, network).
 */
export function graphqlErrorsOf(error: unknown): GraphQLErrorEntry[] | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  // The throttling plugin's own error for a spent budget keeps the answer as `data`.
  const errors: unknown =
    'errors' in error ? error.errors : (error as { data?: { errors?: unknown } }).data?.errors;
  if (!Array.isArray(errors)) return undefined;
  return errors.filter(
    (e): e is GraphQLErrorEntry =>
      typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string',
  );
}

/**
 * createCommitOnBranch's answer when `expectedHeadOid` is no longer the head: type `STALE_DATA`
 * (`Expected branch to point to "<oid>" but it did not.  Pull and try again.`; docs/actions.md).
 */
export function isStaleHead(errors: GraphQLErrorEntry[]): boolean {
  return errors.some((e) => e.type === 'STALE_DATA');
}

/**
 * A refusal by branch protection or a ruleset: classic protection answers type
 * `BRANCH_PROTECTION_RULE_VIOLATION`; a ruleset has been reported to answer another type, so its
 * message is matched by GitHub's exact opening, `Repository rule violations found`.
 */
export function branchRuleRefusal(errors: GraphQLErrorEntry[]): GraphQLErrorEntry | undefined {
  return errors.find(
    (e) => e.type === 'BRANCH_PROTECTION_RULE_VIOLATION' || e.message.startsWith(WORDINGS.ruleViolations),
  );
}

/**
 * GitHub's answer when the GraphQL points budget is spent: HTTP 200 with an error of type
 * `RATE_LIMITED` and `x-ratelimit-remaining: 0` (docs/actions.md, "GitHub's answers"). The throttling
 * plugin waits out a short reset; a longer one reaches here and becomes a refusal that says when.
 */
export function graphqlBudgetRefusal(error: unknown, now: Date): GitHubRefusal | undefined {
  const errors = graphqlErrorsOf(error);
  if (errors === undefined || !errors.some((e) => e.type === 'RATE_LIMITED')) return undefined;
  const headers = (error as { response?: { headers?: Record<string, unknown> } }).response?.headers ?? {};
  const reset = Number(headers['x-ratelimit-reset']);
  const when =
    Number.isFinite(reset) && reset > 0
      ? `at ${new Date(reset * 1000).toISOString()} (in ${Math.max(1, Math.ceil((reset * 1000 - now.getTime()) / 60_000))} min)`
      : 'at an unknown time (no x-ratelimit-reset header)';
  return new GitHubRefusal(
    `GitHub's GraphQL rate limit for this token is used up (RATE_LIMITED: "${errors.find((e) => e.type === 'RATE_LIMITED')?.message ?? ''}"). ` +
      `It resets ${when}. GITHUB_TOKEN gets 1,000 GraphQL points an hour per repository, shared by all of its ` +
      'workflow runs; each commit attempt of the mapping costs 2. The mapping was not committed: re-run the job ' +
      'after the reset, or use a GitHub App token, which has its own limit.',
    200,
    'primary_rate_limit',
    (error as { response?: unknown }).response,
  );
}
