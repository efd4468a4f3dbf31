import { WORDINGS } from '../github/answers.js';

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
  if (typeof error !== 'object' || error === null || !('errors' in error)) return undefined;
  const { errors } = error;
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
